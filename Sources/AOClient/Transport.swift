import ATSJSON

/// The value of one HTTP header: plain text, or a secret that only the wire sees.
public enum HeaderValue: Sendable, Hashable, CustomStringConvertible {
    case plain(String)
    case secret(Secret)

    /// The text to show a person: the plain value, or `********`.
    public var description: String {
        switch self {
        case .plain(let s): return s
        case .secret(let s): return s.description
        }
    }

    /// The bytes for the wire. Only transports (and the simulator that checks them) call this.
    public func revealed() -> String {
        switch self {
        case .plain(let s): return s
        case .secret(let s): return s.revealed()
        }
    }
}

/// HTTP header fields in order, with case-insensitive lookup.
public struct HTTPHeaderFields: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: HeaderValue
        public init(name: String, value: HeaderValue) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var fields: [Field] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, String)...) {
        for (n, v) in elements { add(n, v) }
    }

    /// Appends a plain field.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: .plain(value)))
    }

    /// Appends a field.
    public mutating func add(_ name: String, _ value: HeaderValue) {
        fields.append(Field(name: name, value: value))
    }

    /// Appends a field as it came off the wire: an HSSO challenge in `WWW-Authenticate`
    /// carries the session token, so it is held as a secret; every other field is plain.
    public mutating func addReceived(_ name: String, _ value: String) {
        if name.lowercased() == "www-authenticate", value.trimmed().lowercased().hasPrefix("hsso") {
            add(name, .secret(Secret(value)))
        } else {
            add(name, value)
        }
    }

    /// Replaces every field of this name with one field.
    public mutating func set(_ name: String, _ value: HeaderValue) {
        remove(name)
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field of this name.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.lowercased() == name.lowercased() }
    }

    /// The first field of this name (case-insensitive).
    public subscript(name: String) -> HeaderValue? {
        let lower = name.lowercased()
        return fields.first { $0.name.lowercased() == lower }?.value
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}

/// One HTTP request as ats sends it. `url` is absolute (`http://host:22015/Automation/v1/...`),
/// already percent-encoded.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaderFields
    public var body: [UInt8]?

    public init(method: String, url: String, headers: HTTPHeaderFields = HTTPHeaderFields(), body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response. Secret header values (`WWW-Authenticate: HSSO …`) arrive as `.secret`.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaderFields
    public var body: [UInt8]

    public init(status: Int, reason: String = "", headers: HTTPHeaderFields = HTTPHeaderFields(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }
}

/// How a request failed below HTTP: no response with a status line was received.
public enum TransportFailure: Error, Sendable, Hashable {
    /// The connection could not be made (refused, unreachable, DNS).
    case connect(host: String, port: Int, detail: String)
    /// No complete response within the time allowed.
    case timeout(seconds: Double)
    /// TLS handshake or certificate verification failed.
    case tls(detail: String)
    /// The server closed the connection before a complete response.
    case closed(detail: String)
    /// The response exceeded the size limit.
    case tooLarge(limit: Int)
    /// The URL could not be used.
    case invalidURL(String)
    /// The caller cancelled the request (Ctrl-C).
    case cancelled
    /// Anything else the HTTP library reported.
    case other(String)
}

/// Request in, response out. The real HTTP client, the in-memory simulator, a replayed case
/// file, and the tracing and recording decorators all implement it.
public protocol Transport: Sendable {
    /// Sends `request` and returns the response, whatever its status. Throws
    /// `TransportFailure` when no response arrives. `timeout` bounds the whole exchange.
    func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse
}
