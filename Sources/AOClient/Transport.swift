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
    /// TLS handshake or certificate verification failed: which check, and the library's own
    /// words (`detail`, shown only by the trace and kept in case files).
    case tls(TLSProblem, detail: String)
    /// The CA file of `--cacert` (or a profile's `cacert`) cannot be used; no connection was made.
    case caFile(path: String, problem: CAFileProblem)
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

/// Which TLS check failed, in terms a person can act on.
public enum TLSProblem: Sendable, Hashable {
    /// The server's certificate is not signed by a trusted CA; `caFile` is the CA file in use.
    case untrustedCertificate(caFile: String?)
    /// The certificate does not name the host connected to; `names` are the names it holds.
    case hostnameMismatch(host: String, names: [String])
    /// The certificate is out of its validity period (seconds since 1970, UTC).
    case expired(notBefore: Int64, notAfter: Int64)
    /// The certificate's validity period has not begun (seconds since 1970, UTC).
    case notYetValid(notBefore: Int64, notAfter: Int64)
    /// The server speaks no TLS version that ats accepts (1.2 and 1.3).
    case protocolVersion
    /// The server ended the handshake with a generic refusal: it shares no cipher suite with
    /// ats, or it wants a client certificate (TLS 1.2 servers say both the same way).
    case handshakeRefused
    /// The server requires a client certificate, which ats does not send.
    case clientCertificateRequired
    /// The server did not answer in TLS (a plain HTTP port, most likely).
    case notTLS
    /// The handshake did not finish in time.
    case handshakeTimeout
    /// Any other TLS failure (the detail says which).
    case other
}

/// Why a CA file cannot be used.
public enum CAFileProblem: Sendable, Hashable {
    /// No file at that path.
    case missing
    /// The file exists but cannot be read (permissions, a directory).
    case unreadable
    /// The file is not PEM certificates.
    case notPEM
    /// The file is PEM but holds no certificate.
    case noCertificate
}

/// Something a transport did while handling one request that the trace shows: the only one
/// today is sending the request again after a kept-alive connection turned out to be closed.
public enum TransportEvent: Sendable, Hashable {
    /// The reused keep-alive connection was closed before any byte of the answer arrived; the
    /// idempotent request is sent again on another connection.
    case resent(method: String, url: String)
}

/// Where a transport reports its `TransportEvent`s: a task-local observer (the tracing
/// transport sets it around each request it passes on), so no transport needs a hook.
public enum TransportEvents {
    /// The observer of the request in flight, if any.
    @TaskLocal public static var observer: (@Sendable (TransportEvent) -> Void)?
}

/// Request in, response out. The real HTTP client, the in-memory simulator, a replayed case
/// file, and the tracing and recording decorators all implement it.
public protocol Transport: Sendable {
    /// Sends `request` and returns the response, whatever its status. Throws
    /// `TransportFailure` when no response arrives. `timeout` bounds the whole exchange.
    func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse
}
