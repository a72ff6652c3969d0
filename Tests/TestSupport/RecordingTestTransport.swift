import AOClient
import Synchronization

/// A transport that passes every request to another one (the in-memory simulator) and keeps
/// what was sent and answered, for tests that check the exact method, path, query and body.
public final class RecordingTestTransport: Transport {
    /// One exchange as sent and answered.
    public struct Exchange: Sendable {
        public var request: HTTPRequest
        public var status: Int?
        /// The body answered (empty when the request failed).
        public var responseBody: [UInt8] = []
        /// `METHOD /path?query`, the path below `/Automation/v1`.
        public var line: String {
            let root = "/Automation/v1"
            var rest = request.url
            if let r = rest.range(of: root) { rest = String(rest[r.upperBound...]) }
            return "\(request.method) \(rest)"
        }
    }

    private let base: any Transport
    private let log = Mutex<[Exchange]>([])

    public init(wrapping base: any Transport) { self.base = base }

    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        do {
            let response = try await base.send(request, timeout: timeout)
            log.withLock { $0.append(Exchange(request: request, status: response.status, responseBody: response.body)) }
            return response
        } catch {
            log.withLock { $0.append(Exchange(request: request, status: nil)) }
            throw error
        }
    }

    /// The exchanges so far.
    public var exchanges: [Exchange] { log.withLock { $0 } }

    /// Forgets the exchanges so far.
    public func clear() { log.withLock { $0.removeAll() } }
}
