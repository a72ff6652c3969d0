#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One long-lived thread with the interpreter's big stack (`Interpreter.stackSize`), started
/// on the first call and ended when the value is released. `call` runs a body on it and waits
/// for the result, one body at a time; so a session that classifies every REPL line, checks,
/// formats and runs pays for one thread, not one per call.
///
/// A call made from an interpreter thread (a host command that checks a file while a script
/// runs, or the language server calling `Language.check` inside its own `call`) runs inline.
public final class InterpreterThread: @unchecked Sendable {
    /// The work of one call: the body, then `done` under the lock.
    private final class Job {
        let body: () -> Void
        var done = false
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// What the caller and the thread share; the thread keeps it alive until it has ended.
    private final class State: @unchecked Sendable {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        var job: Job?
        var stopping = false

        init() {
            pthread_mutex_init(lock, nil)
            pthread_cond_init(changed, nil)
        }

        deinit {
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(lock)
            changed.deallocate()
            lock.deallocate()
        }

        /// The thread's loop: run each job, until the owner is released.
        func loop() {
            InterpreterThread.markCurrent()
            pthread_mutex_lock(lock)
            while true {
                while job == nil && !stopping { pthread_cond_wait(changed, lock) }
                guard let next = job else { break }
                job = nil
                pthread_mutex_unlock(lock)
                next.body()
                pthread_mutex_lock(lock)
                next.done = true
                pthread_cond_broadcast(changed)
            }
            pthread_mutex_unlock(lock)
        }
    }

    private let state = State()
    /// Serializes callers from several threads: one job is queued at a time.
    private let callers = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var started = false
    /// False when the system refused the thread: calls then run on the caller's stack.
    private var available = true
    private let stackSize: Int

    /// A thread with a stack of `stackSize` bytes (the interpreter's 64 MB by default).
    public init(stackSize: Int = Interpreter.stackSize) {
        self.stackSize = stackSize
        pthread_mutex_init(callers, nil)
    }

    deinit {
        pthread_mutex_lock(state.lock)
        state.stopping = true
        pthread_cond_broadcast(state.changed)
        pthread_mutex_unlock(state.lock)
        pthread_mutex_destroy(callers)
        callers.deallocate()
    }

    /// The thread used by `Language`'s entry points when the caller is not on one already.
    public static let shared = InterpreterThread()

    /// True on a thread started by an `InterpreterThread` (or `Interpreter.onInterpreterThread`).
    public static var isCurrent: Bool { pthread_getspecific(marker.key) != nil }

    /// Runs `body` on the thread and returns its result; inline when already on one.
    public func call<T>(_ body: @escaping () -> T) -> T {
        if Self.isCurrent { return body() }
        let result = ResultBox<T>()
        let job = Job { result.value = body() }
        pthread_mutex_lock(callers)
        defer { pthread_mutex_unlock(callers) }
        if !started {
            started = true
            let state = self.state
            if let thread = System.startThread(stackSize: stackSize, { state.loop() }) {
                System.detach(thread)
            } else {
                available = false
            }
        }
        if available {
            pthread_mutex_lock(state.lock)
            state.job = job
            pthread_cond_broadcast(state.changed)
            while !job.done { pthread_cond_wait(state.changed, state.lock) }
            pthread_mutex_unlock(state.lock)
        } else {
            job.body()
        }
        return result.value!
    }

    /// Marks the calling thread as an interpreter thread (for `isCurrent`).
    static func markCurrent() { _ = pthread_setspecific(marker.key, UnsafeRawPointer(bitPattern: 1)) }

    private static let marker = Marker()

    private final class Marker: Sendable {
        let key: pthread_key_t
        init() {
            var key = pthread_key_t()
            pthread_key_create(&key, nil)
            self.key = key
        }
    }
}
