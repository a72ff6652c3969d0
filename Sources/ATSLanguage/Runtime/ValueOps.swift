import ATSJSON

// Operations on values: truth, equality, order, text, arithmetic.

extension Value {
    /// The type's name as messages show it.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .object: return "an object"
        case .time: return "a time"
        case .duration: return "a duration"
        case .error: return "an error"
        case .secret: return "a secret"
        case .function: return "a function"
        }
    }

    /// False for `null`, `false`, `0`, `""`, `[]` and `{}`; true otherwise.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .object(let o): return !o.isEmpty
        case .time, .duration, .error, .secret, .function: return true
        }
    }

    /// Deep equality; `1 == 1.0`.
    public static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int(let x), .double(let y)): return Double(x) == y
        case (.double(let x), .int(let y)): return x == Double(y)
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], equal(v, w) else { return false }
            }
            return true
        case (.time(let x), .time(let y)): return x == y
        case (.duration(let x), .duration(let y)): return x == y
        case (.secret(let x), .secret(let y)): return x == y
        case (.error(let x), .error(let y)): return equal(.object(x.allFields), .object(y.allFields))
        case (.function(let x), .function(let y)): return x.body === y.body
        case (.null, _), (.bool, _), (.int, _), (.double, _), (.string, _), (.list, _), (.object, _), (.time, _),
            (.duration, _), (.secret, _), (.error, _), (.function, _):
            return false
        }
    }

    /// Order of two values of comparable types, or nil.
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return cmp(x, y)
        case (.int(let x), .double(let y)): return cmp(Double(x), y)
        case (.double(let x), .int(let y)): return cmp(x, Double(y))
        case (.double(let x), .double(let y)): return cmp(x, y)
        case (.string(let x), .string(let y)): return cmp(x, y)
        case (.time(let x), .time(let y)): return cmp(x.millisecondsSinceEpoch, y.millisecondsSinceEpoch)
        case (.duration(let x), .duration(let y)): return cmp(x, y)
        case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
        case (.null, .null): return 0
        default: return nil
        }
    }

    /// The order for sorting mixed lists (null < bool < number < string < time < duration < others),
    /// as one three-way comparison: negative, zero or positive.
    static func sortComparison(_ a: Value, _ b: Value) -> Int {
        guard let c = compare(a, b) else { return a.sortRank - b.sortRank }
        // `compare` puts NaN after every number, both ways round; sorting ranks it with them.
        if c > 0, case .double(let x) = a, x.isNaN { return 0 }
        if c > 0, case .double(let y) = b, y.isNaN { return 0 }
        return c
    }

    private var sortRank: Int {
        switch self {
        case .null: return 0
        case .bool: return 1
        case .int, .double: return 2
        case .string: return 3
        case .time: return 4
        case .duration: return 5
        case .list: return 6
        case .object: return 7
        case .error, .secret, .function: return 8
        }
    }

    /// The text of a value as `str()`, `echo` and interpolation show it: strings as they
    /// are, secrets masked, times in ISO 8601, other values as compact JSON.
    public var text: String {
        switch self {
        case .string(let s): return s
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double, .list, .object, .error: return JSONWriter.compact.string(toJSON())
        case .time(let t): return t.iso8601
        case .duration(let d): return DurationText.format(d)
        case .secret(let s): return s.description
        case .function(let f): return "fn \(f.name)"
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}

/// Arithmetic and comparison with the slow paths (the interpreter inlines int fast paths).
enum Arithmetic {
    static func add(_ a: Value, _ b: Value) -> Result<Value, RuntimeError> {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? .failure(.integerOverflow) : .success(.int(r))
        case (.int(let x), .double(let y)): return .success(.double(Double(x) + y))
        case (.double(let x), .int(let y)): return .success(.double(x + Double(y)))
        case (.double(let x), .double(let y)): return .success(.double(x + y))
        case (.string(let x), .string(let y)): return .success(.string(x + y))
        case (.string(let x), _): return .success(.string(x + b.text))
        case (.list(var x), .list(let y)):
            x.append(contentsOf: y)
            return .success(.list(x))
        case (.object(var x), .object(let y)):
            for (k, v) in y { x[k] = v }
            return .success(.object(x))
        case (.time(let t), .duration(let d)), (.duration(let d), .time(let t)):
            return .success(.time(TimeValue(millisecondsSinceEpoch: t.millisecondsSinceEpoch + d.milliseconds, utcOffsetSeconds: t.utcOffsetSeconds)))
        case (.duration(let x), .duration(let y)): return .success(.duration(x + y))
        default: return .failure(.typeMismatch(op: "+", left: a.typeName, right: b.typeName))
        }
    }

    static func subtract(_ a: Value, _ b: Value) -> Result<Value, RuntimeError> {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? .failure(.integerOverflow) : .success(.int(r))
        case (.int(let x), .double(let y)): return .success(.double(Double(x) - y))
        case (.double(let x), .int(let y)): return .success(.double(x - Double(y)))
        case (.double(let x), .double(let y)): return .success(.double(x - y))
        case (.time(let t), .duration(let d)):
            return .success(.time(TimeValue(millisecondsSinceEpoch: t.millisecondsSinceEpoch - d.milliseconds, utcOffsetSeconds: t.utcOffsetSeconds)))
        case (.time(let x), .time(let y)): return .success(.duration(.milliseconds(x.millisecondsSinceEpoch - y.millisecondsSinceEpoch)))
        case (.duration(let x), .duration(let y)): return .success(.duration(x - y))
        default: return .failure(.typeMismatch(op: "-", left: a.typeName, right: b.typeName))
        }
    }

    static func multiply(_ a: Value, _ b: Value) -> Result<Value, RuntimeError> {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? .failure(.integerOverflow) : .success(.int(r))
        case (.int(let x), .double(let y)): return .success(.double(Double(x) * y))
        case (.double(let x), .int(let y)): return .success(.double(x * Double(y)))
        case (.double(let x), .double(let y)): return .success(.double(x * y))
        case (.duration(let d), .int(let n)), (.int(let n), .duration(let d)): return .success(.duration(d * n))
        case (.duration(let d), .double(let n)), (.double(let n), .duration(let d)):
            return .success(.duration(.milliseconds(Int64((Double(d.milliseconds) * n).rounded()))))
        case (.string(let s), .int(let n)) where n >= 0 && n < 1_000_000: return .success(.string(String(repeating: s, count: n)))
        default: return .failure(.typeMismatch(op: "*", left: a.typeName, right: b.typeName))
        }
    }

    /// `7 / 2` is `3.5`; `6 / 2` is `3` (an integer when the division is exact).
    static func divide(_ a: Value, _ b: Value) -> Result<Value, RuntimeError> {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return .failure(.divisionByZero) }
            if y == -1 && x == Int.min { return .failure(.integerOverflow) }
            return .success(x % y == 0 ? .int(x / y) : .double(Double(x) / Double(y)))
        case (.int, .double), (.double, .int), (.double, .double):
            let y = b.doubleValue!
            if y == 0 { return .failure(.divisionByZero) }
            return .success(.double(a.doubleValue! / y))
        case (.duration(let d), .int(let n)):
            if n == 0 { return .failure(.divisionByZero) }
            return .success(.duration(d / n))
        case (.duration(let x), .duration(let y)):
            if y == .zero { return .failure(.divisionByZero) }
            return .success(.double(Double(x.milliseconds) / Double(y.milliseconds)))
        default: return .failure(.typeMismatch(op: "/", left: a.typeName, right: b.typeName))
        }
    }

    static func remainder(_ a: Value, _ b: Value) -> Result<Value, RuntimeError> {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return .failure(.divisionByZero) }
            if y == -1 { return .success(.int(0)) }
            return .success(.int(x % y))
        case (.int, .double), (.double, .int), (.double, .double):
            let y = b.doubleValue!
            if y == 0 { return .failure(.divisionByZero) }
            return .success(.double(a.doubleValue!.truncatingRemainder(dividingBy: y)))
        default: return .failure(.typeMismatch(op: "%", left: a.typeName, right: b.typeName))
        }
    }

    static func negate(_ a: Value) -> Result<Value, RuntimeError> {
        switch a {
        case .int(let x):
            if x == Int.min { return .failure(.integerOverflow) }
            return .success(.int(-x))
        case .double(let x): return .success(.double(-x))
        case .duration(let d): return .success(.duration(.zero - d))
        default: return .failure(.badOperand(op: "-", type: a.typeName))
        }
    }

    static func contains(_ container: Value, _ item: Value) -> Result<Bool, RuntimeError> {
        switch container {
        case .list(let l): return .success(l.contains { Value.equal($0, item) })
        case .object(let o):
            guard case .string(let k) = item else { return .success(false) }
            return .success(o[k] != nil)
        case .string(let s):
            guard case .string(let sub) = item else { return .failure(.typeMismatch(op: "in", left: item.typeName, right: container.typeName)) }
            return .success(s.containsScalars(sub))
        case .null: return .success(false)
        default: return .failure(.typeMismatch(op: "in", left: item.typeName, right: container.typeName))
        }
    }
}

extension Value {
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}
