#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one read of a line gave.
public enum LineInput: Sendable, Equatable {
    /// A line, without its newline.
    case line(String)
    /// Ctrl-C while the line was being typed: drop it (and any unfinished statement).
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case endOfInput
}

/// Reads lines for the REPL: libedit on a terminal (`EditLineReader`), plain bytes otherwise
/// (`PlainLineReader`).
public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` when the reader shows prompts.
    func readLine(prompt: String) -> LineInput
    /// Adds a statement to the in-memory history (Up/Down, Ctrl-R).
    func addHistory(_ statement: String)
}

/// Reads lines from a file descriptor or a string without prompts, echo or editing: for
/// `ats < file`, `echo … | ats`, and tests. Accepts `\n` and `\r\n` line ends; invalid UTF-8
/// is replaced, never dropped silently.
public final class PlainLineReader: LineReader {
    private var buffer: [UInt8] = []
    private var position = 0
    private let fd: Int32?
    private var atEnd = false
    /// The statements added with `addHistory`, oldest first.
    public private(set) var history: [String] = []

    /// Reads from the file descriptor `fd` (standard input by default).
    public init(fileDescriptor fd: Int32 = 0) {
        self.fd = fd
    }

    /// Reads from `text`.
    public init(text: String) {
        self.fd = nil
        self.buffer = Array(text.utf8)
        self.atEnd = true
    }

    public func readLine(prompt: String) -> LineInput {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = newline + 1
                compact()
                return .line(line)
            }
            if atEnd {
                if position < buffer.count {
                    let line = String(decoding: buffer[position...], as: UTF8.self)
                    position = buffer.count
                    return .line(line)
                }
                return .endOfInput
            }
            fill()
        }
    }

    /// Everything not read yet, as one string (for running a whole non-terminal input at once).
    public func readToEnd() -> String {
        while !atEnd { fill() }
        let rest = String(decoding: buffer[position...], as: UTF8.self)
        position = buffer.count
        compact()
        return rest
    }

    public func addHistory(_ statement: String) {
        history.append(statement)
    }

    private func fill() {
        guard let fd else {
            atEnd = true
            return
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
        } else if n < 0, errno == EINTR {
            return
        } else {
            atEnd = true
        }
    }

    private func compact() {
        if position > 65_536 {
            buffer.removeFirst(position)
            position = 0
        }
    }
}
