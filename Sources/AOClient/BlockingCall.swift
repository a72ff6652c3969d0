import Dispatch
import Synchronization

/// Runs the client's async calls from synchronous code — the interpreter's own thread,
/// which blocks on I/O — and waits for the result.
public enum BlockingCall {
    /// Runs `body` on the concurrency pool and blocks the calling thread until it ends.
    /// `interrupted` is polled every 50 ms; once it returns true the call is cancelled and
    /// ends with an `APIError` whose `isCancelled` is true (Ctrl-C). Never call this from
    /// async code or an event loop.
    @available(*, noasync, message: "await the client's functions directly")
    public static func run<T: Sendable>(
        interrupted: @escaping @Sendable () -> Bool = { false },
        _ body: @escaping @Sendable () async throws(APIError) -> T
    ) throws(APIError) -> T {
        let slot = Slot<T>()
        let task = Task {
            let result: Result<T, APIError>
            do throws(APIError) {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            slot.result.withLock { $0 = result }
            slot.done.signal()
        }
        var cancelled = false
        while slot.done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if !cancelled, interrupted() {
                cancelled = true
                task.cancel()
            }
        }
        let result = slot.result.withLock { $0 }
        switch result {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: throw APIError(transport: .cancelled, operation: .raw, method: "", url: "")
        }
    }

    private final class Slot<T: Sendable>: Sendable {
        let result = Mutex<Result<T, APIError>?>(nil)
        let done = DispatchSemaphore(value: 0)
    }
}
