// A small scriptable HTTP/1.1 server on 127.0.0.1 (port 0), on SwiftNIO, for transport and
// session tests: each request gets the `TestHTTPServer.Reply` its handler returns.
import AOClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An in-process HTTP server on loopback whose answers each test scripts.
public final class TestHTTPServer: Sendable {
    /// What the server does with one request.
    public enum Reply: Sendable {
        /// A complete response with `Content-Length`.
        case respond(status: Int, reason: String? = nil, headers: [(String, String)] = [], body: [UInt8] = [])
        /// A chunked response (no `Content-Length`) of `size` bytes of `x`, sent in 64 KiB chunks.
        case chunked(status: Int, headers: [(String, String)] = [], size: Int)
        /// Announces `Content-Length: declaredLength`, sends `partialBody`, then closes.
        case dropMidBody(status: Int, headers: [(String, String)] = [], partialBody: [UInt8], declaredLength: Int)
        /// Sends the head of a response with `Content-Length`, then nothing (the body never comes).
        case stallAfterHead(status: Int, declaredLength: Int)
        /// Reads the request and never answers (the connection stays open).
        case neverAnswer
        /// Closes the connection without a response.
        case close
        /// Waits, then replies.
        indirect case delayed(Duration, Reply)

        /// A JSON response (`Content-Type: application/json`) with a text body.
        public static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
        }
    }

    /// One request as the server saw it.
    public struct Request: Sendable {
        public var method: String
        /// Path and query as sent (`/Automation/v1/objects/Tasks?…`).
        public var uri: String
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Which accepted connection (0-based) carried it.
        public var connection: Int

        /// The first header of this name (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let channel: any Channel
    private let state: SharedState
    /// The port the server listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT` (or `https://…` with TLS).
    public let baseURL: String

    final class SharedState: Sendable {
        struct Received {
            var requests: [Request] = []
            /// Callers of `requestsReceived(_:)`, each with the count it waits for.
            var waiters: [(count: Int, done: CheckedContinuation<Void, Never>)] = []
        }
        let handler: @Sendable (Request) -> Reply
        let received = Mutex(Received())
        let connections = Mutex(0)
        init(handler: @escaping @Sendable (Request) -> Reply) { self.handler = handler }

        /// Keeps a request and wakes the callers waiting for this many.
        func record(_ request: Request) {
            let ready = received.withLock { r in
                r.requests.append(request)
                let n = r.requests.count
                let ready = r.waiters.filter { $0.count <= n }.map(\.done)
                r.waiters.removeAll { $0.count <= n }
                return ready
            }
            for done in ready { done.resume() }
        }
    }

    /// Starts a server; `handler` is called for each request (on an event loop: keep it quick).
    public init(tls: TLSConfiguration? = nil, handler: @escaping @Sendable (Request) -> Reply) async throws {
        let state = SharedState(handler: handler)
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let number = state.connections.withLock { n in
                        defer { n += 1 }
                        return n
                    }
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ScriptHandler(state: state, connection: number))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        baseURL = (tls == nil ? "http" : "https") + "://127.0.0.1:\(port)"
        self.state = state
    }

    /// A server that answers with `replies` in order, repeating the last one.
    public convenience init(tls: TLSConfiguration? = nil, replies: [Reply]) async throws {
        let queue = Mutex(replies)
        try await self.init(tls: tls) { _ in
            queue.withLock { q in q.count > 1 ? q.removeFirst() : (q.first ?? .respond(status: 500)) }
        }
    }

    /// Every request received so far, in order.
    public var requests: [Request] { state.received.withLock { $0.requests } }

    /// Returns once the server has read `count` requests in all (the request is in flight:
    /// the server has it, and its reply is what the test scripted, e.g. `.neverAnswer`).
    public func requestsReceived(_ count: Int = 1) async {
        let state = self.state
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let now = state.received.withLock { r in
                if r.requests.count >= count { return true }
                r.waiters.append((count, done))
                return false
            }
            if now { done.resume() }
        }
    }

    /// How many connections were accepted.
    public var connectionCount: Int { state.connections.withLock { $0 } }

    /// Stops listening and closes the listening socket.
    public func shutdown() async {
        try? await channel.close()
    }

    /// A TLS configuration for the server with the built-in test certificate (for 127.0.0.1).
    public static func testTLSConfiguration() throws -> TLSConfiguration {
        let cert = try NIOSSLCertificate(bytes: Array(TestCertificates.certificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificates.privateKeyPEM.utf8), format: .pem)
        return TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(cert)], privateKey: .privateKey(key))
    }
}

