#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the shell's text goes: standard output, standard error (`FileDescriptorStream` in
/// ATSSystem), or memory in tests.
///
/// `ShellOutput` serialises calls with its own lock, so an implementation only needs to be
/// safe for one writer at a time; both implementations here are safe for several anyway.
public protocol TextStream: AnyObject, Sendable {
    /// Appends `text` (buffered until `flush()` or, for a line-buffered stream, a newline).
    func write(_ text: String)
    /// Writes out anything buffered.
    func flush()
}

/// A `TextStream` that keeps what was written, for tests and for capturing output.
public final class MemoryStream: TextStream, @unchecked Sendable {
    private let lock = OutputLock()
    private var pending = ""
    private var flushed = ""

    /// An empty stream.
    public init() {}

    public func write(_ text: String) {
        lock.withLock { pending += text }
    }

    public func flush() {
        lock.withLock {
            flushed += pending
            pending = ""
        }
    }

    /// Everything written so far, flushed or not.
    public var text: String { lock.withLock { flushed + pending } }
    /// What has been flushed (what a reader on the other end of a pipe would have seen).
    public var flushedText: String { lock.withLock { flushed } }
}

/// A mutual-exclusion lock (pthread), so the output layer needs no Foundation.
final class OutputLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
