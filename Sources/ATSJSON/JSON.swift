/// A JSON value: the single JSON representation used everywhere in ats.
///
/// Objects keep the order in which their keys were read or inserted (the server's order).
/// Numbers keep their kind: an integer that fits in `Int` stays `.int`, anything with a
/// fraction or an exponent (or too large for `Int`) is `.double`.
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

extension JSON {
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
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int(d)
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
public struct JSONObject: Sendable, Hashable, RandomAccessCollection {
    public private(set) var keys: [String]
    public private(set) var values: [JSON]
    /// Built once an object grows past `indexThreshold` members, so large objects look up in O(1).
    private var index: [String: Int]?
    private static let indexThreshold = 64

    /// An empty object.
    public init() {
        keys = []
        values = []
        index = nil
    }

    /// An object with these members; a later duplicate key replaces the earlier value in place.
    public init(_ members: some Sequence<(String, JSON)>) {
        self.init()
        for (k, v) in members { self[k] = v }
    }

    /// Appends a member without checking for a duplicate key. For parsers that have already
    /// checked, or that accept the last duplicate (see `JSONParser`).
    @inlinable
    public mutating func appendUnchecked(key: String, value: JSON) {
        _appendUnchecked(key: key, value: value)
    }

    @usableFromInline
    mutating func _appendUnchecked(key: String, value: JSON) {
        keys.append(key)
        values.append(value)
        if index != nil {
            index![key] = keys.count - 1
        } else if keys.count > Self.indexThreshold {
            buildIndex()
        }
    }

    private mutating func buildIndex() {
        var built = [String: Int](minimumCapacity: keys.count * 2)
        for (i, k) in keys.enumerated() { built[k] = i }
        index = built
    }

    /// The position of `key`, if present.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
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
                    keys.remove(at: i)
                    values.remove(at: i)
                    if index != nil { buildIndex() }
                }
            } else if let newValue {
                _appendUnchecked(key: key, value: newValue)
            }
        }
    }

    // MARK: Collection of (key, value) members

    public typealias Element = (key: String, value: JSON)
    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }
    public subscript(position: Int) -> Element { (keys[position], values[position]) }

    // MARK: Equality ignores order, as JSON's does.

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.keys.count == rhs.keys.count else { return false }
        for (i, k) in lhs.keys.enumerated() where rhs[k] != lhs.values[i] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys.count)
        // Order-independent: combine a commutative sum of member hashes.
        var sum = 0
        for (i, k) in keys.enumerated() {
            var h = Hasher()
            h.combine(k)
            h.combine(values[i])
            sum &+= h.finalize()
        }
        hasher.combine(sum)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) { self.init(elements) }
}
