// Small helpers that several modules need, in one place (docs/support.md, "Where small
// helpers live"): ATSJSON is the one leaf every other module depends on, so a helper here is
// reachable from the language, the client, the simulator, the support tools and the shell
// without a new dependency arrow.

extension StringProtocol {
    /// Without leading and trailing whitespace (spaces, tabs, line breaks, and the other
    /// Unicode spaces: `Character.isWhitespace`).
    public func trimmed() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }
}

/// Near misses of a misspelt name ("did you mean `--status`?").
public enum NearMiss {
    /// The optimal-string-alignment distance between `a` and `b`, ignoring case: insertions,
    /// deletions, substitutions and swaps of two adjacent characters each cost 1.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars)
        let y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }

    /// The candidates close to `name`, best first (at most 3): within a distance that grows
    /// with the name's length (1 to 3), or starting with it when it has 3 characters or more.
    public static func suggestions(for name: String, among candidates: some Sequence<String>) -> [String] {
        let limit = max(1, min(3, (name.count + 1) / 3))
        if name.count > 64 { return [] }
        let lowered = name.lowercased()
        let length = lowered.unicodeScalars.count
        var scored: [(Int, String)] = []
        for c in candidates where c != name {
            // The distance is at least the difference in length (of the lowercased scalars it
            // compares): most names are passed over without computing it.
            let other = c.lowercased()
            let isPrefix = name.count >= 3 && other.hasPrefix(lowered)
            if !isPrefix, abs(other.unicodeScalars.count - length) > limit { continue }
            let d = distance(name, c)
            if d <= limit || isPrefix { scored.append((d, c)) }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(3).map(\.1)
    }

    /// The question every "did you mean" asks: "did you mean `a` or `b`?" (at most three
    /// names, each in backticks); nil when there are none.
    public static func question(_ suggestions: some Sequence<String>) -> String? {
        let names = suggestions.prefix(3).map { "`\($0)`" }
        return names.isEmpty ? nil : "did you mean " + names.joined(separator: " or ") + "?"
    }

    /// The candidate closest to `name` when it is at most `maximum` away (ties: the first).
    public static func nearest(_ name: String, among candidates: some Sequence<String>, maximum: Int) -> String? {
        var best: (String, Int)?
        let length = name.lowercased().unicodeScalars.count
        for c in candidates where abs(c.lowercased().unicodeScalars.count - length) <= maximum {
            let d = distance(name, c)
            if d <= maximum, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }
}

/// Durations as people write them: `500ms`, `10s`, `5m`, `2h`, `1d`, and sums such as `1h30m`.
public enum DurationSyntax {
    /// The duration written at `start` of `u` (digits and a unit, repeated): milliseconds and
    /// the offset after it; nil when there is none or it overflows. The caller decides what
    /// may follow it.
    public static func scan(_ u: [UInt8], from start: Int) -> (milliseconds: Int64, end: Int)? {
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var i = start
        var total: Int64 = 0
        var any = false
        while i < u.count, isDigit(u[i]) {
            var n: Int64 = 0
            while i < u.count, isDigit(u[i]) {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(u[i] - 0x30))
                if o1 || o2 { return nil }
                n = a
                i += 1
            }
            let unit: Int64
            if i + 1 < u.count, u[i] == 0x6D, u[i + 1] == 0x73 { unit = 1; i += 2 }
            else if i < u.count, u[i] == 0x73 { unit = 1000; i += 1 }
            else if i < u.count, u[i] == 0x6D { unit = 60_000; i += 1 }
            else if i < u.count, u[i] == 0x68 { unit = 3_600_000; i += 1 }
            else if i < u.count, u[i] == 0x64 { unit = 86_400_000; i += 1 }
            else { return nil }
            let (m, o) = n.multipliedReportingOverflow(by: unit)
            if o { return nil }
            total &+= m
            any = true
        }
        return any ? (total, i) : nil
    }

    /// A whole text as a duration in milliseconds, as command-line options take it: what
    /// `scan` reads, a decimal number with one unit (`1.5s`), or a bare number of seconds.
    public static func parse(_ text: String) -> Int64? {
        let t = text.trimmed()
        let bytes = Array(t.utf8)
        if let (ms, end) = scan(bytes, from: 0), end == bytes.count { return ms }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (unit, factor) in units where t.hasSuffix(unit) {
            if let n = Double(t.dropLast(unit.count)), n >= 0 { return Int64((n * factor * 1000).rounded()) }
        }
        if let n = Double(t), n >= 0 { return Int64((n * 1000).rounded()) }
        return nil
    }
}

/// Lists in prose.
public enum ListPhrase {
    /// "A, B or C" ("" for none, "A" for one).
    public static func or(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " or " + items.last!
        }
    }

    /// "1 statement", "2 statements": a count and its noun, plural by adding "s".
    public static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}

/// Whether output may be coloured.
public enum ColorRule {
    /// Colour is used only on a terminal, and not when `noColorOption` (`--no-color`) is
    /// given, `NO_COLOR` is set to a non-empty value (no-color.org), or `TERM` is `dumb`.
    public static func allows(isTerminal: Bool, environment: [String: String], noColorOption: Bool) -> Bool {
        isTerminal && !noColorOption && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}

/// Base64 (RFC 4648): Basic credentials and the case files' binary bodies.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` in the standard alphabet, with padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes, or `nil` when `text` is not base64. Tolerant: the standard and the URL-safe
    /// alphabets are both read, and padding, spaces and line breaks are ignored.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        for c in text.utf8 {
            let v = decodeTable[Int(c)]
            if v == ignored { continue }
            guard v >= 0 else { return nil }
            values.append(UInt8(v))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count / 4 * 3 + 2)
        var i = 0
        while i + 1 < values.count {
            out.append(values[i] << 2 | values[i + 1] >> 4)
            if i + 2 < values.count { out.append(values[i + 1] << 4 | values[i + 2] >> 2) }
            if i + 3 < values.count { out.append(values[i + 2] << 6 | values[i + 3]) }
            i += 4
        }
        return out
    }

    /// A byte's 6-bit value, `ignored`, or -1 for a byte that is not base64.
    private static let decodeTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        for c in "= \n\r".utf8 { table[Int(c)] = ignored }
        return table
    }()
    private static let ignored: Int8 = -2
}
