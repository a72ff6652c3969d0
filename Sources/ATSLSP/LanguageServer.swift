import ATSJSON
import ATSLanguage
import ATSShell
import Foundation

/// `ats lsp`: a Language Server Protocol 3.17 server for `.ats` scripts. It reads frames from
/// an injected `ByteSource` on a thread of its own (so `$/cancelRequest` is seen while a
/// request waits) and answers on the calling thread through a `MessageSink`. It never
/// connects to a server: diagnostics, completion and help come from the command catalog.
public final class LanguageServer: @unchecked Sendable {
    private let output: MessageSink
    private let input: ByteSource
    private let inbox = Inbox()
    private let features: Features
    private let debounce: Double
    private var documents: [String: TextDocument] = [:]
    private var analyses: [String: Analysis] = [:]
    /// Documents whose diagnostics wait for typing to pause, and when they are due.
    private var due: [String: Date] = [:]
    private var initialized = false
    private var shutdownRequested = false

    /// A server on `input` and `output`. Diagnostics after a change wait until no change has
    /// come for `debounceMilliseconds`; `readFile` reads a sourced script (go to definition).
    public init(
        input: ByteSource, output: MessageSink, debounceMilliseconds: Int = 150,
        readFile: @escaping @Sendable (String) -> String? = { path in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        }
    ) {
        self.input = input
        self.output = output
        self.debounce = Double(debounceMilliseconds) / 1000
        self.features = Features(catalog: Catalog(), readFile: readFile)
    }

