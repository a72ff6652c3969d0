// The base protocol of LSP: `Content-Length: N\r\n\r\n` and N bytes of JSON, both ways.
// The server reads from a `ByteSource` and writes to a `MessageSink`; `main` gives it the
// process's standard input and output, tests give it pipes or buffers.

#if canImport(Glibc)
import Glibc
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Glibc.read(fd, p, n) }
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#elseif canImport(Darwin)
import Darwin
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Darwin.read(fd, p, n) }
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif

/// Where the server's input comes from.
public protocol ByteSource: AnyObject, Sendable {
    /// Blocks until some bytes are available; an empty array at the end of the input.
    func read(upTo count: Int) -> [UInt8]
}

/// Where the server's frames go (each call one whole frame).
public protocol MessageSink: AnyObject, Sendable {
    func write(_ bytes: [UInt8])
}

/// A file descriptor read as a `ByteSource` (standard input in `ats lsp`).
public final class FileDescriptorSource: ByteSource, @unchecked Sendable {
    let fd: Int32
    public init(_ fd: Int32) { self.fd = fd }

    public func read(upTo count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, count) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n < 0, errno == EINTR { continue }
            return []
        }
    }
}

/// A file descriptor written as a `MessageSink` (standard output in `ats lsp`).
public final class FileDescriptorSink: MessageSink, @unchecked Sendable {
    let fd: Int32
    public init(_ fd: Int32) { self.fd = fd }

    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

/// What one read of the input gives.
enum Frame: Equatable {
    /// A whole message body.
    case body([UInt8])
    /// A frame whose header could not be read (the header was skipped).
    case malformed(FrameProblem)
    /// The input ended.
    case end
}

/// Why a frame's header was refused.
enum FrameProblem: Equatable {
    case missingContentLength
    case badContentLength(String)
    case headerTooLong
    case bodyTooLarge(Int)
}

/// Splits a byte stream into frames.
struct FrameReader {
    /// Longest header block accepted.
    static let maximumHeader = 8 * 1024
    /// Largest body accepted (a document of many megabytes is still far below it).
    static let maximumBody = 256 * 1024 * 1024

    let source: ByteSource
    var buffer: [UInt8] = []
    var start = 0
    var ended = false

    init(_ source: ByteSource) { self.source = source }

    /// The next frame.
    mutating func next() -> Frame {
        // header := (NAME ':' VALUE '\r\n')* '\r\n'
        var headerEnd: Int?
        var searched = start
        while headerEnd == nil {
            headerEnd = find(terminator, from: max(start, searched - 3))
            if headerEnd != nil { break }
            searched = buffer.count
            if buffer.count - start > Self.maximumHeader {
                // Skip what was read: the stream resynchronises at the next header that fits.
                buffer.removeAll()
                start = 0
                return .malformed(.headerTooLong)
            }
            if !fill() {
                return .end
            }
        }
        let header = String(decoding: buffer[start..<headerEnd!], as: UTF8.self)
        start = headerEnd! + terminator.count
        var length: Int?
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces
            if name == "content-length" {
                guard let n = Int(value), n >= 0 else { compact(); return .malformed(.badContentLength(String(value))) }
                length = n
            }
        }
        guard let length else { compact(); return .malformed(.missingContentLength) }
        guard length <= Self.maximumBody else { compact(); return .malformed(.bodyTooLarge(length)) }
        while buffer.count - start < length {
            if !fill() { return .end }
        }
        let body = Array(buffer[start..<start + length])
        start += length
        compact()
        return .body(body)
    }

    private let terminator: [UInt8] = Array("\r\n\r\n".utf8)

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= buffer.count {
            if buffer[i] == needle[0], buffer[i + 1] == needle[1], buffer[i + 2] == needle[2], buffer[i + 3] == needle[3] { return i }
            i += 1
        }
        return nil
    }

    private mutating func fill() -> Bool {
        if ended { return false }
        let chunk = source.read(upTo: 64 * 1024)
        if chunk.isEmpty {
            ended = true
            return false
        }
        buffer += chunk
        return true
    }

    private mutating func compact() {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// Frames a message body for writing.
func frame(_ body: [UInt8]) -> [UInt8] {
    Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
