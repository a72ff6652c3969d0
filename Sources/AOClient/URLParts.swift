/// The pieces of an absolute request URL, for the simulator's router and for trace, record,
/// replay and diff. Tolerant: a URL without a scheme is taken as a path (and query).
public struct URLParts: Sendable, Hashable {
    /// `http`, `https`, or "" when the URL had none.
    public var scheme: String
    /// `host:port` as written, or "".
    public var authority: String
    /// The path as sent (still percent-encoded), at least `/`.
    public var path: String
    /// The raw query after `?`, without the `?`; `nil` when the URL has no `?`.
    public var query: String?

    public init(_ url: String) {
        var rest = Substring(url)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let range = rest.firstRange(of: "://") {
            scheme = String(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        } else {
            scheme = ""
            authority = ""
        }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        } else {
            query = nil
        }
        path = rest.isEmpty ? "/" : String(rest)
    }

    /// Path and query as on the HTTP request line: `/Automation/v1/objects/Tasks?HQL::offset=0`.
    public var target: String {
        guard let query else { return path }
        return path + "?" + query
    }

    /// The query as decoded name/value pairs, in order. `+` reads as a space (form encoding).
    public var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: "=") {
                return (
                    QueryEncoding.decode(pair[..<eq], plusIsSpace: true),
                    QueryEncoding.decode(pair[pair.index(after: eq)...], plusIsSpace: true)
                )
            }
            return (QueryEncoding.decode(pair, plusIsSpace: true), "")
        }
    }

    /// The path with percent escapes decoded.
    public var decodedPath: String { QueryEncoding.decode(path) }
}