/// A self-signed certificate for 127.0.0.1/localhost, valid until 2126. Test use only.
public enum TestCertificates {
    public static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBvTCCAWOgAwIBAgIUU8rOD1KIyjWD4hhhQ6lWrQNf8kYwCgYIKoZIzj0EAwIw
        JTEjMCEGA1UEAwwaYXRzIHRlc3QgQ0EtbGVzcyBsb2NhbGhvc3QwIBcNMjYxMTI5
        MDMwMzAzWhgPMjEyNjExMDUwMzAzMDNaMCUxIzAhBgNVBAMMGmF0cyB0ZXN0IENB
        LWxlc3MgbG9jYWxob3N0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEoB3gWDgi
        KPHQrAf5kQ9IcaV0eTvSJdOu24fzbVft1QtMX4+b/ZWeERQ4Y8LGLdxg6GwiVB8y
        bMzKcwZwFUnREKNvMG0wHQYDVR0OBBYEFOVx1BPNv9OCTVVpc1tIwLP5RzWaMB8G
        A1UdIwQYMBaAFOVx1BPNv9OCTVVpc1tIwLP5RzWaMBoGA1UdEQQTMBGHBH8AAAGC
        CWxvY2FsaG9zdDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIB8d
        216uLCZfja0fMWAuLUuSDUEuB19DNAnya2bUKLfbAiEAs0TJTXRusyGPXVftlqBr
        4P4dDYp2+FkJ/95j1TxhLX0=
        -----END CERTIFICATE-----

        """

    public static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgk2rWBitNWoqHV1YK
        OmSNh4DIzdGIBP9lFH9vCxwc2tGhRANCAASgHeBYOCIo8dCsB/mRD0hxpXR5O9Il
        067bh/NtV+3VC0xfj5v9lZ4RFDhjwsYt3GDobCJUHzJszMpzBnAVSdEQ
        -----END PRIVATE KEY-----

        """
}

/// Collects one request at a time and plays its reply.
private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: TestHTTPServer.SharedState
    private let connection: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: TestHTTPServer.SharedState, connection: Int) {
        self.state = state
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = TestHTTPServer.Request(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body,
                connection: connection)
            state.record(request)
            play(state.handler(request), context: context, keepAlive: head.isKeepAlive)
        }
    }

    private func play(_ reply: TestHTTPServer.Reply, context: ChannelHandlerContext, keepAlive: Bool) {
        switch reply {
        case .respond(let status, let reason, let headers, let body):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Content-Length", value: String(body.count))
            if !keepAlive { h.replaceOrAdd(name: "Connection", value: "close") }
            let st = reason.map { HTTPResponseStatus(statusCode: status, reasonPhrase: $0) } ?? HTTPResponseStatus(statusCode: status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: st, headers: h))), promise: nil)
            if !body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            }
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        case .chunked(let status, let headers, let size):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h))),
                promise: nil)
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            var sent = 0
            while sent < size {
                let n = min(chunk.count, size - sent)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: chunk[0..<n])))), promise: nil)
                sent += n
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .dropMidBody(let status, let headers, let partial, let declared):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Content-Length", value: String(declared))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h))),
                promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: partial))))).whenComplete { _ in
                channel.close(promise: nil)
            }
        case .stallAfterHead(let status, let declared):
            var h = HTTPHeaders()
            h.add(name: "Content-Length", value: String(declared))
            context.writeAndFlush(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h))),
                promise: nil)
        case .neverAnswer:
            break
        case .close:
            context.close(promise: nil)
        case .delayed(let wait, let next):
            let c = wait.components
            let amount = TimeAmount.nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
            let loop = context.eventLoop
            let boxed = NIOLoopBound((self, context), eventLoop: loop)
            loop.scheduleTask(in: amount) {
                let (handler, ctx) = boxed.value
                handler.play(next, context: ctx, keepAlive: keepAlive)
            }
        }
    }
}

/// How a TLS test server differs from a well-configured one (for the TLS error tests).
public struct TestTLSServerOptions: Sendable {
    /// PEM certificate and key files; nil uses `TestCertificates`.
    public var certificatePath: String?
    public var keyPath: String?
    /// Speak at most TLS 1.1.
    public var onlyOldTLS = false
    /// Offer only these cipher suites (OpenSSL names), at most TLS 1.2.
    public var cipherSuites: String?
    /// Require a client certificate.
    public var requireClientCertificate = false

    public init(
        certificatePath: String? = nil, keyPath: String? = nil, onlyOldTLS: Bool = false, cipherSuites: String? = nil,
        requireClientCertificate: Bool = false
    ) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.onlyOldTLS = onlyOldTLS
        self.cipherSuites = cipherSuites
        self.requireClientCertificate = requireClientCertificate
    }
}

extension TestHTTPServer {
    /// A TLS server configured by `options` whose requests all get `reply`.
    public static func tls(_ options: TestTLSServerOptions, reply: Reply = .json(200, "{}")) async throws -> TestHTTPServer {
        var tls = try testTLSConfiguration()
        if let c = options.certificatePath, let k = options.keyPath {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(c).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: k, format: .pem))
        }
        if options.onlyOldTLS {
            tls.minimumTLSVersion = .tlsv1
            tls.maximumTLSVersion = .tlsv11
        }
        if let suites = options.cipherSuites {
            tls.maximumTLSVersion = .tlsv12
            tls.cipherSuites = suites
        }
        if options.requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(TestCertificates.certificatePEM.utf8), format: .pem)])
        }
        return try await TestHTTPServer(tls: tls) { _ in reply }
    }
}
