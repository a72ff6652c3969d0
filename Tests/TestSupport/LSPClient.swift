// A Language Server Protocol client for tests: writes framed JSON-RPC messages to a server
// and collects what it answers, on a thread of its own; waits for events, never for time.
import ATSJSON
import Foundation

/// Talks to `ats lsp` (a process over pipes, or the server in-process over byte queues).
public final class LSPClient: @unchecked Sendable {
    private let output: @Sendable ([UInt8]) -> Void
    private let condition = NSCondition()
    private var messages: [JSON] = []
    private var buffer: [UInt8] = []
    private var ended = false
    private var nextID = 1

    /// A client that writes with `output`; the server's bytes come through `receive(_:)` and
    /// `receiveEnd()`.
    public init(output: @escaping @Sendable ([UInt8]) -> Void) {
        self.output = output
    }

    /// A client writing to `output` and reading the server's frames from `input` on a thread.
    public convenience init(writingTo output: FileHandle, readingFrom input: FileHandle) {
        self.init(output: { output.write(Data($0)) })
        Thread.detachNewThread { [self] in
            while true {
                let chunk = input.availableData
                if chunk.isEmpty { break }
                receive(Array(chunk))
            }
            receiveEnd()
        }
    }

    /// Bytes from the server.
    public func receive(_ bytes: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        buffer += bytes
        while let (body, rest) = Self.split(buffer) {
            buffer = rest
            messages.append((try? JSONParser.parse(body)) ?? ["unparsable": .string(String(decoding: body, as: UTF8.self))])
        }
        condition.broadcast()
    }

    /// The server closed its output.
    public func receiveEnd() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// One frame off the front of `buffer`, and the rest.
    static func split(_ buffer: [UInt8]) -> ([UInt8], [UInt8])? {
        let terminator = Array("\r\n\r\n".utf8)
        guard buffer.count >= 4, let end = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<$0 + 4]) == terminator }) else {
            return nil
        }
        let header = String(decoding: buffer[0..<end], as: UTF8.self)
        guard let line = header.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
              let length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        let start = end + 4
        guard buffer.count >= start + length else { return nil }
        return (Array(buffer[start..<start + length]), Array(buffer[(start + length)...]))
    }

    /// Writes raw bytes (for malformed frames).
    public func sendRaw(_ bytes: [UInt8]) {
        output(bytes)
    }

    /// Writes one framed message.
    public func send(_ message: JSON) {
        let body = Array(JSONWriter.compact.string(message).utf8)
        sendRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    /// Sends a request; its id.
    @discardableResult
    public func request(_ method: String, _ params: JSON = .null) -> Int {
        condition.lock()
        let id = nextID
        nextID += 1
        condition.unlock()
        send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        return id
    }

    /// Sends a notification.
    public func notify(_ method: String, _ params: JSON = .null) {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// Sends a request and waits for its response (the whole message: `result` or `error`).
    public func call(_ method: String, _ params: JSON = .null, timeout: Double = 30) -> JSON? {
        let id = request(method, params)
        return response(to: .int(id), timeout: timeout)
    }

    /// The response with `id`, when it comes.
    public func response(to id: JSON, timeout: Double = 30) -> JSON? {
        waitFor(timeout: timeout) { $0["id"] == id && ($0["result"] != nil || $0["error"] != nil) }
    }

    /// The first message (not yet taken) that satisfies `match`, removed from the queue;
    /// nil when the server's output ends or `timeout` passes first.
    public func waitFor(timeout: Double = 30, _ match: (JSON) -> Bool) -> JSON? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let i = messages.firstIndex(where: match) { return messages.remove(at: i) }
            if ended { return nil }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    /// The next `textDocument/publishDiagnostics` for `uri` (and `version`, when given).
    public func diagnostics(for uri: String, version: Int? = nil, timeout: Double = 30) -> [JSON]? {
        waitFor(timeout: timeout) {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"]?.stringValue == uri
                && (version == nil || $0["params"]?["version"]?.intValue == version)
        }?["params"]?["diagnostics"]?.arrayValue
    }

    /// True once the server closed its output.
    public func waitForEnd(timeout: Double = 30) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !ended {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// `initialize` and `initialized`; the server's capabilities.
    public func initialize() -> JSON? {
        let result = call("initialize", ["processId": .null, "rootUri": .null, "capabilities": [:]])?["result"]
        notify("initialized", [:])
        return result?["capabilities"]
    }

    /// `textDocument/didOpen`.
    public func open(_ uri: String, _ text: String, version: Int = 1) {
        notify("textDocument/didOpen", ["textDocument": ["uri": .string(uri), "languageId": "ats", "version": .int(version), "text": .string(text)]])
    }

    /// `textDocument/didChange` with the whole new text.
    public func change(_ uri: String, _ text: String, version: Int) {
        notify("textDocument/didChange", [
            "textDocument": ["uri": .string(uri), "version": .int(version)], "contentChanges": [["text": .string(text)]],
        ])
    }

    /// The params of a request at a position.
    public static func at(_ uri: String, line: Int, character: Int) -> JSON {
        ["textDocument": ["uri": .string(uri)], "position": ["line": .int(line), "character": .int(character)]]
    }
}
