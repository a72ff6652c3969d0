import AOClient
import ATSJSON

/// What `ats diff` compares and what it ignores.
public struct CaseDiffOptions: Sendable, Hashable {
    /// Compare everything, including what always changes between two runs (`--all`).
    public var all: Bool
    /// Member names and header names never compared (`--ignore`); matched exactly for
    /// members and case-insensitively for headers.
    public var ignoredFields: Set<String>

    /// Options; the defaults ignore what always changes and nothing else.
    public init(all: Bool = false, ignoredFields: Set<String> = []) {
        self.all = all
        self.ignoredFields = ignoredFields
    }
}

/// The result of lining up two case files.
public struct CaseDiffReport: Sendable, Hashable {
    /// One difference inside an exchange. `a`/`b` are `nil` where the value is absent.
    public struct Change: Sendable, Hashable {
        /// Where: `status`, `failure`, `headers.Warning`, `request.path`,
        /// `request.query.HQL::filter`, `request.body.parameters[0].value`, or a path into the
        /// response body such as `.data[3].status`.
        public var path: String
        /// The value in the first file.
        public var a: JSON?
        /// The value in the second file.
        public var b: JSON?
    }

    /// One side of an exchange, for reference.
    public struct Side: Sendable, Hashable {
        /// 1-based position among the file's exchanges.
        public var index: Int
        /// The line of the file.
        public var line: Int
        /// Its `seq` in the case file.
        public var seq: Int
        /// The status, or `nil` when the request failed below HTTP.
        public var status: Int?
        /// The statement that caused it.
        public var statement: String?
        /// Where that statement is.
        public var location: String?
    }

    /// Two exchanges lined up, and what differs between them.
    public struct Pair: Sendable, Hashable {
        /// The HTTP method.
        public var method: String
        /// The path with ids as `{id}` and UUIDs as `{uuid}`.
        public var path: String
        /// The exchange in the first file.
        public var a: Side
        /// The exchange in the second file.
        public var b: Side
        /// Empty when the two are equivalent.
        public var changes: [Change]
    }

    /// An exchange of one file with no partner in the other.
    public struct Unpaired: Sendable, Hashable {
        /// The HTTP method.
        public var method: String
        /// The path with ids normalised.
        public var path: String
        /// Where it is in its file.
        public var side: Side
    }

    /// Every pair, in the order of the first file.
    public var pairs: [Pair]
    /// Exchanges only the first file has.
    public var onlyInA: [Unpaired]
    /// Exchanges only the second file has.
    public var onlyInB: [Unpaired]
    /// Differences between the files' headers (server, locale, time zone): information only.
    public var notes: [Change]

    /// True when every exchange has an equivalent partner.
    public var isEquivalent: Bool { onlyInA.isEmpty && onlyInB.isEmpty && pairs.allSatisfy(\.changes.isEmpty) }

    /// The pairs that differ.
    public var differing: [Pair] { pairs.filter { !$0.changes.isEmpty } }
}

