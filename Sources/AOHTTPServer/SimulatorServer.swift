import AOClient
import AOSimulator
import ATSJSON
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL
import HTTPTypes
import Logging

/// The request context of the server: Hummingbird's basic context plus the channel, so a
/// "dropped connection" fault can close the socket.
struct TransportRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Request bodies up to 64 MiB (template import).
    var maxUploadSize: Int { 64 * 1024 * 1024 }
}

/// Converts each incoming HTTP request to an `TransportRequest`, asks the transport, and
/// writes its `HTTPResponse` back. A `TransportFailure.closed` closes the connection.
struct TransportResponder: HTTPResponder {
    typealias Context = TransportRequestContext
    let transport: any Transport
    let scheme: String

    func respond(to request: Request, context: Context) async throws -> Response {
        var headers = HTTPHeaderFields()
        for field in request.headers {
            let name = field.name.rawName
            if name.lowercased() == "authorization" {
                headers.add(name, .secret(Secret(field.value)))
            } else {
                headers.add(name, field.value)
            }
        }
        let host = request.head.authority ?? "127.0.0.1"
        let url = "\(scheme)://\(host)\(request.uri.string)"
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = buffer.readableBytes > 0 ? Array(buffer.readableBytesView) : nil
        let outgoing = TransportRequest(method: request.method.rawValue, url: url, headers: headers, body: bytes)
        let reply: TransportResponse
        do {
            reply = try await transport.send(outgoing, timeout: nil)
        } catch TransportFailure.closed {
            try? await context.channel.close()
            throw CancellationError()
        }
        var fields = HTTPFields()
        var chunked = false
        for field in reply.headers {
            let lower = field.name.lowercased()
            // Framing is the server's job; Date and Server are set by Hummingbird.
            if lower == "transfer-encoding" { chunked = true; continue }
            if lower == "content-length" || lower == "date" || lower == "server" { continue }
            guard let name = HTTPField.Name(field.name) else { continue }
            fields.append(HTTPField(name: name, value: field.value.revealed()))
        }
        let status = HTTPTypes.HTTPResponse.Status(code: reply.status, reasonPhrase: reply.reason.isEmpty ? "" : reply.reason)
        let payload = reply.body
        if payload.isEmpty {
            if reply.status != 304 && request.method != .head { fields[.contentLength] = "0" }
            return Response(status: status, headers: fields, body: ResponseBody())
        }
        let buf = ByteBuffer(bytes: payload)
        if chunked {
            // Streamed without a length: HTTP/1.1 chunked encoding, as the real server answers.
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                try await writer.write(buf)
                try await writer.finish(nil)
            })
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buf))
    }
}

/// Serves any `Transport` (the simulator, a replayed case file) over HTTP or HTTPS on a local
/// address. `start()` returns once the socket is bound; `port` is then the real port
/// (useful with port 0). `stop()` shuts it down.
public final class SimulatorServer: @unchecked Sendable {
    /// TLS certificate chain and private key, as PEM files.
    public struct TLSFiles: Sendable {
        public var certificatePath: String
        public var privateKeyPath: String
        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// Why the server could not start.
    public enum StartError: Error, CustomStringConvertible {
        /// The certificate file cannot be read as PEM.
        case certificate(path: String, String)
        /// The private key file cannot be read as PEM.
        case privateKey(path: String, String)
        /// The certificate and key do not make a TLS configuration.
        case tls(String)
        /// Another socket already listens on the address.
        case addressInUse(host: String, port: Int)
        case bind(String)

        public var description: String {
            switch self {
            case .certificate(let path, let d): return "cannot use the TLS certificate \(path): \(d)"
            case .privateKey(let path, let d): return "cannot use the TLS private key \(path): \(d)"
            case .tls(let d): return "cannot use the TLS certificate and key: \(d)"
            case .addressInUse(let host, let port): return "cannot listen on \(host):\(port): the address is in use"
            case .bind(let d): return "cannot listen: \(d)"
            }
        }
    }

    private let transport: any Transport
    public let host: String
    private let requestedPort: Int
    private let tls: TLSFiles?
    private let lock = NSLock()
    private var runTask: Task<Void, Never>?
    private var boundPort: Int?

    /// A server for `transport` on `host:port` (port 0 picks a free port).
    public init(transport: any Transport, host: String = "127.0.0.1", port: Int = 22015, tls: TLSFiles? = nil) {
        self.transport = transport
        self.host = host
        requestedPort = port
        self.tls = tls
    }

    /// A server for a simulator.
    public convenience init(simulator: Simulator, host: String = "127.0.0.1", port: Int = 22015, tls: TLSFiles? = nil) {
        self.init(transport: SimulatorTransport(simulator), host: host, port: port, tls: tls)
    }

    /// The bound port (after `start()`).
    public var port: Int { lock.withLock { boundPort ?? requestedPort } }

    /// `http://127.0.0.1:PORT` or `https://…`.
    public var baseURL: String { "\(tls == nil ? "http" : "https")://\(host):\(port)" }

    /// Binds and starts serving; returns when the socket is listening.
    public func start() async throws {
        let server: HTTPServerBuilder
        if let tls {
            let certs: [NIOSSLCertificate], key: NIOSSLPrivateKey
            do { certs = try NIOSSLCertificate.fromPEMFile(tls.certificatePath) } catch {
                throw StartError.certificate(path: tls.certificatePath, "\(error)")
            }
            do { key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem) } catch {
                throw StartError.privateKey(path: tls.privateKeyPath, "\(error)")
            }
            let config = TLSConfiguration.makeServerConfiguration(
                certificateChain: certs.map { .certificate($0) }, privateKey: .privateKey(key))
            do { server = try .tls(.http1(), tlsConfiguration: config) } catch { throw StartError.tls("\(error)") }
        } else {
            server = .http1()
        }
        return try await start(server: server)
    }

    private func start(server: HTTPServerBuilder) async throws {
        let responder = TransportResponder(transport: transport, scheme: tls == nil ? "http" : "https")
        let (stream, continuation) = AsyncStream<Result<Int, Error>>.makeStream()
        var logger = Logger(label: "ats.sim")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: requestedPort), serverName: "Cosminexus HTTP Server"),
            onServerRunning: { channel in
                continuation.yield(.success(channel.localAddress?.port ?? 0))
            },
            logger: logger)
        let task = Task {
            do {
                try await app.run()
                continuation.yield(.failure(StartError.bind("the server stopped")))
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                continuation.yield(.failure(StartError.addressInUse(host: host, port: requestedPort)))
            } catch {
                continuation.yield(.failure(StartError.bind("\(error)")))
            }
            continuation.finish()
        }
        lock.withLock { runTask = task }
        for await result in stream {
            switch result {
            case .success(let p):
                lock.withLock { boundPort = p }
                return
            case .failure(let e):
                throw e
            }
        }
        throw StartError.bind("the server did not start")
    }

    /// Stops serving and waits until the socket is closed.
    public func stop() async {
        let task = lock.withLock { () -> Task<Void, Never>? in
            let t = runTask
            runTask = nil
            return t
        }
        task?.cancel()
        await task?.value
    }
}
