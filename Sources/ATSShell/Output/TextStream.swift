#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the shell's text goes: standard output, standard error, or memory in tests.
///
/// `ShellOutput` serialises calls with its own lock, so an implementation only needs to be
/// safe for one writer at a time; both implementations here are safe for several anyway.
public protocol TextStream: AnyObject, Sendable {
    /// Appends `text` (buffered until `flush()` or, for a line-buffered stream, a newline).
    func write(_ text: String)
    /// Writes out anything buffered.
    func flush()
}

/// A `TextStream` over a file descriptor (`1` for stdout, `2` for stderr).
///
/// Line-buffered on a terminal (each completed line is written at once), fully buffered
/// otherwise (written on `flush()` or when 64 KiB have collected). A closed pipe (`EPIPE`)
/// stops further writes silently; `isBroken` tells.
public final class FileDescriptorStream: TextStream, @unchecked Sendable {
    /// The descriptor written to.
    public let fileDescriptor: Int32
    /// True when a newline flushes (a terminal).
    public let lineBuffered: Bool
    private let lock = OutputLock()
    private var buffer: [UInt8] = []
    private var broken = false
    private static let limit = 64 * 1024

    /// A stream on `fileDescriptor`; `lineBuffered` defaults to "is a terminal".
    public init(fileDescriptor: Int32, lineBuffered: Bool? = nil) {
        self.fileDescriptor = fileDescriptor
        self.lineBuffered = lineBuffered ?? (isatty(fileDescriptor) == 1)
    }

    /// Standard output.
    public static func standardOutput() -> FileDescriptorStream { FileDescriptorStream(fileDescriptor: 1) }
    /// Standard error (line-buffered, like C's `stderr` is unbuffered).
    public static func standardError() -> FileDescriptorStream {
        FileDescriptorStream(fileDescriptor: 2, lineBuffered: true)
    }

    /// True once a write failed because the reader went away.
    public var isBroken: Bool { lock.withLock { broken } }

    public func write(_ text: String) {
        lock.withLock {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= Self.limit {
                drain(upTo: buffer.count)
            } else if lineBuffered, let lastNewline = buffer.lastIndex(of: 0x0A) {
                drain(upTo: lastNewline + 1)
            }
        }
    }

    public func flush() {
        lock.withLock { drain(upTo: buffer.count) }
    }

    /// Writes `buffer[..<end]` and keeps the rest; called with the lock held.
    private func drain(upTo end: Int) {
        guard end > 0 else { return }
        if broken {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        buffer.withUnsafeBytes { bytes in
            while offset < end {
                let n = systemWrite(fileDescriptor, bytes.baseAddress! + offset, end - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && (errno == EINTR || errno == EAGAIN) {
                    continue
                } else {
                    broken = true
                    return
                }
            }
        }
        if broken {
            buffer.removeAll(keepingCapacity: true)
        } else {
            buffer.removeFirst(end)
        }
    }
}

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
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
