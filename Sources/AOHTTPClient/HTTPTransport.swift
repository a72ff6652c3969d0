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
            func fail(_ why: String) -> APIError {
                APIError(transport: .tls(detail: "CA file \(path): \(why)"), operation: .connect, method: "", url: "")
            }
            guard access(path, R_OK) == 0 else { throw fail("cannot be read") }
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw fail("not a PEM certificate file (\(error))")
            }
            if certificates.isEmpty { throw fail("contains no certificate") }
            tls.trustRoots = .certificates(certificates)
        }
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
    /// `options.timeout`) bounds the whole exchange, body included. Throws `TransportFailure`.
    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        let limit = timeout ?? options.timeout
        if isShutDown.withLock({ $0 }) { throw TransportFailure.other("the connection was closed (disconnected)") }
        let max = options.maximumResponseBytes
        do {
            var headers = HTTPHeaders()
            for field in request.headers {
                headers.add(name: field.name, value: field.value.revealed())
            }
            let r = try HTTPClient.Request(
                url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                body: request.body.map { .bytes($0) })
            // This API's deadline bounds the whole exchange, body included (the async/await
            // API's deadline stops at the response head).
            let task = client.execute(
                request: r, delegate: ResponseAccumulator(request: r, maxBodySize: max), eventLoop: .indifferent,
                deadline: .now() + Self.timeAmount(limit))
            let response = try await withTaskCancellationHandler {
                try await task.get()
            } onCancel: {
                task.cancel()
            }
            var fields = HTTPHeaderFields()
            for (name, value) in response.headers { fields.addReceived(name, value) }
            let body = response.body.map { Array(buffer: $0) } ?? []
            return HTTPResponse(status: Int(response.status.code), reason: response.status.reasonPhrase, headers: fields, body: body)
        } catch {
            throw Self.failure(for: error, url: request.url, limit: limit, maximumBytes: max)
        }
    }

    /// Maps AsyncHTTPClient, NIO and TLS errors to `TransportFailure`.
    static func failure(for error: any Error, url: String, limit: Duration, maximumBytes: Int) -> TransportFailure {
        if let f = error as? TransportFailure { return f }
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
            case .tlsHandshakeTimeout: return .tls(detail: "TLS handshake timed out")
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
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return .tls(detail: String(describing: error))
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
