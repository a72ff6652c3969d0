/// ANSI colours for pretty-printed JSON (jq's defaults).
public struct JSONColors: Sendable {
    public var null = "\u{1B}[1;30m"
    public var `false` = "\u{1B}[0;39m"
    public var `true` = "\u{1B}[0;39m"
    public var number = "\u{1B}[0;39m"
    public var string = "\u{1B}[0;32m"
    public var punctuation = "\u{1B}[1;39m"
    public var key = "\u{1B}[34;1m"
    public var reset = "\u{1B}[0m"

    public init() {}

    /// jq's default palette.
    public static let jq = JSONColors()
}

/// Writes JSON text: compact (one line) or pretty (indented, optionally coloured).
public struct JSONWriter: Sendable {
    /// Spaces per level; 0 means compact output.
    public var indent: Int
    /// Colours, or `nil` for plain text.
    public var colors: JSONColors?
    /// Escape every non-ASCII character as `\uXXXX`.
    public var asciiOnly: Bool

    public init(indent: Int = 2, colors: JSONColors? = nil, asciiOnly: Bool = false) {
        self.indent = indent
        self.colors = colors
        self.asciiOnly = asciiOnly
    }

    /// Compact output, no spaces: `{"a":1,"b":[1,2]}`.
    public static let compact = JSONWriter(indent: 0)
    /// Pretty output with two-space indentation, as `jq .` prints it.
    public static let pretty = JSONWriter(indent: 2)

    /// The text of `value`.
    public func string(_ value: JSON) -> String {
        var out: [UInt8] = []
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 text of `value` to `out`.
    public func write(_ value: JSON, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 64)
        writeValue(value, level: 0, into: &out)
    }

    private func newline(_ level: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        let n = level * indent
        if n > 0 { out.append(contentsOf: repeatElement(UInt8(0x20), count: n)) }
    }

    @inline(__always)
    private func colored(_ code: KeyPath<JSONColors, String>, into out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        if let colors {
            out.append(contentsOf: colors[keyPath: code].utf8)
            body(&out)
            out.append(contentsOf: colors.reset.utf8)
        } else {
            body(&out)
        }
    }

    private func writeValue(_ value: JSON, level: Int, into out: inout [UInt8]) {
        switch value {
        case .null:
            colored(\.null, into: &out) { $0.append(contentsOf: "null".utf8) }
        case .bool(let b):
            colored(b ? \.true : \.false, into: &out) { $0.append(contentsOf: (b ? "true" : "false").utf8) }
        case .int(let i):
            colored(\.number, into: &out) { JSONWriter.appendInt(i, into: &$0) }
        case .double(let d):
            colored(\.number, into: &out) { JSONWriter.appendDouble(d, into: &$0) }
        case .string(let s):
            colored(\.string, into: &out) { writeString(s, into: &$0) }
        case .array(let items):
            colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: "[")) }
            if items.isEmpty {
                colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: "]")) }
                return
            }
            for (n, item) in items.enumerated() {
                if n > 0 { colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: ",")) } }
                if indent > 0 { newline(level + 1, into: &out) }
                writeValue(item, level: level + 1, into: &out)
            }
            if indent > 0 { newline(level, into: &out) }
            colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: "]")) }
        case .object(let object):
            colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: "{")) }
            if object.isEmpty {
                colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: "}")) }
                return
            }
            let keys = object.keys
            let values = object.values
            for n in 0..<keys.count {
                if n > 0 { colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: ",")) } }
                if indent > 0 { newline(level + 1, into: &out) }
                colored(\.key, into: &out) { writeString(keys[n], into: &$0) }
                colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: ":")) }
                if indent > 0 { out.append(0x20) }
                writeValue(values[n], level: level + 1, into: &out)
            }
            if indent > 0 { newline(level, into: &out) }
            colored(\.punctuation, into: &out) { $0.append(UInt8(ascii: "}")) }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a quoted JSON string.
    public func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buffer in
            var runStart = 0
            var k = 0
            while k < buffer.count {
                let b = buffer[k]
                let needsEscape = b < 0x20 || b == 0x22 || b == 0x5C || (asciiOnly && b >= 0x80)
                if !needsEscape {
                    k += 1
                    continue
                }
                if runStart < k { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<k])) }
                if asciiOnly && b >= 0x80 {
                    // Decode one scalar and escape it (as surrogates above the BMP).
                    var iterator = buffer[k...].makeIterator()
                    var decoder = UTF8()
                    var consumed = 1
                    if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                        consumed = UTF8.width(scalar)
                        let v = scalar.value
                        if v >= 0x10000 {
                            let u = v - 0x10000
                            appendUnicodeEscape(0xD800 + (u >> 10), into: &out)
                            appendUnicodeEscape(0xDC00 + (u & 0x3FF), into: &out)
                        } else {
                            appendUnicodeEscape(v, into: &out)
                        }
                    } else {
                        appendUnicodeEscape(0xFFFD, into: &out)
                    }
                    k += consumed
                    runStart = k
                    continue
                }
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                default: appendUnicodeEscape(UInt32(b), into: &out)
                }
                k += 1
                runStart = k
            }
            if runStart < buffer.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private func appendUnicodeEscape(_ v: UInt32, into out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        out.append(Self.hex[Int((v >> 12) & 0xF)])
        out.append(Self.hex[Int((v >> 8) & 0xF)])
        out.append(Self.hex[Int((v >> 4) & 0xF)])
        out.append(Self.hex[Int(v & 0xF)])
    }

    /// Appends the decimal digits of `i`.
    public static func appendInt(_ i: Int, into out: inout [UInt8]) {
        if i == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var v = i.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { digits in
            while v > 0 {
                digits[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            }
            if i < 0 { out.append(UInt8(ascii: "-")) }
            while n > 0 {
                n -= 1
                out.append(digits[n])
            }
        }
    }

    /// Appends the shortest text that reads back as `d`; NaN and infinities (not JSON) as `null`.
    public static func appendDouble(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if d.rounded() == d && abs(d) < 1e15 {
            appendInt(Int(d), into: &out)
            if d == 0 && d.sign == .minus { out.insert(UInt8(ascii: "-"), at: out.count - 1) }
            return
        }
        out.append(contentsOf: d.description.utf8)
    }
}

extension JSON: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter.compact.string(self) }
}
