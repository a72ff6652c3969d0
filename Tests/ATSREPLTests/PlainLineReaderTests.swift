import Foundation
import Testing

@testable import ATSREPL

#if canImport(Glibc)
import Glibc
#endif

@Test("a string is read line by line, CRLF and a last line without newline included")
func linesFromText() {
    let reader = PlainLineReader(text: "tasks | count\r\necho café\n\nlast")
    #expect(reader.readLine(prompt: "> ") == .line("tasks | count"))
    #expect(reader.readLine(prompt: "> ") == .line("echo café"))
    #expect(reader.readLine(prompt: "> ") == .line(""))
    #expect(reader.readLine(prompt: "> ") == .line("last"))
    #expect(reader.readLine(prompt: "> ") == .endOfInput)
    #expect(reader.readLine(prompt: "> ") == .endOfInput)
}

@Test("a pipe is read in chunks until it closes; readToEnd returns the rest")
func linesFromPipe() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let long = String(repeating: "é", count: 40_000)
    let text = "first\n\(long)\nfor t in 1..3 {\n  echo $t\n}\n"
    let writeEnd = fds[1]
    let writer = Thread {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(writeEnd, raw.baseAddress! + offset, min(4096, raw.count - offset))
                if n <= 0 { break }
                offset += n
            }
        }
        close(writeEnd)
    }
    writer.start()
    let reader = PlainLineReader(fileDescriptor: fds[0])
    #expect(reader.readLine(prompt: "") == .line("first"))
    #expect(reader.readLine(prompt: "") == .line(long))
    #expect(reader.readToEnd() == "for t in 1..3 {\n  echo $t\n}\n")
    #expect(reader.readLine(prompt: "") == .endOfInput)
    close(fds[0])
}

@Test("invalid UTF-8 is replaced, not dropped")
func invalidUTF8() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x0A]
    _ = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    close(fds[1])
    let reader = PlainLineReader(fileDescriptor: fds[0])
    #expect(reader.readLine(prompt: "") == .line("a\u{FFFD}b"))
    close(fds[0])
}

@Test("history added to the plain reader is kept in order")
func plainHistory() {
    let reader = PlainLineReader(text: "")
    reader.addHistory("tasks")
    reader.addHistory("for t in 1..3 {\n}")
    #expect(reader.history == ["tasks", "for t in 1..3 {\n}"])
}
