import AOClient
import ATSJSON
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real transport: HTTP/1.1 over AsyncHTTPClient, one shared `HTTPClient` (and so one
/// keep-alive connection pool) per transport, on the process-wide NIO event loop group
/// (no threads are created per transport).
///
/// Redirects are not followed (task DELETE's 303 is an answer). `WWW-Authenticate: HSSO …`
/// arrives as `HeaderValue.secret`; secret request headers are revealed only here.
/// Call `shutdown()` when done; a transport dropped without it is shut down in the
/// background.
public final class HTTPTransport: Transport {
    /// Transport options (all in `ConnectionSettings` too).
    public struct Options: Sendable {
        /// Whole-request limit used when `send` is given none.
        public var timeout: Duration
        /// Connection establishment limit.
        public var connectTimeout: Duration
        /// Skip certificate verification.
        public var insecure: Bool
        /// PEM file of CA certificates to trust instead of the system roots.
        public var caCertificatePath: String?
        /// Largest accepted body.
        public var maximumResponseBytes: Int
        /// Idle keep-alive connections are closed after this long.
        public var idleTimeout: Duration

        /// Options; the defaults are those of `ConnectionSettings`.
        public init(
            timeout: Duration = ConnectionSettings.defaultTimeout,
            connectTimeout: Duration = ConnectionSettings.defaultConnectTimeout, insecure: Bool = false,
            caCertificatePath: String? = nil,
            maximumResponseBytes: Int = ConnectionSettings.defaultMaximumResponseBytes,
            idleTimeout: Duration = .seconds(60)
        ) {
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.insecure = insecure
            self.caCertificatePath = caCertificatePath
            self.maximumResponseBytes = maximumResponseBytes
            self.idleTimeout = idleTimeout
        }
    }

    /// The options in effect.
    public let options: Options
    private let client: HTTPClient
    private let isShutDown = Mutex(false)

    /// A transport for these connection settings (timeouts, TLS, size limit).
    public convenience init(settings: ConnectionSettings) throws(APIError) {
        try self.init(
            options: Options(
                timeout: settings.effectiveTimeout, connectTimeout: settings.effectiveConnectTimeout,
                insecure: settings.insecure, caCertificatePath: settings.caCertificatePath,
                maximumResponseBytes: settings.maximumResponseBytes))
    }

    /// A transport with these options. Fails (kind `.tls`) when the CA file cannot be read.
    public init(options: Options) throws(APIError) {
        self.options = options
        var tls = TLSConfiguration.makeClientConfiguration()
        if options.insecure {
            tls.certificateVerification = .none
        }
        if let path = options.caCertificatePath {
            tls.trustRoots = .certificates(try Self.loadCACertificates(path))
        }
        // TLS 1.0 and 1.1 are refused, as by curl, Go and the browsers.
        tls.minimumTLSVersion = .tlsv12
        // A connection abandoned mid-request (a timeout, Ctrl-C) is closed at once: waiting for
        // the server's close_notify (NIOSSL waits 5 s) would only delay the end of ats.
        tls.shutdownTimeout = .milliseconds(100)
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: Self.timeAmount(options.idleTimeout))
        // Fail fast on a refused connection instead of retrying until the deadline.
        pool.retryConnectionEstablishment = false
        // One connection per request in flight, up to the most `each --parallel` runs at once
        // (64): the script's N is the bound, not AsyncHTTPClient's default of 8 per host.
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        var config = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: Self.timeAmount(options.connectTimeout)),
            connectionPool: pool, decompression: .disabled)
        config.httpVersion = .http1Only
        config.http1_1ConnectionDebugInitializer = { channel in ConnectionReuseWatcher.install(on: channel) }
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }

    deinit {
        let wasShutDown = isShutDown.withLock { $0 }
        if !wasShutDown { client.shutdown { _ in } }
    }

    /// Closes all connections. Later `send`s fail. Safe to call more than once.
    public func shutdown() async {
        guard markShutDown() else { return }
        try? await client.shutdown()
    }

    /// Closes all connections, blocking until done (for synchronous callers; not on an event loop).
    @available(*, noasync, message: "use the async shutdown()")
    public func shutdown() {
        guard markShutDown() else { return }
        try? client.syncShutdown()
    }

    private func markShutDown() -> Bool {
        isShutDown.withLock { done in
            if done { return false }
            done = true
            return true
        }
    }

    /// Sends one request over a pooled keep-alive connection. `timeout` (else
    /// `options.timeout`) bounds the whole exchange, body included, retries too. Throws
    /// `TransportFailure`.
    ///
    /// An idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) that meets a reused keep-alive
    /// connection the server or a proxy has just closed, before any byte of the answer came
    /// back, is sent again on another connection, as curl and Go's net/http do; the event goes
    /// to `TransportEvents.observer` (the trace). A POST never is: the server may have acted on it.
    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        let limit = timeout ?? options.timeout
        if isShutDown.withLock({ $0 }) { throw TransportFailure.other("the connection was closed (disconnected)") }
        let max = options.maximumResponseBytes
        let deadline = NIODeadline.now() + Self.timeAmount(limit)
        var resent = 0
        while true {
            do {
                return try await attempt(request, deadline: deadline)
            } catch is StaleConnectionError where Self.isIdempotent(request.method) && resent < Self.maximumResends {
                resent += 1
                TransportEvents.observer?(.resent(method: request.method, url: request.url))
            } catch {
                throw await failure(for: error, url: request.url, limit: limit, maximumBytes: max)
            }
        }
    }

    /// How often one request is sent again after stale connections: each stale connection is
    /// closed when it fails, so this bounds the idle connections a request can meet (the pool
    /// holds at most 64) and never lets a request loop.
    static let maximumResends = 64

    /// Methods whose repetition has the effect of one request (RFC 9110 §9.2.2). In this API,
    /// PUT replaces the members it is given and DELETE answers 204 also when the object is
    /// already gone (reference §7 note 36), so both are safe to send again. POST is not.
    static func isIdempotent(_ method: String) -> Bool {
        switch method.uppercased() {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS": return true
        default: return false
        }
    }

    private func attempt(_ request: HTTPRequest, deadline: NIODeadline) async throws -> HTTPResponse {
        var headers = HTTPHeaders()
        for field in request.headers {
            headers.add(name: field.name, value: field.value.revealed())
        }
        let r = try HTTPClient.Request(
            url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
            body: request.body.map { .bytes($0) })
        // This API's deadline bounds the whole exchange, body included (the async/await
        // API's deadline stops at the response head).
        let delegate = SendTracking(ResponseAccumulator(request: r, maxBodySize: options.maximumResponseBytes))
        let task = client.execute(request: r, delegate: delegate, eventLoop: .indifferent, deadline: deadline)
        let response: ResponseAccumulator.Response
        do {
            response = try await withTaskCancellationHandler {
                try await task.get()
            } onCancel: {
                task.cancel()
            }
        } catch where !delegate.headWasSent && Self.isClosedConnection(error) {
            // The pool handed out a connection that had just closed; nothing was sent on it.
            throw StaleConnectionError()
        }
        var fields = HTTPHeaderFields()
        for (name, value) in response.headers { fields.addReceived(name, value) }
        let body = response.body.map { Array(buffer: $0) } ?? []
        return HTTPResponse(status: Int(response.status.code), reason: response.status.reasonPhrase, headers: fields, body: body)
    }

    /// AsyncHTTPClient's errors for a request given a connection that had already closed.
    private static func isClosedConnection(_ error: any Error) -> Bool {
        if let e = error as? HTTPClientError { return e == .remoteConnectionClosed }
        if let e = error as? ChannelError { return e == .ioOnClosedChannel }
        return false
    }

    /// The failure for `error`; a certificate that failed verification is examined first
    /// (`TLSDiagnosis`) so that the message can say which check failed.
    private func failure(for error: any Error, url: String, limit: Duration, maximumBytes: Int) async -> TransportFailure {
        let mapped = Self.failure(for: error, url: url, limit: limit, maximumBytes: maximumBytes)
        guard case .tls(let problem, let detail) = mapped, let address = try? ServerAddress(parsing: url) else { return mapped }
        let diagnosed = await TLSDiagnosis.examine(
            problem, host: address.host, port: address.port, caFile: options.caCertificatePath,
            timeout: min(options.connectTimeout, .seconds(3)))
        return .tls(diagnosed, detail: detail)
    }

    /// Maps AsyncHTTPClient, NIO and TLS errors to `TransportFailure`.
    static func failure(for error: any Error, url: String, limit: Duration, maximumBytes: Int) -> TransportFailure {
        if let f = error as? TransportFailure { return f }
        if error is StaleConnectionError { return .closed(detail: "a kept-alive connection was closed before any answer") }
        let address = try? ServerAddress(parsing: url)
        let host = address?.host ?? url
        let port = address?.port ?? 0
        let seconds = Self.seconds(limit)
        if error is CancellationError { return .cancelled }
        if error is NIOTooManyBytesError || error is ResponseAccumulator.ResponseTooBigError {
            return .tooLarge(limit: maximumBytes)
        }
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout: return .timeout(seconds: seconds)
            case .connectTimeout: return .connect(host: host, port: port, detail: "connection timed out")
            case .remoteConnectionClosed: return .closed(detail: "connection closed by the server")
            case .bodyLengthMismatch, .uncleanShutdown: return .closed(detail: "incomplete response")
            case .cancelled, .requestStreamCancelled: return .cancelled
            case .tlsHandshakeTimeout: return .tls(.handshakeTimeout, detail: "TLS handshake timed out")
            case .invalidURL, .emptyHost, .emptyScheme: return .invalidURL(url)
            case .alreadyShutdown: return .other("the connection was closed (disconnected)")
            default: return .other(String(describing: e))
            }
        }
        if let e = error as? ChannelError {
            switch e {
            case .connectTimeout: return .connect(host: host, port: port, detail: "connection timed out")
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return .closed(detail: "connection closed by the server")
            default: return .other(String(describing: e))
            }
        }
        if let e = error as? NIOConnectionError {
            if e.dnsAError != nil || e.dnsAAAAError != nil, e.connectionErrors.isEmpty {
                return .connect(host: host, port: port, detail: "cannot resolve host name")
            }
            let inner = e.connectionErrors.first?.error
            if let io = inner as? IOError { return .connect(host: host, port: port, detail: errnoText(io.errnoCode)) }
            return .connect(host: host, port: port, detail: inner.map { String(describing: $0) } ?? "connection failed")
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL:
                return .connect(host: host, port: port, detail: errnoText(io.errnoCode))
            case ECONNRESET, EPIPE:
                return .closed(detail: errnoText(io.errnoCode))
            default:
                return .other(String(describing: io))
            }
        }
        if let problem = TLSDiagnosis.problem(of: error, host: host) {
            return .tls(problem, detail: String(describing: error))
        }
        if let e = error as? HTTPParserError {
            switch e {
            case .invalidEOFState: return .closed(detail: "the response was cut short")
            default: return .other("malformed HTTP response: \(e)")
            }
        }
        if error is SocketAddressError { return .connect(host: host, port: port, detail: "cannot resolve host name") }
        return .other(String(describing: error))
    }

    /// The certificates of a PEM CA file; fails (`.caFile`) before any connection is made.
    static func loadCACertificates(_ path: String) throws(APIError) -> [NIOSSLCertificate] {
        func fail(_ problem: CAFileProblem) -> APIError {
            APIError(transport: .caFile(path: path, problem: problem), operation: .connect, method: "", url: "")
        }
        guard access(path, F_OK) == 0 else { throw fail(.missing) }
        var status = stat()
        guard access(path, R_OK) == 0, stat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
            throw fail(.unreadable)
        }
        if status.st_size == 0 { throw fail(.noCertificate) }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw fail(.notPEM)
        }
        if certificates.isEmpty { throw fail(.noCertificate) }
        return certificates
    }

    private static func errnoText(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case ECONNRESET: return "connection reset by the server"
        case EPIPE: return "connection closed by the server"
        case ETIMEDOUT: return "connection timed out"
        case EADDRNOTAVAIL: return "address not available"
        default: return "error \(code)"
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        let c = d.components
        return .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
    }
}
