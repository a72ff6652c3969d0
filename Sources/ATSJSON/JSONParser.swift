#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a JSON text could not be read, and at which byte offset.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        case invalidEscape
        case controlCharacterInString
        case tooDeep(limit: Int)
        case trailingData
    }

    /// The byte offset (from 0) where the problem was found.
    public var offset: Int
    public var reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .unexpectedEnd: return "unexpected end of JSON at byte \(offset)"
        case .unexpectedByte(let b):
            let shown = (0x20..<0x7f).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
            return "unexpected \(shown) at byte \(offset)"
        case .invalidNumber: return "invalid number at byte \(offset)"
        case .invalidEscape: return "invalid escape sequence in string at byte \(offset)"
        case .controlCharacterInString: return "unescaped control character in string at byte \(offset)"
        case .tooDeep(let limit): return "JSON nested deeper than \(limit) levels at byte \(offset)"
        case .trailingData: return "unexpected data after the JSON value at byte \(offset)"
        }
    }
}

/// A fast, byte-level JSON parser (RFC 8259).
///
/// - Invalid UTF-8 inside strings becomes U+FFFD instead of failing (as jq does); lone
///   surrogate escapes (`"\ud800"`) become U+FFFD too.
/// - A duplicate key keeps its first position and takes the last value (as jq does).
/// - Integers that fit in `Int` are `.int`; larger ones, fractions and exponents are
///   `.double`; a number beyond `Double`'s range becomes the largest finite double of its
///   sign (as jq does). `-0` is `.double(-0.0)`, so that it prints back as `-0`.
/// - A leading UTF-8 byte order mark is skipped.
/// - Nesting deeper than `maximumDepth` is an error, never a stack overflow.
public enum JSONParser {
    /// The deepest nesting accepted; deeper input is an error, never a stack overflow.
    public static let maximumDepth = 512

