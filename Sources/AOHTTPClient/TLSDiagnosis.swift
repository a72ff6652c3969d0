import AOClient
import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns TLS library errors into a `TLSProblem`: which check failed.
///
/// BoringSSL reports a handshake failure as a packed error code (library and reason, as in
/// `ERR_GET_REASON`); NIOSSL keeps the number private but prints it first in the error's
/// description (`Error: 268435581 error:1000007d:…`), which is where it is read from. The
/// reasons are BoringSSL's `SSL_R_…` constants. A failed certificate verification does not say
/// why; `examine` then looks at the certificate on a second, unverified handshake (dates,
/// names) — what `openssl s_client` shows a person.
enum TLSDiagnosis {
    /// BoringSSL's library number of its SSL routines (`ERR_LIB_SSL`).
    static let sslLibrary: UInt32 = 16

    /// BoringSSL reasons (`SSL_R_…` in ssl.h) that ats explains.
    enum Reason: UInt32 {
        case certificateVerifyFailed = 125
        case httpRequest = 156
        case noCipherMatch = 177
        case noSharedCipher = 184
        case unknownProtocol = 233
        case unsupportedProtocol = 240
        case wrongVersionNumber = 247
        case noSupportedVersionsEnabled = 280
        case alertHandshakeFailure = 1040
        case alertProtocolVersion = 1070
        case alertInsufficientSecurity = 1071
        case alertCertificateRequired = 1116
    }

    /// The problem an error of the TLS layer stands for; nil when it is not a TLS error.
    static func problem(of error: any Error, host: String) -> TLSProblem? {
        if let e = error as? NIOSSLExtraError {
            return e == .failedToValidateHostname ? .hostnameMismatch(host: host, names: []) : .other
        }
        if let e = error as? NIOSSLError {
            switch e {
            case .handshakeFailed(let inner): return problem(of: inner)
            default: return .other
            }
        }
        if let e = error as? BoringSSLError { return problem(of: e) }
        return nil
    }

    private static func problem(of error: BoringSSLError) -> TLSProblem {
        guard case .sslError(let stack) = error else { return .other }
        for entry in stack {
            guard let code = packedCode(entry), code >> 24 == sslLibrary, let reason = Reason(rawValue: code & 0xFFF) else {
                continue
            }
            switch reason {
            case .certificateVerifyFailed: return .untrustedCertificate(caFile: nil)
            case .httpRequest, .unknownProtocol, .wrongVersionNumber: return .notTLS
            case .unsupportedProtocol, .noSupportedVersionsEnabled, .alertProtocolVersion: return .protocolVersion
            case .noCipherMatch, .noSharedCipher, .alertInsufficientSecurity, .alertHandshakeFailure: return .handshakeRefused
            case .alertCertificateRequired: return .clientCertificateRequired
            }
        }
        return .other
    }

    /// The packed error code at the start of an entry's description (`Error: 268435581 …`).
    static func packedCode(_ entry: BoringSSLInternalError) -> UInt32? {
        let text = entry.description
        guard text.hasPrefix("Error: ") else { return nil }
        return UInt32(text.dropFirst("Error: ".count).prefix { $0.isNumber })
    }

    /// Explains a certificate that failed verification by its dates and names, read from a
    /// second handshake that does not verify (and sends nothing else); other problems, and
    /// any failure of that handshake, are returned as they are.
    static func examine(_ problem: TLSProblem, host: String, port: Int, caFile: String?, timeout: Duration) async -> TLSProblem {
        switch problem {
        case .untrustedCertificate, .hostnameMismatch: break
        case .expired, .notYetValid, .protocolVersion, .handshakeRefused, .clientCertificateRequired, .notTLS,
            .handshakeTimeout, .other:
            return problem
        }
        guard let leaf = await peerCertificate(host: host, port: port, timeout: timeout) else {
            if case .untrustedCertificate = problem { return .untrustedCertificate(caFile: caFile) }
            return problem
        }
        let now = Int64(time(nil))
        let notBefore = Int64(leaf.notValidBefore)
        let notAfter = Int64(leaf.notValidAfter)
        if case .hostnameMismatch(let host, _) = problem { return .hostnameMismatch(host: host, names: names(of: leaf)) }
        if now > notAfter { return .expired(notBefore: notBefore, notAfter: notAfter) }
        if now < notBefore { return .notYetValid(notBefore: notBefore, notAfter: notAfter) }
        return .untrustedCertificate(caFile: caFile)
    }

    /// The DNS names and IP addresses of a certificate's subject alternative names.
    static func names(of certificate: NIOSSLCertificate) -> [String] {
        var out: [String] = []
        for name in certificate._subjectAlternativeNames() {
            let bytes = Array(name.contents)
            switch name.nameType {
            case .dnsName: out.append(String(decoding: bytes, as: UTF8.self))
            case .ipAddress:
                if bytes.count == 4 {
                    out.append(bytes.map(String.init).joined(separator: "."))
                } else if bytes.count == 16 {
                    out.append(stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                        .joined(separator: ":"))
                }
            default: break
            }
        }
        return out
    }

    /// The server's leaf certificate, from a handshake without verification; nil on any failure.
    static func peerCertificate(host: String, port: Int, timeout: Duration) async -> NIOSSLCertificate? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        configuration.shutdownTimeout = .milliseconds(100)
        guard let context = try? NIOSSLContext(configuration: configuration) else { return nil }
        let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        let loop = HTTPClient.defaultEventLoopGroup.next()
        let done = loop.makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(HTTPTransport.timeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(done))
                }
            }
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else {
            done.fail(ChannelError.eof)
            return nil
        }
        defer { channel.close(promise: nil) }
        let deadline = loop.scheduleTask(in: HTTPTransport.timeAmount(timeout)) { done.fail(ChannelError.connectTimeout(.zero)) }
        let completed = (try? await done.futureResult.get()) != nil
        deadline.cancel()
        guard completed else { return nil }
        return try? await channel.nioSSL_peerCertificate().get()
    }
}

/// Completes a promise when the TLS handshake of its channel has finished (or failed).
private final class HandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let promise: EventLoopPromise<Void>

    init(_ promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? TLSUserEvent, case .handshakeCompleted = e { promise.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}
