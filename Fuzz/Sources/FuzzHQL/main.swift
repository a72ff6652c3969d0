import AOClient
import AOSimulator
import ATSJSON
import FuzzDriver

/// The query builder and the simulator's HQL, fuzzed together. For any text:
/// - percent-encoding is reversible and yields only safe characters, lenient encoding never
///   leaves a space or a raw non-ASCII byte, an HQL string quote reads back as the text, and a
///   query string splits back into its items;
/// - sent by the client as a task list's `HQL::filter`, `HQL::sortBy`, `HQL::fields` or `q`,
///   the simulator answers with a list or a 400 whose message says what is wrong, never
///   anything else;
/// - quoted by the client into `name eq '…'`, it reads back through the simulator's parser
///   as the same text: the answer is a list whose every task has that name.
func fuzzQuery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzInput(start: data, count: size), as: UTF8.self)
    checkEncoding(text)
    checkSimulator(text)
    return 0
}

func checkEncoding(_ text: String) {
    let encoded = QueryEncoding.encode(text)
    check(encoded.utf8.allSatisfy(isSafe), "encode left an unsafe byte: \(encoded)")
    check(same(QueryEncoding.decode(encoded), text), "decode(encode(x)) != x for \(text.debugDescription)")
    let segment = QueryEncoding.encodePathSegment(text)
    check(same(QueryEncoding.decode(segment), text), "decode(encodePathSegment(x)) != x for \(text.debugDescription)")

    let lenient = QueryEncoding.encodeLenient(text)
    check(lenient.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "lenient encoding left \(lenient.debugDescription)")

    // Read the quote back as the server would, scalar by scalar: every inner quote is doubled.
    let quoted = Array(HQLOptions.quote(text).unicodeScalars)
    check(quoted.count >= 2 && quoted.first == "'" && quoted.last == "'", "HQL quote is not quoted: \(quoted)")
    var inner = String.UnicodeScalarView()
    var i = 1
    while i < quoted.count - 1 {
        if quoted[i] == "'" {
            check(quoted[i + 1] == "'", "a lone quote inside \(String(String.UnicodeScalarView(quoted)))")
            i += 1
        }
        inner.append(quoted[i])
        i += 1
    }
    check(same(String(inner), text), "HQL quote does not read back: \(text.debugDescription)")

    // Split the text into items at NULs and tabs; the query string must split back into them.
    let parts = text.split(separator: "\u{0}", omittingEmptySubsequences: false).map { part -> (String, String?) in
        let pieces = part.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(pieces[0]), pieces.count > 1 ? String(pieces[1]) : nil)
    }
    let query = QueryEncoding.queryString(parts)
    let back = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> (String, String?) in
        let pieces = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return (QueryEncoding.decode(String(pieces[0])), pieces.count > 1 ? QueryEncoding.decode(String(pieces[1])) : nil)
    }
    check(back.count == parts.count && zip(back, parts).allSatisfy { same($0.0, $1.0) && same($0.1, $1.1) },
          "query string does not split back: \(query)")
}

/// Equal scalar by scalar (Swift's `==` would call canonically equivalent strings equal).
func same(_ a: String?, _ b: String?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.unicodeScalars.elementsEqual(b.unicodeScalars)
}

/// One simulated server on a stopped clock, and a client session on it, for every input.
let client: AOClient = {
    var configuration = SimulatorConfiguration()
    configuration.clock = ManualClock()
    let settings = ConnectionSettings(baseURL: "http://127.0.0.1:22015", user: "system", password: Secret("manager"))
    return try! AOClient(settings: settings, transport: SimulatorTransport(Simulator(configuration: configuration)))
}()

func checkSimulator(_ text: String) {
    for query in [
        TaskQuery(hql: HQLOptions(filter: text, limit: 5)), TaskQuery(hql: HQLOptions(sortBy: text, limit: 5)),
        TaskQuery(hql: HQLOptions(fields: [text], limit: 5)), TaskQuery(q: text, hql: HQLOptions(limit: 5)),
    ] {
        _ = list(query, orRefusal: true)
    }
    let named = list(TaskQuery(hql: HQLOptions(filter: "name eq " + HQLOptions.quote(text))), orRefusal: false)
    check(named?.items.allSatisfy { $0["name"]?.stringValue == text } == true,
          "name eq \(HQLOptions.quote(text)) listed a task of another name")
}

/// Lists tasks; a 400 with the server's message is accepted when `orRefusal` is true. Any
/// other failure (a 500, an answer the client cannot read) stops the fuzzer.
func list(_ query: TaskQuery, orRefusal: Bool) -> ResourceList? {
    do {
        return try BlockingCall.run { () async throws(APIError) -> ResourceList in try await client.listTasks(query) }
    } catch {
        check(orRefusal && error.status == 400 && error.server?.message?.isEmpty == false,
              "\(query.hql) \(query.q ?? ""): \(error.summary)")
        return nil
    }
}

/// Unreserved characters, `:`, `,` and `%` (of an escape).
func isSafe(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
        || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
        || b == UInt8(ascii: ":") || b == UInt8(ascii: ",") || b == UInt8(ascii: "%")
}

runFuzzer { fuzzQuery($0, $1) }
