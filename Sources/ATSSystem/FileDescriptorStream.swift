#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ATSShell
import Foundation

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
    private let lock = NSLock()
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
