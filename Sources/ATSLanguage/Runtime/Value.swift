import ATSJSON

/// A value of the language: JSON values plus time, duration, error, secret and functions.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case object(ValueObject)
    case time(TimeValue)
    case duration(Duration)
    indirect case error(ErrorValue)
    case secret(Secret)
    indirect case function(FunctionValue)
}

/// An object of the language: keys in insertion (server) order.
public struct ValueObject: Sendable, RandomAccessCollection {
    public private(set) var keys: [String] = []
    public private(set) var values: [Value] = []

    public init() {}
    public init(_ members: some Sequence<(String, Value)>) {
        for (k, v) in members { self[k] = v }
    }

    public subscript(key: String) -> Value? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { values[i] = newValue } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// An object from parallel arrays whose keys are known to be unique, without checking
    /// them. Passing the `keys` of another object shares that array (copy-on-write), so a
    /// list of records with the same members keeps one keys array, not one per record.
    public init(uncheckedUniqueKeys keys: [String], values: [Value]) {
        precondition(keys.count == values.count, "ValueObject: \(keys.count) keys for \(values.count) values")
        self.keys = keys
        self.values = values
    }

    /// Appends without checking for duplicates (the caller knows the key is new).
    public mutating func appendUnchecked(_ key: String, _ value: Value) {
        keys.append(key)
        values.append(value)
    }

    public typealias Element = (key: String, value: Value)
    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }
    public subscript(position: Int) -> Element { (keys[position], values[position]) }
}

/// A point in time, with the UTC offset it was written in (kept so it prints as the server sent it).
public struct TimeValue: Sendable, Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64
    /// The offset from UTC in seconds that the time was written with.
    public var utcOffsetSeconds: Int

    public init(millisecondsSinceEpoch: Int64, utcOffsetSeconds: Int) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public static func < (a: TimeValue, b: TimeValue) -> Bool { a.millisecondsSinceEpoch < b.millisecondsSinceEpoch }
    public static func == (a: TimeValue, b: TimeValue) -> Bool { a.millisecondsSinceEpoch == b.millisecondsSinceEpoch }
    public func hash(into h: inout Hasher) { h.combine(millisecondsSinceEpoch) }
}

/// What kind of failure an error value is; scripts read it as `err.kind` (its raw value).
public enum ErrorKind: String, Sendable, Hashable, CaseIterable {
    /// The server answered with an error status (other than 401).
    case http
    /// No usable answer: connection refused or closed, an invalid URL.
    case transport
    /// No answer in time, or `wait --timeout` ran out.
    case timeout
    /// The TLS handshake or the certificate check failed.
    case tls
    /// Credentials rejected or missing.
    case auth
    /// The answer could not be read (malformed JSON, unexpected shape).
    case decoding
    /// The script itself: a bad argument, a failed `source`, a runtime type error.
    case script
    /// Ctrl-C stopped a command while it waited; the run ends (exit 130), `catch` never sees it.
    case interrupted
}

/// What a failed command or a script error produces; scripts inspect it after `catch`.
/// API errors are turned into one of these once, in the shell glue.
public struct ErrorValue: Error, Sendable {
    /// What kind of failure it is.
    public var kind: ErrorKind
    /// One line: what happened (`409 Conflict`, `connection refused at aohost:22015`).
    public var summary: String
    /// Further lines: why, what it means for this operation, and what to do.
    public var details: [String]
    /// The command as typed, when a command failed (`stop 5381 --force`).
    public var command: String?
    /// Members visible to scripts: `status`, `reason`, `messageID`, `message`, `method`, `url`, ….
    /// `kind`, `message` (defaults to `summary`) and `location` are always readable.
    public var fields: ValueObject
    /// Where the failing statement is.
    public var location: SourceLocation?

    public init(
        kind: ErrorKind, summary: String, details: [String] = [], command: String? = nil,
        fields: ValueObject = ValueObject(), location: SourceLocation? = nil
    ) {
        self.kind = kind
        self.summary = summary
        self.details = details
        self.command = command
        self.fields = fields
        self.location = location
    }
}

/// A function value (a user `fn`, or a built-in referenced by name). The interpreter owns
/// what is inside; hosts only pass it around.
public struct FunctionValue: Sendable {
    public var name: String
    public let body: AnyFunctionBody

    public init(name: String, body: AnyFunctionBody) {
        self.name = name
        self.body = body
    }
}

/// The interpreter's representation of a callable, opaque to hosts.
public protocol AnyFunctionBody: AnyObject, Sendable {}
