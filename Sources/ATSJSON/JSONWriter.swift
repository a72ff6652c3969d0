/// ANSI colours for pretty-printed JSON (jq's defaults).
///
/// As in jq, `punctuation` colours arrays and objects (their brackets, commas and colons),
/// `key` colours object keys.
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
///
/// Pretty output is byte for byte what `jq .` prints (and, with `JSONColors.jq`, what
/// `jq -C .` prints), except that integers print exactly where jq 1.6 would round those
/// beyond 2^53 through a double. Doubles print in jq's shortest form (`1e-07`,
/// `1.5e+300`, `100`); infinities print as the largest finite double, NaN as `null`.
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
        var emitter = Emitter(self, flushAt: Int.max, flush: nil)
        emitter.value(value, level: 0)
        let text = String(decoding: emitter.buffer.bytes, as: UTF8.self)
        emitter.buffer.deallocate()
        return text
    }

    /// Appends the UTF-8 text of `value` to `out`.
    public func write(_ value: JSON, into out: inout [UInt8]) {
        var emitter = Emitter(self, flushAt: Int.max, flush: nil)
        emitter.value(value, level: 0)
        out.append(contentsOf: emitter.buffer.bytes)
        emitter.buffer.deallocate()
    }

    /// Writes the UTF-8 text of `value` in pieces of about `chunkSize` bytes, handing each to
    /// `sink` (for example, to write it to a file descriptor). Memory stays bounded by the
    /// chunk size however large the value's text is.
    public func write(
        _ value: JSON, chunkSize: Int = 1 << 16, to sink: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        withoutActuallyEscaping(sink) { sink in
            var emitter = Emitter(self, flushAt: Swift.max(chunkSize, 64), flush: sink)
            emitter.value(value, level: 0)
            emitter.flush()
            emitter.buffer.deallocate()
        }
    }

    /// Appends `s` as a quoted JSON string.
    public func writeString(_ s: String, into out: inout [UInt8]) {
        var buffer = ByteBuffer(capacity: s.utf8.count + 16)
        buffer.string(s, asciiOnly: asciiOnly)
        out.append(contentsOf: buffer.bytes)
        buffer.deallocate()
    }

    /// Appends the decimal digits of `i`.
    public static func appendInt(_ i: Int, into out: inout [UInt8]) {
        var buffer = ByteBuffer(capacity: 24)
        buffer.int(i)
        out.append(contentsOf: buffer.bytes)
        buffer.deallocate()
    }

    /// Appends the shortest text that reads back as `d`, in jq's format; NaN as `null`,
    /// infinities as the largest finite double of their sign.
    public static func appendDouble(_ d: Double, into out: inout [UInt8]) {
        var buffer = ByteBuffer(capacity: 32)
        buffer.double(d)
        out.append(contentsOf: buffer.bytes)
        buffer.deallocate()
    }
}

extension JSON: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter.compact.string(self) }
}

// MARK: - Internals

/// A growable byte buffer with unchecked appends after one capacity check.
struct ByteBuffer {
    var base: UnsafeMutablePointer<UInt8>
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func bytes(_ p: UnsafeBufferPointer<UInt8>) {
        reserve(p.count)
        if p.count > 0 { (base + count).update(from: p.baseAddress!, count: p.count) }
        count += p.count
    }