/// Lines up two case files request by request and compares them.
///
/// Alignment: exchanges are keyed by method and path with ids normalised (numeric segments
/// become `{id}`, UUIDs `{uuid}`); the n-th exchange of a key in the first file pairs with the
/// n-th of that key in the second. Compared: the status (or transport failure), the
/// response headers, the response body (a structural JSON diff), the request's query and
/// body, and, with `--all`, the raw path.
///
/// Ignored unless `options.all`: members named `instanceID`/`instanceId` and any member
/// ending in `ID`/`Id` whose values are both numeric (so `messageID` is still compared);
/// strings that are both ISO 8601 dates; compact timestamps inside strings (task names such
/// as `Backup Database_20261115144405`); strings that are both UUIDs (job ids); tokens and
/// redacted values (`********`, `HSSO …`); numeric ids, host and port inside URLs
/// (`href`, `affectedResources`, `errorSource`, `Location`); the headers `Date`,
/// `WWW-Authenticate`, `Content-Length`, `Transfer-Encoding`, `Connection`, `Keep-Alive`,
/// `Set-Cookie`.
public enum CaseDiff {
    /// Compares `a` with `b`.
    public static func compare(_ a: CaseFile, _ b: CaseFile, options: CaseDiffOptions = CaseDiffOptions()) -> CaseDiffReport {
        let comparer = Comparer(options: options)
        var partners: [String: [Int]] = [:]
        for (i, exchange) in b.exchanges.enumerated() {
            partners[alignmentKey(exchange), default: []].append(i)
        }
        var used: [String: Int] = [:]
        var pairedB = Set<Int>()
        var pairs: [CaseDiffReport.Pair] = []
        var onlyInA: [CaseDiffReport.Unpaired] = []
        for (i, x) in a.exchanges.enumerated() {
            let key = alignmentKey(x)
            let n = used[key, default: 0]
            used[key] = n + 1
            let path = normalisedPath(x.request.path)
            guard let list = partners[key], n < list.count else {
                onlyInA.append(.init(method: x.request.method, path: path, side: side(x, index: i)))
                continue
            }
            let j = list[n]
            pairedB.insert(j)
            let y = b.exchanges[j]
            pairs.append(
                .init(
                    method: x.request.method, path: path, a: side(x, index: i), b: side(y, index: j),
                    changes: comparer.changes(x, y)))
        }
        let onlyInB = b.exchanges.enumerated().filter { !pairedB.contains($0.offset) }.map {
            CaseDiffReport.Unpaired(method: $0.element.request.method, path: normalisedPath($0.element.request.path), side: side($0.element, index: $0.offset))
        }
        return CaseDiffReport(pairs: pairs, onlyInA: onlyInA, onlyInB: onlyInB, notes: headerNotes(a.header, b.header))
    }

    private static func alignmentKey(_ x: CaseFileExchange) -> String {
        x.request.method.uppercased() + " " + normalisedPath(x.request.path)
    }

    private static func side(_ x: CaseFileExchange, index: Int) -> CaseDiffReport.Side {
        .init(index: index + 1, line: x.line, seq: x.seq, status: x.response?.status, statement: x.statement, location: x.location)
    }

    /// `/Automation/v1/objects/Tasks/5381/actions` → `/Automation/v1/objects/Tasks/{id}/actions`.
    public static func normalisedPath(_ path: String) -> String {
        let decoded = QueryEncoding.decode(path)
        return decoded.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            if !segment.isEmpty && segment.allSatisfy(\.isASCIIDigit) { return "{id}" }
            if Patterns.isUUID(segment) { return "{uuid}" }
            return String(segment)
        }.joined(separator: "/")
    }

    private static func headerNotes(_ a: CaseFileHeader?, _ b: CaseFileHeader?) -> [CaseDiffReport.Change] {
        func server(_ h: CaseFileHeader?) -> JSON? {
            guard let s = h?.server else { return nil }
            return .string([s.product, s.productVersion, s.apiVersion.map { "API " + $0 }].compactMap { $0 }.joined(separator: " "))
        }
        var notes: [CaseDiffReport.Change] = []
        let fields: [(String, (CaseFileHeader?) -> JSON?)] = [
            ("server", server),
            ("atsVersion", { $0.map { .string($0.atsVersion) } }),
            ("locale", { $0.map { .string($0.locale) } }),
            ("timeZone", { $0.map { .string($0.timeZone) } }),
        ]
        for (name, get) in fields where get(a) != get(b) {
            notes.append(.init(path: name, a: get(a), b: get(b)))
        }
        return notes
    }
}

/// The comparison of two exchanges under one set of options.
private struct Comparer {
    let options: CaseDiffOptions
    private let ignoredHeaders: Set<String>

    static let volatileHeaders: Set<String> = [
        "date", "www-authenticate", "content-length", "transfer-encoding", "connection", "keep-alive", "set-cookie",
    ]

    init(options: CaseDiffOptions) {
        self.options = options
        var headers = Set(options.ignoredFields.map { $0.lowercased() })
        if !options.all { headers.formUnion(Self.volatileHeaders) }
        ignoredHeaders = headers
    }

