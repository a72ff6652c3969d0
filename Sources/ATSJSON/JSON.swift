/// A JSON value: the single JSON representation used everywhere in ats.
///
/// Objects keep the order in which their keys were read or inserted (the server's order).
/// Numbers keep their kind: an integer that fits in `Int` stays `.int`, anything with a
/// fraction or an exponent (or too large for `Int`) is `.double`.
///
/// Equality follows JSON, not Swift: numbers compare by value as jq compares them
/// (`.int(1) == .double(1.0)`; an `.int` and a `.double` compare as doubles, so an integer
/// beyond 2^53 equals the double it rounds to), and objects compare by members regardless
/// of order.
public enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

extension JSON: Hashable {
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.null, _), (.bool, _), (.int, _), (.double, _), (.string, _), (.array, _), (.object, _):
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let b): hasher.combine(1 as UInt8); hasher.combine(b)
        case .int(let i): JSON.hashNumber(Double(i), into: &hasher)
        case .double(let d): JSON.hashNumber(d, into: &hasher)
        case .string(let s): hasher.combine(4 as UInt8); hasher.combine(s)
        case .array(let a): hasher.combine(5 as UInt8); hasher.combine(a)
        case .object(let o): hasher.combine(6 as UInt8); hasher.combine(o)
        }
    }
}

extension JSON {
    /// Numbers hash by their value as a double, so that equal `.int` and `.double` hash alike.
    static func hashNumber(_ d: Double, into hasher: inout Hasher) {
        if let i = Int(exactly: d) {
            hasher.combine(2 as UInt8)
            hasher.combine(i)
        } else {
            hasher.combine(3 as UInt8)
            hasher.combine(d)
        }
    }

    /// The member `key` of an object; `nil` for a missing member or a value that is not an object.
    public subscript(key: String) -> JSON? {
        get {
            if case .object(let object) = self { return object[key] }
            return nil
        }
        set {
            guard case .object(var object) = self else { return }
            self = .null
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSON? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as an `Int` if it is an integer (or a double with no fraction).
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d): return Int(exactly: d)
        default: return nil
        }
    }

    /// The number as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The Boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, if this is one.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(JSONObject(elements))
    }
}

/// The members of a JSON object, in order. Keys are unique; setting an existing key keeps
/// its position, setting a new key appends it, setting `nil` removes it.
///
/// Small objects look keys up by a linear scan; an object that grows past
/// `indexThreshold` members gets a hash index. Objects parsed from a list of records with
/// the same members share one `keys` array (copy-on-write), which is most of the memory a
/// large API listing would otherwise take.
public struct JSONObject: Sendable, RandomAccessCollection {
    /// The keys, with a hash index once the object is large. One reference wide, so that
    /// `JSON` stays small.
    @usableFromInline
    enum Keys: Sendable {
        case small([String])
        case indexed(IndexedKeys)
    }

    @usableFromInline
    var storage: Keys
    /// The values, in the order of `keys`.
    public private(set) var values: [JSON]

    static let indexThreshold = 64

    /// The keys, in order.
    public var keys: [String] {
        switch storage {
        case .small(let keys): return keys
        case .indexed(let box): return box.keys
        }
    }

    /// An empty object.
    public init() {
        storage = .small([])
        values = []
    }

    /// An object with these members; a later duplicate key replaces the earlier value in place.
    public init(_ members: some Sequence<(String, JSON)>) {
        self.init()
        for (k, v) in members { self[k] = v }
    }

    /// An object from parallel arrays whose keys are known to be unique, without checking
    /// them. Passing the `keys` of another object shares that array (copy-on-write) instead
    /// of building one per object, which is what keeps a large listing small: converters
    /// from other representations should pass keys through this way.
    public init(uncheckedUniqueKeys keys: [String], values: [JSON]) {
        precondition(keys.count == values.count, "JSONObject: \(keys.count) keys for \(values.count) values")
        self.init(uniqueKeys: keys, values: values)
    }

    /// An object from parallel arrays whose keys are known to be unique (the parser's path).
    init(uniqueKeys keys: [String], values: [JSON]) {
        if keys.count > Self.indexThreshold {
            storage = .indexed(IndexedKeys(keys))
        } else {
            storage = .small(keys)
        }
        self.values = values
    }

    /// Appends a member without checking for a duplicate key. For parsers that have already
    /// checked, or that accept the last duplicate (see `JSONParser`).
    public mutating func appendUnchecked(key: String, value: JSON) {
        values.append(value)
        switch storage {
        case .small(var keys):
            storage = .small([])
            keys.append(key)
            if keys.count > Self.indexThreshold {
                storage = .indexed(IndexedKeys(keys))
            } else {
                storage = .small(keys)
            }
        case .indexed(let box):
            uniqueIndexed(box).append(key)
        }
    }

    /// The index box, copied first if another object shares it.
    private mutating func uniqueIndexed(_ box: IndexedKeys) -> IndexedKeys {
        var box = box
        storage = .small([])
        if !isKnownUniquelyReferenced(&box) { box = IndexedKeys(box.keys) }
        storage = .indexed(box)
        return box
    }

    /// The position of `key`, if present.
    public func position(of key: String) -> Int? {
        switch storage {
        case .small(let keys): return keys.firstIndex(of: key)
        case .indexed(let box): return box.index[key]
        }
    }

    /// The value of `key`, or `nil`.
    public subscript(key: String) -> JSON? {
        get {
            guard let i = position(of: key) else { return nil }
            return values[i]
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    values[i] = newValue
                } else {
                    values.remove(at: i)
                    switch storage {
                    case .small(var keys):
                        storage = .small([])
                        keys.remove(at: i)
                        storage = .small(keys)
                    case .indexed(let box):
                        var keys = box.keys
                        keys.remove(at: i)
                        storage = .indexed(IndexedKeys(keys))
                    }
                }
            } else if let newValue {
                appendUnchecked(key: key, value: newValue)
            }
        }
    }

    // MARK: Collection of (key, value) members

    public typealias Element = (key: String, value: JSON)
    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }
    public subscript(position: Int) -> Element { (keys[position], values[position]) }

    /// The key at `position`, without materialising the keys array.
    @inlinable
    public func key(at position: Int) -> String {
        switch storage {
        case .small(let keys): return keys[position]
        case .indexed(let box): return box.keys[position]
        }
    }
}

/// Keys with a hash index, for large objects. Shared copy-on-write between copies of an object.
@usableFromInline
final class IndexedKeys: @unchecked Sendable {
    // Mutated only through `JSONObject`, after a uniqueness check.
    @usableFromInline var keys: [String]
    var index: [String: Int]

    init(_ keys: [String]) {
        self.keys = keys
        var built = [String: Int](minimumCapacity: keys.count)
        for i in keys.indices { built[keys[i]] = i }
        index = built
    }

    func append(_ key: String) {
        index[key] = keys.count
        keys.append(key)
    }
}

extension JSONObject: Hashable {
    /// Equality ignores member order, as JSON's does.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.values.count == rhs.values.count else { return false }
        let lkeys = lhs.keys
        let rkeys = rhs.keys
        if lkeys == rkeys { return lhs.values == rhs.values }
        for i in lkeys.indices where rhs[lkeys[i]] != lhs.values[i] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values.count)
        // Order-independent: combine a commutative sum of member hashes.
        var sum = 0
        let keys = self.keys
        for i in keys.indices {
            var h = Hasher()
            h.combine(keys[i])
            h.combine(values[i])
            sum &+= h.finalize()
        }
        hasher.combine(sum)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) { self.init(elements) }
}