    @inline(__always)
    mutating func bytes(_ s: StaticString) {
        bytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// "\n" and `n` spaces.
    mutating func newline(indent n: Int) {
        reserve(n + 1)
        base[count] = 0x0A
        (base + count + 1).initialize(repeating: 0x20, count: n)
        count += n + 1
    }

    // MARK: Strings

    static let hex: StaticString = "0123456789abcdef"

    /// `s` as a quoted JSON string, escaped as jq escapes.
    mutating func string(_ s: String, asciiOnly: Bool) {
        if s.utf8.withContiguousStorageIfAvailable({ quoted($0, asciiOnly: asciiOnly) }) != nil { return }
        var copy = s
        copy.withUTF8 { quoted($0, asciiOnly: asciiOnly) }
    }

    mutating func quoted(_ p: UnsafeBufferPointer<UInt8>, asciiOnly: Bool) {
        let n = p.count
        reserve(n + 2)
        base[count] = 0x22
        count += 1
        guard let src = p.baseAddress else {
            byte(0x22)
            return
        }
        var run = 0
        var k = 0
        while k < n {
            // Eight bytes at a time while none needs escaping.
            while k + 8 <= n {
                let w = UnsafeRawPointer(src + k).loadUnaligned(as: UInt64.self)
                if needsEscape(w, asciiOnly: asciiOnly) { break }
                k += 8
            }
            if k >= n { break }
            let b = src[k]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F && (b < 0x80 || !asciiOnly) {
                k += 1
                continue
            }
            if run < k { bytes(UnsafeBufferPointer(start: src + run, count: k - run)) }
            if b >= 0x80 {
                k += escapeScalar(src + k, n - k)
                run = k
                continue
            }
            switch b {
            case 0x22: bytes("\\\"")
            case 0x5C: bytes("\\\\")
            case 0x0A: bytes("\\n")
            case 0x0D: bytes("\\r")
            case 0x09: bytes("\\t")
            case 0x08: bytes("\\b")
            case 0x0C: bytes("\\f")
            default: unicodeEscape(UInt32(b))
            }
            k += 1
            run = k
        }
        if run < n { bytes(UnsafeBufferPointer(start: src + run, count: n - run)) }
        byte(0x22)
    }

    /// Escapes the scalar starting at `p` as `\uXXXX` (a surrogate pair above the BMP);
    /// returns the bytes consumed.
    mutating func escapeScalar(_ p: UnsafePointer<UInt8>, _ available: Int) -> Int {
        var iterator = UnsafeBufferPointer(start: p, count: Swift.min(available, 4)).makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else {
            unicodeEscape(0xFFFD)
            return 1
        }
        let v = scalar.value
        if v >= 0x10000 {
            let u = v - 0x10000
            unicodeEscape(0xD800 + (u >> 10))
            unicodeEscape(0xDC00 + (u & 0x3FF))
        } else {
            unicodeEscape(v)
        }
        return UTF8.width(scalar)
    }

    mutating func unicodeEscape(_ v: UInt32) {
        reserve(6)
        let hex = Self.hex.utf8Start
        base[count] = 0x5C
        base[count + 1] = UInt8(ascii: "u")
        base[count + 2] = hex[Int((v >> 12) & 0xF)]
        base[count + 3] = hex[Int((v >> 8) & 0xF)]
        base[count + 4] = hex[Int((v >> 4) & 0xF)]
        base[count + 5] = hex[Int(v & 0xF)]
        count += 6
    }

    // MARK: Numbers

    /// "00", "01", … "99".
    static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """

    /// The decimal digits of `i`.
    mutating func int(_ i: Int) {
        reserve(20)
        if i < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var v = i.magnitude
        var digits = 1
        var t = v
        while t >= 10 {
            t /= 10
            digits += 1
        }
        let pairs = Self.digitPairs.utf8Start
        var pos = count + digits
        while v >= 100 {
            let r = Int(v % 100)
            v /= 100
            pos -= 2
            base[pos] = pairs[2 * r]
            base[pos + 1] = pairs[2 * r + 1]
        }
        if v >= 10 {
            pos -= 2
            base[pos] = pairs[2 * Int(v)]
            base[pos + 1] = pairs[2 * Int(v) + 1]
        } else {
            pos -= 1
            base[pos] = UInt8(ascii: "0") + UInt8(v)
        }
        count += digits
    }

    /// `d` as jq 1.6 prints numbers (David Gay's g_fmt with jq's thresholds).
    mutating func double(_ value: Double) {
        if value.isNaN {
            bytes("null")
            return
        }
        let d = value.isInfinite ? (value < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude) : value
        if d.sign == .minus { byte(UInt8(ascii: "-")) }
        // Shortest round-trip digits and the decimal point position: |d| = 0.DIGITS × 10^decpt.
        var digits: [UInt8] = []
        var decpt = 0
        var exponent = 0
        var sawPoint = false
        var intDigits = 0
        let text = d.magnitude.description.utf8
        var it = text.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                var sign = 1
                var e = 0
                while let x = it.next() {
                    if x == UInt8(ascii: "-") { sign = -1 } else if x != UInt8(ascii: "+") { e = e * 10 + Int(x - 48) }
                }
                exponent = sign * e
                break
            }
            if c == UInt8(ascii: ".") {
                sawPoint = true
                continue
            }
            digits.append(c)
            if !sawPoint { intDigits += 1 }
        }
        decpt = intDigits + exponent
        var lead = 0
        while lead < digits.count && digits[lead] == UInt8(ascii: "0") { lead += 1 }
        var trail = digits.count
        while trail > lead && digits[trail - 1] == UInt8(ascii: "0") { trail -= 1 }
        if lead == trail {
            byte(UInt8(ascii: "0"))
            return
        }
        decpt -= lead
        let significant = Array(digits[lead..<trail])
        let n = significant.count
        if decpt <= -4 || decpt > n + 15 {
            byte(significant[0])
            if n > 1 {
                byte(UInt8(ascii: "."))
                significant[1...].withUnsafeBufferPointer { bytes($0) }
            }
            byte(UInt8(ascii: "e"))
            var e = decpt - 1
            if e < 0 {
                byte(UInt8(ascii: "-"))
                e = -e
            } else {
                byte(UInt8(ascii: "+"))
            }
            if e < 10 { byte(UInt8(ascii: "0")) }
            int(e)
        } else if decpt <= 0 {
            bytes("0.")
            for _ in 0 ..< -decpt { byte(UInt8(ascii: "0")) }
            significant.withUnsafeBufferPointer { bytes($0) }
        } else if decpt >= n {
            significant.withUnsafeBufferPointer { bytes($0) }
            for _ in 0 ..< decpt - n { byte(UInt8(ascii: "0")) }
        } else {
            significant[0..<decpt].withUnsafeBufferPointer { bytes($0) }
            byte(UInt8(ascii: "."))
            significant[decpt...].withUnsafeBufferPointer { bytes($0) }
        }
    }
}

/// True when one of the eight bytes in `w` must be escaped: below 0x20, a quote, a
/// backslash, DEL, or (when `asciiOnly`) any non-ASCII byte.
@inline(__always)
private func needsEscape(_ w: UInt64, asciiOnly: Bool) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let q = w ^ (ones &* 0x22)
    let bs = w ^ (ones &* 0x5C)
    let del = w ^ (ones &* 0x7F)
    var found = ((q &- ones) & ~q) | ((bs &- ones) & ~bs) | ((del &- ones) & ~del) | ((w &- ones &* 0x20) & ~w)
    if asciiOnly { found |= w }
    return found & highs != 0
}

/// One run of the writer over one value, into a buffer that may be flushed as it fills.
struct Emitter {
    let indent: Int
    let asciiOnly: Bool
    let palette: Palette?
    let flushAt: Int
    let sink: ((UnsafeBufferPointer<UInt8>) -> Void)?
    var buffer: ByteBuffer
    /// Per nesting level, the last keys array written and its keys already quoted: records of
    /// a listing share one keys array, so each key is escaped once, not once per record.
    var quotedKeys: [(keys: UnsafeRawPointer?, bytes: [UInt8], ends: [Int])] = []

    /// The colour escapes as bytes.
    struct Palette {
        var null: [UInt8], `false`: [UInt8], `true`: [UInt8], number: [UInt8], string: [UInt8]
        var punctuation: [UInt8], key: [UInt8], reset: [UInt8]

        init(_ c: JSONColors) {
            null = Array(c.null.utf8)
            `false` = Array(c.false.utf8)
            `true` = Array(c.true.utf8)
            number = Array(c.number.utf8)
            string = Array(c.string.utf8)
            punctuation = Array(c.punctuation.utf8)
            key = Array(c.key.utf8)
            reset = Array(c.reset.utf8)
        }
    }

    init(_ writer: JSONWriter, flushAt: Int, flush: ((UnsafeBufferPointer<UInt8>) -> Void)?) {
        indent = writer.indent
        asciiOnly = writer.asciiOnly
        palette = writer.colors.map(Palette.init)
        self.flushAt = flushAt
        sink = flush
        buffer = ByteBuffer(capacity: flush == nil ? 256 : flushAt + 4096)
    }

    mutating func flush() {
        guard let sink, buffer.count > 0 else { return }
        sink(buffer.bytes)
        buffer.count = 0
    }

    @inline(__always)
    mutating func maybeFlush() {
        if buffer.count >= flushAt { flush() }
    }

    mutating func value(_ value: JSON, level: Int) {
        if let palette {
            colored(value, level: level, palette)
        } else {
            plain(value, level: level)
        }
    }

    // MARK: Plain

    mutating func plain(_ value: JSON, level: Int) {
        switch value {
        case .null: buffer.bytes("null")
        case .bool(let b): if b { buffer.bytes("true") } else { buffer.bytes("false") }
        case .int(let i): buffer.int(i)
        case .double(let d): buffer.double(d)
        case .string(let s): buffer.string(s, asciiOnly: asciiOnly)
        case .array(let items):
            if items.isEmpty {
                buffer.bytes("[]")
                return
            }
            buffer.byte(UInt8(ascii: "["))
            let inner = (level + 1) * indent
            items.withUnsafeBufferPointer { items in
                for n in 0..<items.count {
                    if n > 0 { buffer.byte(UInt8(ascii: ",")) }
                    if indent > 0 { buffer.newline(indent: inner) }
                    plain(items[n], level: level + 1)
                    maybeFlush()
                }
            }
            if indent > 0 { buffer.newline(indent: level * indent) }
            buffer.byte(UInt8(ascii: "]"))
        case .object(let object):
            let values = object.values
            if values.isEmpty {
                buffer.bytes("{}")
                return
            }
            buffer.byte(UInt8(ascii: "{"))
            let inner = (level + 1) * indent
            let keys = object.keys
            keys.withUnsafeBufferPointer { keys in
                quoteKeys(keys, level: level)
                let (quoted, ends) = (quotedKeys[level].bytes, quotedKeys[level].ends)
                quoted.withUnsafeBufferPointer { quoted in
                    values.withUnsafeBufferPointer { values in
                        var start = 0
                        for n in 0..<values.count {
                            if n > 0 { buffer.byte(UInt8(ascii: ",")) }
                            if indent > 0 { buffer.newline(indent: inner) }
                            buffer.bytes(UnsafeBufferPointer(rebasing: quoted[start..<ends[n]]))
                            start = ends[n]
                            if indent > 0 { buffer.bytes(": ") } else { buffer.byte(UInt8(ascii: ":")) }
                            plain(values[n], level: level + 1)
                        }
                    }
                }
            }
            if indent > 0 { buffer.newline(indent: level * indent) }
            buffer.byte(UInt8(ascii: "}"))
        }
    }

    /// Makes `quotedKeys[level]` hold `keys` quoted, unless it already does.
    mutating func quoteKeys(_ keys: UnsafeBufferPointer<String>, level: Int) {
        while quotedKeys.count <= level { quotedKeys.append((nil, [], [])) }
        let identity = UnsafeRawPointer(keys.baseAddress)
        if identity != nil, quotedKeys[level].keys == identity, quotedKeys[level].ends.count == keys.count { return }
        var scratch = ByteBuffer(capacity: 256)
        var ends: [Int] = []
        ends.reserveCapacity(keys.count)
        for key in keys {
            scratch.string(key, asciiOnly: asciiOnly)
            ends.append(scratch.count)
        }
        quotedKeys[level] = (identity, Array(scratch.bytes), ends)
        scratch.deallocate()
    }

    // MARK: Coloured, exactly as jq 1.6's jv_dump_term

    mutating func put(_ code: [UInt8]) {
        code.withUnsafeBufferPointer { buffer.bytes($0) }
    }

    mutating func colored(_ value: JSON, level: Int, _ p: Palette) {
        switch value {
        case .null:
            put(p.null)
            buffer.bytes("null")
        case .bool(let b):
            if b {
                put(p.true)
                buffer.bytes("true")
            } else {
                put(p.false)
                buffer.bytes("false")
            }
        case .int(let i):
            put(p.number)
            buffer.int(i)
        case .double(let d):
            put(p.number)
            buffer.double(d)
        case .string(let s):
            put(p.string)
            buffer.string(s, asciiOnly: asciiOnly)
        case .array(let items):
            put(p.punctuation)
            if items.isEmpty {
                buffer.bytes("[]")
            } else {
                buffer.byte(UInt8(ascii: "["))
                for n in items.indices {
                    if n > 0 { buffer.byte(UInt8(ascii: ",")) }
                    if indent > 0 { buffer.newline(indent: (level + 1) * indent) }
                    colored(items[n], level: level + 1, p)
                    put(p.punctuation)
                    maybeFlush()
                }
                if indent > 0 { buffer.newline(indent: level * indent) }
                put(p.punctuation)
                buffer.byte(UInt8(ascii: "]"))
            }
        case .object(let object):
            put(p.punctuation)
            if object.isEmpty {
                buffer.bytes("{}")
            } else {
                buffer.byte(UInt8(ascii: "{"))
                let keys = object.keys
                let values = object.values
                for n in values.indices {
                    if n > 0 { buffer.byte(UInt8(ascii: ",")) }
                    if indent > 0 { buffer.newline(indent: (level + 1) * indent) }
                    put(p.reset)
                    put(p.key)
                    buffer.string(keys[n], asciiOnly: asciiOnly)
                    put(p.reset)
                    put(p.punctuation)
                    buffer.byte(UInt8(ascii: ":"))
                    if indent > 0 { buffer.byte(0x20) }
                    put(p.reset)
                    colored(values[n], level: level + 1, p)
                    put(p.punctuation)
                }
                if indent > 0 { buffer.newline(indent: level * indent) }
                put(p.punctuation)
                buffer.byte(UInt8(ascii: "}"))
            }
        }
        put(p.reset)
    }
}