    func changes(_ x: CaseFileExchange, _ y: CaseFileExchange) -> [CaseDiffReport.Change] {
        var out: [CaseDiffReport.Change] = []
        if options.all && x.request.path != y.request.path {
            out.append(.init(path: "request.path", a: .string(x.request.path), b: .string(y.request.path)))
        }
        compare(queryJSON(x.request.query), queryJSON(y.request.query), path: "request.query", key: nil, into: &out)
        compare(bodyJSON(x.request.body), bodyJSON(y.request.body), path: "request.body", key: nil, into: &out)
        switch (x.response, y.response) {
        case let (r?, s?):
            if r.status != s.status { out.append(.init(path: "status", a: .int(r.status), b: .int(s.status))) }
            compareHeaders(r.headers, s.headers, into: &out)
            compare(bodyJSON(r.body), bodyJSON(s.body), path: "", key: nil, into: &out)
        case let (r?, nil):
            out.append(.init(path: "status", a: .int(r.status), b: nil))
            out.append(.init(path: "failure", a: nil, b: y.failure.map(JSON.string)))
        case let (nil, s?):
            out.append(.init(path: "failure", a: x.failure.map(JSON.string), b: nil))
            out.append(.init(path: "status", a: nil, b: .int(s.status)))
        case (nil, nil):
            if x.failureKind != y.failureKind {
                out.append(.init(path: "failure", a: x.failure.map(JSON.string), b: y.failure.map(JSON.string)))
            }
        }
        return out
    }

    private func queryJSON(_ fields: [CaseFileField]) -> JSON? {
        guard !fields.isEmpty else { return nil }
        var o = JSONObject()
        for f in fields { o[f.name] = .string(f.value) }
        return .object(o)
    }

    private func bodyJSON(_ body: CaseFileBody?) -> JSON? {
        switch body {
        case nil: return nil
        case .json(let json)?: return json
        case .text(let text)?: return .string(text)
        case .binary(let bytes)?: return .string("<\(bytes.count) bytes>")
        }
    }

    private func compareHeaders(_ a: [CaseFileField], _ b: [CaseFileField], into out: inout [CaseDiffReport.Change]) {
        func table(_ fields: [CaseFileField]) -> [(String, String, String)] {
            var seen = Set<String>()
            return fields.compactMap { f in
                let lower = f.name.lowercased()
                guard !ignoredHeaders.contains(lower), seen.insert(lower).inserted else { return nil }
                return (lower, f.name, f.value)
            }
        }
        let ta = table(a)
        let tb = table(b)
        let bByName = Dictionary(tb.map { ($0.0, $0.2) }, uniquingKeysWith: { first, _ in first })
        let aNames = Set(ta.map(\.0))
        for (lower, name, value) in ta {
            let other = bByName[lower]
            if other.map({ equivalentStrings(value, $0) }) != true {
                out.append(.init(path: "headers.\(name)", a: .string(value), b: other.map(JSON.string)))
            }
        }
        for (lower, name, value) in tb where !aNames.contains(lower) {
            out.append(.init(path: "headers.\(name)", a: nil, b: .string(value)))
        }
    }

    /// The structural diff of two JSON values (`nil` = absent).
    private func compare(_ a: JSON?, _ b: JSON?, path: String, key: String?, into out: inout [CaseDiffReport.Change]) {
        switch (a, b) {
        case (nil, nil):
            return
        case let (.object(x)?, .object(y)?):
            for (k, v) in x where !options.ignoredFields.contains(k) {
                compare(v, y[k], path: path + Self.member(k), key: k, into: &out)
            }
            for (k, v) in y where x[k] == nil && !options.ignoredFields.contains(k) {
                compare(nil, v, path: path + Self.member(k), key: k, into: &out)
            }
        case let (.array(x)?, .array(y)?):
            for i in 0..<max(x.count, y.count) {
                compare(x.indices.contains(i) ? x[i] : nil, y.indices.contains(i) ? y[i] : nil, path: path + "[\(i)]", key: key, into: &out)
            }
        case let (x?, y?):
            if !equivalent(x, y, key: key) { out.append(.init(path: path.isEmpty ? "." : path, a: x, b: y)) }
        case (nil, _), (_, nil):
            out.append(.init(path: path.isEmpty ? "." : path, a: a, b: b))
        }
    }

