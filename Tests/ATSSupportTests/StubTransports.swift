// Small transports for the decorator tests: a fixed-response server that issues HSSO tokens
// the way the real server does, and one that always fails below HTTP.
import AOClient
import Foundation
import ATSJSON
import ATSSupport

/// Remembers every token a stub issued, so a test can look for them in its output.
actor IssuedTokens {
    private(set) var all: [String] = []
    func add(_ token: String) { all.append(token) }
}

/// Answers every request from `route`, adding the headers a JP1/AO server sends and a fresh
/// `WWW-Authenticate: HSSO <token>` (as `.secret`, or `.plain` to test the second layer).
struct StubServer: Transport {
    var tokens = IssuedTokens()
    var plainTokens = false
    var route: @Sendable (HTTPRequest) -> (status: Int, body: JSON?)

    func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        let (status, body) = route(request)
        let token = "\(String(repeating: "ab12", count: 10))_\(Int.random(in: 100_000_000...999_999_999))Xy7Qz0pLm3=_V0810"
        await tokens.add(token)
        var headers = HTTPHeaderFields()
        headers.add("Date", "Sun, 29 Nov 2026 03:00:00 GMT")
        headers.add("Server", "Cosminexus HTTP Server")
        headers.add("WWW-Authenticate", plainTokens ? .plain("HSSO \(token)") : .secret(Secret("HSSO \(token)")))
        headers.add("Cache-Control", "no-cache")
        var bytes: [UInt8] = []
        if let body {
            headers.add("Content-Type", "application/json")
            JSONWriter.compact.write(body, into: &bytes)
        }
        return HTTPResponse(status: status, reason: "", headers: headers, body: bytes)
    }
}

/// Fails every request as a refused connection.
struct RefusingTransport: Transport {
    func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        throw TransportFailure.connect(host: "127.0.0.1", port: 9, detail: "Connection refused")
    }
}

/// Collects what a trace prints.
final class TraceText: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""

    /// The sink to hand to `TracingTransport`.
    var sink: @Sendable (String) -> Void { { [self] s in lock.withLock { value += s } } }

    /// Everything printed so far.
    var text: String { lock.withLock { value } }
}
