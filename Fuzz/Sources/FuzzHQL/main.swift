import AOClient
import FuzzDriver

/// The query builder: for any text, percent-encoding is reversible and yields only safe
/// characters, lenient encoding never leaves a space or a raw non-ASCII byte, an HQL string
/// quote reads back as the text, and a query string splits back into its items.
func fuzzQuery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzInput(start: data, count: size), as: UTF8.self)

    let encoded = QueryEncoding.encode(text)
    precondition(encoded.utf8.allSatisfy(isSafe), "encode left an unsafe byte: \(encoded)")
    precondition(QueryEncoding.decode(encoded) == text, "decode(encode(x)) != x for \(text.debugDescription)")
    let segment = QueryEncoding.encodePathSegment(text)
    precondition(QueryEncoding.decode(segment) == text)

    let lenient = QueryEncoding.encodeLenient(text)
    precondition(lenient.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "lenient encoding left \(lenient.debugDescription)")

    let quoted = HQLOptions.quote(text)
    precondition(quoted.hasPrefix("'") && quoted.hasSuffix("'") && quoted.count >= 2)
    let inner = quoted.dropFirst().dropLast()
    precondition(inner.replacing("''", with: "'") == text, "HQL quote does not read back: \(quoted)")

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
    precondition(back.count == parts.count && zip(back, parts).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 },
                 "query string does not split back: \(query)")
    return 0
}

/// Unreserved characters, `:`, `,` and `%` (of an escape).
func isSafe(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
        || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
        || b == UInt8(ascii: ":") || b == UInt8(ascii: ",") || b == UInt8(ascii: "%")
}

runFuzzer { fuzzQuery($0, $1) }