    /// `.name`, or `["odd key"]` for a key that is not a plain identifier (jq's syntax).
    private static func member(_ key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ($0.value >= 48 && $0.value <= 57))) }
            && !(key.first?.isASCIIDigit ?? false)
        return plain ? "." + key : "[" + JSONWriter.compact.string(.string(key)) + "]"
    }

    private func equivalent(_ a: JSON, _ b: JSON, key: String?) -> Bool {
        if a == b { return true }
        guard !options.all else { return false }
        if let key, Self.isIDKey(key), Self.isNumericID(a), Self.isNumericID(b) { return true }
        if case .string(let s) = a, case .string(let t) = b { return equivalentStrings(s, t) }
        return false
    }

    /// Two strings that differ only in what always changes.
    private func equivalentStrings(_ s: String, _ t: String) -> Bool {
        if s == t { return true }
        guard !options.all else { return false }
        return Self.normalised(s) == Self.normalised(t)
    }

    static func isIDKey(_ key: String) -> Bool {
        key == "instanceID" || key == "instanceId" || key.hasSuffix("ID") || key.hasSuffix("Id") || key == "id"
    }

    static func isNumericID(_ value: JSON) -> Bool {
        switch value {
        case .int: return true
        case .string(let s): return !s.isEmpty && s.allSatisfy(\.isASCIIDigit)
        case .null, .bool, .double, .array, .object: return false
        }
    }

    /// A string with what always changes replaced by a placeholder.
    static func normalised(_ s: String) -> String {
        if Patterns.isISODate(s) { return "<date>" }
        if Patterns.isUUID(Substring(s)) { return "<uuid>" }
        if s.contains(Redactor.mask) || Patterns.isHSSOToken(s) { return "<token>" }
        if s.hasPrefix("http://") || s.hasPrefix("https://") {
            let parts = URLParts(s)
            return "<url>" + CaseDiff.normalisedPath(parts.path) + (parts.query.map { "?" + $0 } ?? "")
        }
        return Patterns.withoutCompactTimestamps(s)
    }
}

/// Recognisers for values that change from run to run.
enum Patterns {
    /// `2014-12-09T18:50:30.500+0900`, `2026-11-29T03:00:14Z`, `2015-08-07T19:00:39.123+09:00`, `2015-08-07`.
    static func isISODate(_ s: String) -> Bool {
        guard let scan = ISODateScan(s) else { return false }
        return scan.precision == .day || scan.precision >= .minute
    }

    /// `s` with every compact timestamp (`yyyyMMddHHmmss`, optionally with 3 digits of
    /// milliseconds, as in task names like `Backup Database_20261115144405`) replaced by
    /// `<timestamp>`.
    static func withoutCompactTimestamps(_ s: String) -> String {
        guard s.utf8.count >= 14 else { return s }
        var out = ""
        var digits = ""
        func flush() {
            let b = Array(digits.utf8)
            let isTimestamp = (b.count == 14 || b.count == 17) && (digits.hasPrefix("19") || digits.hasPrefix("20"))
                && (1...12).contains(Int(digits.dropFirst(4).prefix(2)) ?? 0) && (1...31).contains(Int(digits.dropFirst(6).prefix(2)) ?? 0)
            out += isTimestamp ? "<timestamp>" : digits
            digits = ""
        }
        for c in s {
            if c.isASCIIDigit {
                digits.append(c)
            } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }

    /// `b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f`.
    static func isUUID(_ s: Substring) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if c != UInt8(ascii: "-") { return false }
            } else if !((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
                return false
            }
        }
        return true
    }

    /// `HSSO …`, or an HSSO token itself (`<hex>_…_V0810`).
    static func isHSSOToken(_ s: String) -> Bool {
        if s.hasPrefix("HSSO ") { return true }
        guard let last = s.split(separator: "_").last, last.count == 5, last.first == "V", last.dropFirst().allSatisfy(\.isASCIIDigit) else {
            return false
        }
        return s.split(separator: "_").count >= 2
    }
}

extension Character {
    /// True for `0`–`9`.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