    /// `ats lsp`: serves standard input and output until `exit` or the end of the input;
    /// 0 after `shutdown` and `exit`, 1 otherwise (as the protocol asks).
    public static func main() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        return LanguageServer(input: FileDescriptorSource(0), output: FileDescriptorSink(1)).run()
    }

    /// Serves until `exit` or the end of the input; the exit code.
    public func run() -> Int32 {
        let inbox = self.inbox
        let input = self.input
        let reader = Thread {
            var frames = FrameReader(input)
            while true {
                let f = frames.next()
                inbox.put(f)
                if f == .end { return }
            }
        }
        reader.start()
        while true {
            let next = inbox.take(until: due.values.min())
            guard let frame = next else {
                publishDue()
                continue
            }
            switch frame {
            case .end:
                return shutdownRequested ? 0 : 1
            case .malformed(let problem):
                send(error: .badFrame(problem), id: .null)
            case .body(let bytes):
                if handle(bytes) { return shutdownRequested ? 0 : 1 }
            }
        }
    }

    // MARK: - Messages

    /// Handles one message; true on `exit`.
    private func handle(_ bytes: [UInt8]) -> Bool {
        let message: JSON
        do throws(JSONParseError) {
            message = try JSONParser.parse(bytes)
        } catch {
            send(error: .parseError(error.description), id: .null)
            return false
        }
        guard case .object = message else {
            send(error: .invalidRequest("a message is a JSON object"), id: .null)
            return false
        }
        let id = message["id"]
        if let v = message["jsonrpc"], v != "2.0" {
            send(error: .invalidRequest("`jsonrpc` must be \"2.0\""), id: id ?? .null)
            return false
        }
        guard let methodValue = message["method"] else {
            // A response to a request of ours (the server sends none), or nonsense.
            if message["result"] == nil, message["error"] == nil {
                send(error: .invalidRequest("a message has a `method`, or a `result` or `error`"), id: id ?? .null)
            }
            return false
        }
        guard let method = methodValue.stringValue else {
            send(error: .invalidRequest("`method` must be a string"), id: id ?? .null)
            return false
        }
        let params = message["params"] ?? .null
        guard let id else { return notify(method, params) }
        switch id {
        case .int, .string: break
        case .null, .bool, .double, .array, .object:
            send(error: .invalidRequest("`id` must be an integer or a string"), id: .null)
            return false
        }
        if inbox.takeCancellation(id) {
            send(error: .requestCancelled, id: id)
            return false
        }
        do throws(ProtocolError) {
            send(result: try request(method, params), id: id)
        } catch {
            send(error: error, id: id)
        }
        return false
    }

    private func request(_ method: String, _ params: JSON) throws(ProtocolError) -> JSON {
        if method == "initialize" {
            initialized = true
            return initializeResult
        }
        guard initialized else { throw .serverNotInitialized }
        guard !shutdownRequested else { throw .shuttingDown }
        switch method {
        case "shutdown":
            shutdownRequested = true
            return .null
        case "textDocument/completion":
            let (a, offset) = try located(params)
            return features.completion(a, at: offset)
        case "textDocument/hover":
            let (a, offset) = try located(params)
            return features.hover(a, at: offset)
        case "textDocument/definition":
            let (a, offset) = try located(params)
            return features.definition(a, at: offset)
        case "textDocument/references":
            let (a, offset) = try located(params)
            return features.references(a, at: offset, includeDeclaration: params["context"]?["includeDeclaration"]?.boolValue ?? true)
        case "textDocument/documentSymbol":
            return features.documentSymbols(try analysis(params))
        case "textDocument/formatting":
            return try features.formatting(try analysis(params).document)
        case "textDocument/codeAction":
            let a = try analysis(params)
            guard let range = a.document.sourceRange(params["range"]) else { throw .invalidParams("`range` is missing") }
            return features.codeActions(a, range: range)
        default:
            throw .methodNotFound(method)
        }
    }

    /// Handles a notification; true on `exit`.
    private func notify(_ method: String, _ params: JSON) -> Bool {
        switch method {
        case "exit":
            return true
        case "textDocument/didOpen":
            guard let doc = params["textDocument"], let uri = doc["uri"]?.stringValue, let text = doc["text"]?.stringValue else { return false }
            documents[uri] = TextDocument(uri: uri, version: doc["version"]?.intValue ?? 0, text: text)
            publish(uri)
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.stringValue, var doc = documents[uri] else { return false }
            let version = params["textDocument"]?["version"]?.intValue ?? doc.version + 1
            for change in params["contentChanges"]?.arrayValue ?? [] {
                guard let text = change["text"]?.stringValue else { continue }
                if let range = doc.sourceRange(change["range"]) {
                    doc = doc.applying(range, text, version: version)
                } else {
                    doc = TextDocument(uri: uri, version: version, text: text)
                }
            }
            documents[uri] = TextDocument(uri: uri, version: version, text: doc.text)
            due[uri] = Date(timeIntervalSinceNow: debounce)
        case "textDocument/didSave":
            guard let uri = params["textDocument"]?["uri"]?.stringValue, let doc = documents[uri] else { return false }
            if let text = params["text"]?.stringValue, text != doc.text {
                documents[uri] = TextDocument(uri: uri, version: doc.version, text: text)
            }
            publish(uri)
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.stringValue else { return false }
            documents[uri] = nil
            analyses[uri] = nil
            due[uri] = nil
            notify(client: "textDocument/publishDiagnostics", ["uri": .string(uri), "diagnostics": []])
        default:
            // `initialized`, `$/cancelRequest` (seen by the reader), `$/setTrace`, settings: nothing to do.
            break
        }
        return false
    }

    // MARK: - Documents

    private func analysis(_ params: JSON) throws(ProtocolError) -> Analysis {
        guard let uri = params["textDocument"]?["uri"]?.stringValue else { throw .invalidParams("`textDocument.uri` is missing") }
        guard let doc = documents[uri] else { throw .invalidParams("`\(uri)` is not open") }
        if let a = analyses[uri], a.document.version == doc.version, a.document.text == doc.text { return a }
        let a = Analysis(doc, catalog: features.catalog)
        analyses[uri] = a
        return a
    }

    private func located(_ params: JSON) throws(ProtocolError) -> (Analysis, Int) {
        let a = try analysis(params)
        guard let position = Position(params["position"]) else { throw .invalidParams("`position` is missing") }
        return (a, a.document.offset(of: position))
    }

    private func publish(_ uri: String) {
        due[uri] = nil
        guard let a = try? analysis(["textDocument": ["uri": .string(uri)]]) else { return }
        notify(client: "textDocument/publishDiagnostics", features.diagnostics(a))
    }

    private func publishDue() {
        let now = Date()
        for (uri, when) in due where when <= now { publish(uri) }
    }

    // MARK: - Output

    private var initializeResult: JSON {
        [
            "capabilities": [
                "positionEncoding": "utf-16",
                "textDocumentSync": ["openClose": true, "change": 1, "save": ["includeText": true]],
                "completionProvider": ["triggerCharacters": ["-", "$"]],
                "hoverProvider": true,
                "definitionProvider": true,
                "referencesProvider": true,
                "documentSymbolProvider": true,
                "documentFormattingProvider": true,
                "codeActionProvider": ["codeActionKinds": ["quickfix"]],
            ],
            "serverInfo": ["name": "ats", "version": .string(ShellCLI.version)],
        ]
    }

    private func send(result: JSON, id: JSON) {
        write(["jsonrpc": "2.0", "id": id, "result": result])
    }

    private func send(error: ProtocolError, id: JSON) {
        write(["jsonrpc": "2.0", "id": id, "error": error.json])
    }

    private func notify(client method: String, _ params: JSON) {
        write(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    private func write(_ message: JSON) {
        var body: [UInt8] = []
        JSONWriter.compact.write(message, into: &body)
        output.write(frame(body))
    }
}

/// Frames read by the reader thread, waiting for the server; and the ids the client cancelled.
final class Inbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var frames: [Frame] = []
    private var head = 0
    private var cancelled: Set<JSON> = []

    /// Adds a frame; a `$/cancelRequest` is noted at once, before the requests queued before it run.
    func put(_ frame: Frame) {
        condition.lock()
        if case .body(let bytes) = frame, bytes.count < 4096, let m = try? JSONParser.parse(bytes),
           m["method"]?.stringValue == "$/cancelRequest", let id = m["params"]?["id"] {
            cancelled.insert(id)
        }
        frames.append(frame)
        condition.signal()
        condition.unlock()
    }

    /// The next frame, or nil when `deadline` passed first.
    func take(until deadline: Date?) -> Frame? {
        condition.lock()
        defer { condition.unlock() }
        while head == frames.count {
            if let deadline {
                if !condition.wait(until: deadline) { return nil }
            } else {
                condition.wait()
            }
        }
        let f = frames[head]
        head += 1
        if head > 1024, head * 2 > frames.count {
            frames.removeFirst(head)
            head = 0
        }
        return f
    }

    /// True (once) when the client cancelled request `id`.
    func takeCancellation(_ id: JSON) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled.remove(id) != nil
    }
}