    /// Parses one JSON value from UTF-8 bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSON {
        if let result = bytes.withContiguousStorageIfAvailable({ parseBuffer($0) }) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { parseBuffer($0) }.get()
    }

    /// Parses one JSON value from a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        if let result = text.utf8.withContiguousStorageIfAvailable({ parseBuffer($0) }) { return try result.get() }
        var text = text
        return try text.withUTF8 { parseBuffer($0) }.get()
    }

    /// Parses one JSON value from a buffer of UTF-8 bytes.
    public static func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSON {
        try parseBuffer(buffer).get()
    }

    /// Parses one JSON value from a buffer of UTF-8 bytes, telling `consumed` now and then
    /// (about every `interval` bytes, between array elements) an offset below which the
    /// parser will not read again. A caller that maps a large file can release those pages
    /// as the parse goes on, so that the input and the value are not both in memory.
    public static func parse(
        buffer: UnsafeBufferPointer<UInt8>, interval: Int = 1 << 20, consumed: (Int) -> Void
    ) throws(JSONParseError) -> JSON {
        try withoutActuallyEscaping(consumed) { consumed in
            parseBuffer(buffer, interval: interval, consumed: consumed)
        }.get()
    }

    private static func parseBuffer(
        _ buffer: UnsafeBufferPointer<UInt8>, interval: Int = .max, consumed: ((Int) -> Void)? = nil
    ) -> Result<JSON, JSONParseError> {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            return .failure(JSONParseError(offset: 0, reason: .unexpectedEnd))
        }
        var reader = JSONReader(base, count: buffer.count)
        if let consumed {
            reader.consumed = consumed
            reader.interval = Swift.max(interval, 1)
            reader.nextReport = reader.interval
        }
        do throws(JSONParseError) {
            return .success(try reader.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

// Byte constants.
private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let comma = UInt8(ascii: ",")
private let colon = UInt8(ascii: ":")
private let openBrace = UInt8(ascii: "{")
private let closeBrace = UInt8(ascii: "}")
private let openBracket = UInt8(ascii: "[")
private let closeBracket = UInt8(ascii: "]")
private let zero = UInt8(ascii: "0")
private let minus = UInt8(ascii: "-")

/// The parser's state over one input buffer.
///
/// Objects in a list of records usually have the same keys in the same order. The reader
/// remembers, per depth, the keys of the last object it finished (its "shape"); while the
/// next object's keys match the shape byte for byte, no key string is made at all and the
/// new object shares the shape's keys array.
private struct JSONReader {
    let base: UnsafePointer<UInt8>
    let end: Int
    var i = 0
    var depth = 0
    /// Bytes of strings with escapes.
    var scratch: [UInt8] = []
    /// The keys of the last object completed at each depth.
    var shapes: [[String]] = []
    /// Strings made for keys, by hash of their bytes: one copy of each key.
    var keyCache: StringCache
    /// Repeated string values (a service name in every task of a listing) share one copy.
    var valueCache: StringCache
    /// Progress reports for `JSONParser.parse(buffer:interval:consumed:)`.
    var consumed: ((Int) -> Void)? = nil
    var interval = Int.max
    var nextReport = Int.max

    init(_ base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
        // Caches in proportion to the input: one slot per 64 bytes, between 16 and 4,096
        // (256 for keys). A single task's answer then does not allocate and destroy 4,352
        // slots on every parse, which cost about 5% of a loop of GETs.
        keyCache = StringCache(slots: StringCache.slots(forBytes: count, maximum: 256))
        valueCache = StringCache(slots: StringCache.slots(forBytes: count, maximum: 4096))
    }

    @inline(__always)
    func fail(_ reason: JSONParseError.Reason, at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, reason: reason)
    }

    @inline(__always)
    mutating func skipSpace() {
        while i < end {
            let b = base[i]
            if b > 0x20 { return }
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { return }
        }
    }

    /// document = BOM? ws value ws
    mutating func parseDocument() throws(JSONParseError) -> JSON {
        if end >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { i = 3 }
        let value = try parseValue()
        skipSpace()
        if i < end { throw fail(.trailingData, at: i) }
        return value
    }

    /// value = object | array | string | number | "true" | "false" | "null"
    mutating func parseValue() throws(JSONParseError) -> JSON {
        skipSpace()
        guard i < end else { throw fail(.unexpectedEnd, at: i) }
        switch base[i] {
        case quote: return .string(try parseString())
        case openBrace: return try parseObject()
        case openBracket: return try parseArray()
        case UInt8(ascii: "t"): try expectWord(0x74, 0x72, 0x75, 0x65); return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord(0x66, 0x61, 0x6C, 0x73)
            guard i < end else { throw fail(.unexpectedEnd, at: i) }
            guard base[i] == 0x65 else { throw fail(.unexpectedByte(base[i]), at: i) }
            i += 1
            return .bool(false)
        case UInt8(ascii: "n"): try expectWord(0x6E, 0x75, 0x6C, 0x6C); return .null
        case minus, zero...UInt8(ascii: "9"): return try parseNumber()
        case let b: throw fail(.unexpectedByte(b), at: i)
        }
    }

    /// Consumes four given bytes.
    @inline(__always)
    mutating func expectWord(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) throws(JSONParseError) {
        if i + 4 <= end, base[i] == a, base[i + 1] == b, base[i + 2] == c, base[i + 3] == d {
            i += 4
            return
        }
        for (k, expected) in [a, b, c, d].enumerated() {
            guard i + k < end else { throw fail(.unexpectedEnd, at: end) }
            if base[i + k] != expected { throw fail(.unexpectedByte(base[i + k]), at: i + k) }
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maximumDepth { throw fail(.tooDeep(limit: JSONParser.maximumDepth), at: i) }
    }

    /// array = "[" ws ( value ws ( "," value ws )* )? "]"
    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enter()
        i += 1
        var items: [JSON] = []
        skipSpace()
        if i < end, base[i] == closeBracket {
            i += 1
            depth -= 1
            return .array(items)
        }
        while true {
            if i >= nextReport { report() }
            items.append(try parseValue())
            skipSpace()
            guard i < end else { throw fail(.unexpectedEnd, at: i) }
            let b = base[i]
            i += 1
            if b == comma { continue }
            if b == closeBracket { break }
            throw fail(.unexpectedByte(b), at: i - 1)
        }
        depth -= 1
        return .array(items)
    }

    /// Tells `consumed` that nothing before `i` (the start of an array element) is read again.
    mutating func report() {
        nextReport = i + interval
        consumed?(i)
    }

    /// object = "{" ws ( member ws ( "," ws member ws )* )? "}";  member = string ws ":" value
    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enter()
        i += 1
        skipSpace()
        if i < end, base[i] == closeBrace {
            i += 1
            depth -= 1
            return .object(JSONObject())
        }
        while shapes.count < depth { shapes.append([]) }
        let shape = shapes[depth - 1]
        var values: [JSON] = []
        values.reserveCapacity(shape.isEmpty ? 4 : shape.count)
        // Keys made for this object, once it leaves the shape; empty while following it.
        var keys: [String] = []
        // Positions of `keys`, once the object is too large for a linear duplicate check.
        var positions: [String: Int]? = nil
        var following = !shape.isEmpty
        while true {
            guard i < end else { throw fail(.unexpectedEnd, at: i) }
            guard base[i] == quote else { throw fail(.unexpectedByte(base[i]), at: i) }
            let n = values.count
            if following, n < shape.count, matchKey(shape[n]) {
                // The key equals the shape's key at this position: nothing to make.
            } else {
                let key = try parseKey()
                if following {
                    following = false
                    keys = Array(shape[0..<n])
                    keys.reserveCapacity(Swift.max(n + 4, shape.count))
                }
                skipSpace()
                guard i < end else { throw fail(.unexpectedEnd, at: i) }
                guard base[i] == colon else { throw fail(.unexpectedByte(base[i]), at: i) }
                i += 1
                let value = try parseValue()
                if let existing = Self.position(of: key, in: keys, positions: &positions) {
                    values[existing] = value
                } else {
                    positions?[key] = keys.count
                    keys.append(key)
                    values.append(value)
                }
                if try endOfMember() { break }
                continue
            }
            skipSpace()
            guard i < end else { throw fail(.unexpectedEnd, at: i) }
            guard base[i] == colon else { throw fail(.unexpectedByte(base[i]), at: i) }
            i += 1
            values.append(try parseValue())
            if try endOfMember() { break }
        }
        depth -= 1
        if following {
            if values.count == shape.count {
                return .object(JSONObject(uniqueKeys: shape, values: values))
            }
            keys = Array(shape[0..<values.count])
        }
        if shapes.count > depth { shapes[depth] = keys }
        return .object(JSONObject(uniqueKeys: keys, values: values))
    }

    /// After a member: true at the closing brace, false after a comma (positioned at the next key).
    @inline(__always)
    mutating func endOfMember() throws(JSONParseError) -> Bool {
        skipSpace()
        guard i < end else { throw fail(.unexpectedEnd, at: i) }
        let b = base[i]
        i += 1
        if b == closeBrace { return true }
        guard b == comma else { throw fail(.unexpectedByte(b), at: i - 1) }
        skipSpace()
        return false
    }

    /// The position of `key` among the keys read so far; large objects switch to a hash index.
    static func position(of key: String, in keys: [String], positions: inout [String: Int]?) -> Int? {
        if positions == nil {
            if keys.count < 32 { return keys.firstIndex(of: key) }
            var built = [String: Int](minimumCapacity: keys.count * 2)
            for k in keys.indices { built[keys[k]] = k }
            positions = built
        }
        return positions?[key]
    }

    /// If the string at `i` is exactly `key` (no escapes), consumes it and returns true.
    @inline(__always)
    mutating func matchKey(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { k in
            let n = k.count
            // Quote, the bytes, quote.
            guard i + n + 2 <= end, base[i + n + 1] == quote else { return false }
            if n > 0, memcmp(base + i + 1, k.baseAddress!, n) != 0 { return false }
            i += n + 2
            return true
        }
    }

    /// A key: a string, made once per distinct key.
    mutating func parseKey() throws(JSONParseError) -> String {
        let start = i + 1
        var k = start
        while k < end {
            let b = base[k]
            if b == quote {
                i = k + 1
                return keyCache.string(UnsafeBufferPointer(start: base + start, count: k - start))
            }
            if b == backslash || b < 0x20 { break }
            k += 1
        }
        return try parseString()
    }

    /// string = '"' characters '"', starting at the opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes. Eight bytes at a time while none is special.
        while i + 8 <= end {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if hasSpecialByte(w) { break }
            i += 8
        }
        while i < end {
            let b = base[i]
            if b == quote {
                let s = valueCache.string(UnsafeBufferPointer(start: base + start, count: i - start))
                i += 1
                return s
            }
            if b == backslash { break }
            if b < 0x20 { throw fail(.controlCharacterInString, at: i) }
            i += 1
        }
        guard i < end else { throw fail(.unexpectedEnd, at: i) }
        return try parseEscapedString(from: start)
    }

    /// The slow path of `parseString`, from the first backslash.
    mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
        while i < end {
            let b = base[i]
            if b == quote {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b < 0x20 { throw fail(.controlCharacterInString, at: i) }
            if b != backslash {
                scratch.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < end else { throw fail(.unexpectedEnd, at: i) }
            let e = base[i]
            i += 1
            switch e {
            case quote: scratch.append(0x22)
            case backslash: scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    if i + 1 < end, base[i] == backslash, base[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try readHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                            i = save
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar)
            default:
                throw fail(.invalidEscape, at: i - 2)
            }
        }
        throw fail(.unexpectedEnd, at: i)
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 <= end else { throw fail(.unexpectedEnd, at: end) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = base[i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw fail(.invalidEscape, at: i)
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    @inline(__always)
    func isDigit(_ k: Int) -> Bool {
        k < end && base[k] &- zero < 10
    }

    /// number = "-"? ( "0" | [1-9][0-9]* ) ( "." [0-9]+ )? ( [eE] [+-]? [0-9]+ )?
    mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = i
        let negative = base[i] == minus
        if negative { i += 1 }
        guard i < end else { throw fail(.invalidNumber, at: start) }
        // Accumulate negatively so that Int.min fits.
        var value = 0
        var overflow = false
        if base[i] == zero {
            i += 1
        } else if isDigit(i) {
            while isDigit(i) {
                let d = Int(base[i] &- zero)
                if !overflow {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.subtractingReportingOverflow(d)
                    if o1 || o2 { overflow = true } else { value = a }
                }
                i += 1
            }
        } else {
            throw fail(.invalidNumber, at: start)
        }
        var isDouble = overflow
        if i < end, base[i] == UInt8(ascii: ".") {
            isDouble = true
            i += 1
            guard isDigit(i) else { throw fail(.invalidNumber, at: start) }
            while isDigit(i) { i += 1 }
        }
        if i < end, base[i] | 0x20 == UInt8(ascii: "e") {
            isDouble = true
            i += 1
            if i < end, base[i] == UInt8(ascii: "+") || base[i] == minus { i += 1 }
            guard isDigit(i) else { throw fail(.invalidNumber, at: start) }
            while isDigit(i) { i += 1 }
        }
        if !isDouble {
            if negative {
                if value == 0 { return .double(-0.0) }
                return .int(value)
            }
            if value == Int.min { return .double(-Double(Int.min)) }
            return .int(-value)
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
        guard let d = Double(text) else { throw fail(.invalidNumber, at: start) }
        if d.isInfinite { return .double(d < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude) }
        return .double(d)
    }
}

/// True when one of the eight bytes in `w` is a quote, a backslash or below 0x20.
@inline(__always)
private func hasSpecialByte(_ w: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let q = w ^ (ones &* 0x22)
    let bs = w ^ (ones &* 0x5C)
    let hasQuote = (q &- ones) & ~q & highs
    let hasBackslash = (bs &- ones) & ~bs & highs
    let hasControl = (w &- ones &* 0x20) & ~w & highs
    return (hasQuote | hasBackslash | hasControl) != 0
}

/// A small direct-mapped cache of strings by their UTF-8 bytes, so that a string seen many
/// times is one string in memory. Strings of up to 15 bytes are stored inline in `String`
/// and longer than 64 are rarely repeated: neither is cached.
private struct StringCache {
    private var slots: [String?]
    private let mask: Int

    /// `count` is a power of two.
    init(slots count: Int) {
        slots = Array(repeating: nil, count: count)
        mask = count - 1
    }

    /// A power of two near `bytes / 64`, from 16 to `maximum` (a power of two).
    static func slots(forBytes bytes: Int, maximum: Int) -> Int {
        var n = 16
        while n < maximum, n * 64 < bytes { n *= 2 }
        return n
    }

    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count <= 15 || bytes.count > 64 { return String(decoding: bytes, as: UTF8.self) }
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        let slot = Int(h) & mask
        if var cached = slots[slot] {
            let same = cached.withUTF8 { c in
                c.count == bytes.count && memcmp(c.baseAddress!, bytes.baseAddress!, c.count) == 0
            }
            if same { return cached }
        }
        let s = String(decoding: bytes, as: UTF8.self)
        slots[slot] = s
        return s
    }
}
