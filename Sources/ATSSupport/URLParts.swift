/// The pieces of an absolute request URL that trace, record, replay and diff need.
/// Tolerant: a URL without a scheme is taken as a path (and query).
struct URLParts: Sendable, Hashable {
    /// `http`, `https`, or "" when the URL had none.
    var scheme: String
    /// `host:port` as written, or "".
    var authority: String
    /// The path as sent (still percent-encoded), at least `/`.
    var path: String
    /// The raw query after `?`, without the `?`; `nil` when the URL has no `?`.
    var query: String?

    init(_ url: String) {
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
    var target: String {
        guard let query else { return path }
        return path + "?" + query
    }

    /// The query as decoded name/value pairs, in order. `+` reads as a space (form encoding).
    var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: "=") {
                return (
                    percentDecoded(pair[..<eq], plusIsSpace: true),
                    percentDecoded(pair[pair.index(after: eq)...], plusIsSpace: true)
                )
            }
            return (percentDecoded(pair, plusIsSpace: true), "")
        }
    }

    /// The path with percent escapes decoded.
    var decodedPath: String { percentDecoded(Substring(path), plusIsSpace: false) }
}

/// Decodes `%XX` escapes (invalid ones are kept as written); invalid UTF-8 becomes U+FFFD.
func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var it = Array(text.utf8)[...]
    while let b = it.popFirst() {
        if b == UInt8(ascii: "%"), it.count >= 2,
            let hi = hexValue(it[it.startIndex]), let lo = hexValue(it[it.startIndex + 1])
        {
            bytes.append(hi << 4 | lo)
            it = it.dropFirst(2)
        } else if b == UInt8(ascii: "+") && plusIsSpace {
            bytes.append(UInt8(ascii: " "))
        } else {
            bytes.append(b)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    default: return nil
    }
}
