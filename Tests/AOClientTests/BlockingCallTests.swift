import ATSJSON
import AOClient
import Foundation
import Synchronization
import TestSupport
import Testing

/// The bridge for the synchronous interpreter, called from a plain thread as the shell will.
@Suite(.timeLimit(.minutes(1))) struct BlockingCallTests {
    /// Runs `body` on a plain thread and returns its result.
    func onPlainThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (done: CheckedContinuation<T, Never>) in
            Thread.detachNewThread { done.resume(returning: body()) }
        }
    }

    @Test func returnsTheResult() async throws {
        let server = try await TestHTTPServer(replies: [TestHTTPServer.ao(200, #"{"userName":"System"}"#)])
        let name = try await server.withClient { client in
            await onPlainThread { () -> String? in
                let user = try? BlockingCall.run { () async throws(APIError) -> JSON in try await client.user() }
                return user?["userName"]?.stringValue
            }
        }
        #expect(name == "System")
    }

    @Test func throwsTheAPIError() async throws {
        let server = try await TestHTTPServer(replies: [.json(404, #"{"messageID":"KNAE02102-E","message":"gone"}"#)])
        let error = try await server.withClient { client in
            await onPlainThread { () -> APIError? in
                do throws(APIError) {
                    _ = try BlockingCall.run { () async throws(APIError) -> JSON in try await client.task(1) }
                    return nil
                } catch {
                    return error
                }
            }
        }
        #expect(error?.status == 404)
        #expect(error?.server?.messageID == "KNAE02102-E")
    }

    @Test func anInterruptCancelsTheCall() async throws {
        let server = try await TestHTTPServer(replies: [.neverAnswer])
        let flag = Flag()
        let error = try await server.withClient(server.settings(timeout: .seconds(30))) { client in
            Task {
                await server.requestsReceived()
                flag.set()
            }
            return await onPlainThread { () -> APIError? in
                do throws(APIError) {
                    _ = try BlockingCall.run(interrupted: { flag.isSet }) { () async throws(APIError) -> JSON in
                        try await client.user()
                    }
                    return nil
                } catch {
                    return error
                }
            }
        }
        #expect(error?.isCancelled == true)
    }
}

/// A thread-safe one-way flag (like the shell's interrupt flag).
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
