import ATSLanguage
import Dispatch

/// Runs async work from the interpreter's synchronous thread: the work runs in a `Task`, the
/// caller blocks on a semaphore and polls the interrupt flag; Ctrl-C cancels the task and
/// abandons the in-flight request.
enum Bridge {
    /// Thrown when the interrupt flag was raised while waiting.
    struct Interrupted: Error {}

    private final class Box<T: Sendable>: @unchecked Sendable {
        private let lock = DispatchQueue(label: "ats.bridge")
        private var result: Result<T, any Error>?
        func set(_ r: Result<T, any Error>) { lock.sync { result = r } }
        func get() -> Result<T, any Error>? { lock.sync { result } }
    }

    /// Runs `body` to completion (or until `interrupt` is raised) and returns its result.
    static func run<T: Sendable>(
        interrupt: InterruptFlag, _ body: @escaping @Sendable () async throws -> T
    ) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if interrupt.isRaised {
                task.cancel()
                throw Interrupted()
            }
        }
        switch box.get() {
        case .success(let v)?: return v
        case .failure(let e)?: throw e
        case nil: throw Interrupted()
        }
    }
}
