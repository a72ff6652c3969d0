// The server core in-process: the same frames an editor sends, over OS pipes, and the
// answers checked against what `ats check`, `ats fmt` and `help` say.
import ATSJSON
import ATSLanguage
import ATSShell
import Foundation
import Testing
import TestSupport

@testable import ATSLSP

/// The server's input in memory: what the client writes, until `close()`.
final class ByteQueue: ByteSource, @unchecked Sendable {
    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    private var closed = false

    func append(_ more: [UInt8]) {
        condition.lock()
        bytes += more
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    func read(upTo count: Int) -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while bytes.isEmpty, !closed { condition.wait() }
        let n = min(count, bytes.count)
        let out = Array(bytes[0..<n])
        bytes.removeFirst(n)
        return out
    }
}

/// The server's output, handed to the client as it is written.
final class ClientFeed: MessageSink, @unchecked Sendable {
    weak var client: LSPClient?
    func write(_ bytes: [UInt8]) { client?.receive(bytes) }
}

/// A server on a thread of its own, in memory, with a client.
final class InProcessServer: @unchecked Sendable {
    let client: LSPClient
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Outcome()
    private let input = ByteQueue()

    /// The exit code, set by the server's thread (which does not keep the server alive).
    final class Outcome: @unchecked Sendable {
        let lock = NSLock()
        var code: Int32?
    }

    init(files: [String: String] = [:], debounceMilliseconds: Int = 0) {
        let feed = ClientFeed()
        let input = self.input
        let server = LanguageServer(input: input, output: feed, debounceMilliseconds: debounceMilliseconds, readFile: { files[$0] })
        client = LSPClient(output: { input.append($0) })
        feed.client = client
        let client = self.client
        Thread.detachNewThread { [outcome, done] in
            let c = server.run()
            outcome.lock.withLock { outcome.code = c }
            client.receiveEnd()
            done.signal()
        }
    }

    /// Initialized, with one document open; its first diagnostics.
    static func opened(_ text: String, uri: String = "file:///work/a.ats", files: [String: String] = [:]) -> (InProcessServer, [JSON]) {
        let s = InProcessServer(files: files)
        _ = s.client.initialize()
        s.client.open(uri, text)
        return (s, s.client.diagnostics(for: uri) ?? [])
    }

    /// The exit code once the server stopped.
    func exitCode(timeout: Double = 30) -> Int32? {
        if done.wait(timeout: .now() + timeout) == .timedOut { return nil }
        return outcome.lock.withLock { outcome.code }
    }

    /// Ends the input (as an editor that quits without `exit`).
    func closeInput() { input.close() }

    deinit { input.close() }
}

private let uri = "file:///work/a.ats"

private func at(_ line: Int, _ character: Int) -> JSON { LSPClient.at(uri, line: line, character: character) }

private func labels(_ completion: JSON?) -> [String] {
    (completion?["result"]?["items"]?.arrayValue ?? []).compactMap { $0["label"]?.stringValue }
}

@Suite struct TextDocumentTests {
    @Test func utf16PositionsRoundTripThroughBytes() {
        let d = TextDocument(uri: uri, version: 1, text: "a\né😀b\n\u{1F600}")
        // `é` is 2 bytes and 1 unit, `😀` 4 bytes and 2 units.
        #expect(d.position(ofByte: 2) == Position(line: 1, character: 0))
        #expect(d.position(ofByte: 4) == Position(line: 1, character: 1))
        #expect(d.position(ofByte: 8) == Position(line: 1, character: 3))
        #expect(d.offset(of: Position(line: 1, character: 3)) == 8)
        #expect(d.offset(of: Position(line: 1, character: 2)) == 8, "inside a surrogate pair: after the character")
        #expect(d.offset(of: Position(line: 1, character: 99)) == 9, "past the end of a line: its end")
        #expect(d.offset(of: Position(line: 9, character: 0)) == d.bytes.count)
    }

    @Test func fileURIsAndPaths() {
        #expect(DocumentURI.path("file:///tmp/a%20b.ats") == "/tmp/a b.ats")
        #expect(DocumentURI.uri(ofPath: "/tmp/a b.ats") == "file:///tmp/a%20b.ats")
        #expect(DocumentURI.path("untitled:1") == nil)
    }
}

@Suite struct DiagnosticsTests {
    @Test func everyErrorOfCheckWithItsRangeInUTF16() throws {
        let text = "echo \"é😀\" $nope\nstop 1 --forse\nlet x = (\n"
        let (_, diagnostics) = InProcessServer.opened(text)
        let expected = Language.check(Source(name: "/work/a.ats", text: text), commands: CommandCatalog.areas.flatMap(\.commands))
        #expect(diagnostics.count == expected.count)
        #expect(expected.count >= 3)
        let first = try #require(diagnostics.first)
        // `echo "` 6 units, `é` 1, `😀` 2, `"` and a space: `$nope` starts at 11.
        #expect(first["range"]?["start"] == ["line": 0, "character": 11])
        #expect(first["range"]?["end"] == ["line": 0, "character": 16])
        #expect(first["severity"] == 1)
        #expect(first["message"]?.stringValue?.contains("undefined variable `$nope`") == true)
        let forse = try #require(diagnostics.first { $0["message"]?.stringValue?.contains("--forse") == true })
        #expect(forse["message"]?.stringValue?.contains("did you mean `--force`?") == true)
        #expect(forse["range"]?["start"] == ["line": 1, "character": 7])
    }

    @Test func changeRepublishesAndACleanDocumentClearsThem() {
        let (s, first) = InProcessServer.opened("sleap 1\n")
        #expect(first.count == 1)
        s.client.change(uri, "sleep 1ms\n", version: 2)
        #expect(s.client.diagnostics(for: uri, version: 2) == [])
    }

    @Test func changesInQuickSuccessionArePublishedOnce() {
        // A debounce far longer than the time between two frames of one write.
        let s = InProcessServer(debounceMilliseconds: 1000)
        _ = s.client.initialize()
        s.client.open(uri, "echo 1\n")
        #expect(s.client.diagnostics(for: uri) == [])
        let change = { (text: String, version: Int) -> [UInt8] in
            let body = JSONWriter.compact.string([
                "jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": ["textDocument": ["uri": .string(uri), "version": .int(version)], "contentChanges": [["text": .string(text)]]],
            ])
            return Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
        }
        s.client.sendRaw(change("sleap 1\n", 2) + change("sleep 1ms\n", 3))
        let next = s.client.waitFor { $0["method"] == "textDocument/publishDiagnostics" }
        #expect(next?["params"]?["version"] == 3, "the first publish after the changes is of the last one")
        #expect(next?["params"]?["diagnostics"] == [])
    }

    @Test func quickFixReplacesTheNearMiss() throws {
        let (s, _) = InProcessServer.opened("stop 5381 --forse\n")
        let response = s.client.call("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)],
            "range": ["start": ["line": 0, "character": 12], "end": ["line": 0, "character": 12]], "context": ["diagnostics": []],
        ])
        let action = try #require(response?["result"]?[0])
        #expect(action["title"] == "replace `--forse` with `--force`")
        #expect(action["kind"] == "quickfix")
        let edit = action["edit"]?["changes"]?[uri]?[0]
        #expect(edit?["newText"] == "--force")
        #expect(edit?["range"] == ["start": ["line": 0, "character": 10], "end": ["line": 0, "character": 17]])
    }
}

@Suite struct CompletionTests {
    @Test func commandNamesWithTheirSummaries() throws {
        let (s, _) = InProcessServer.opened("fn restart(id) { }\nsto\n")
        let items = s.client.call("textDocument/completion", at(1, 3))?["result"]?["items"]?.arrayValue ?? []
        let stop = try #require(items.first { $0["label"] == "stop" })
        #expect(stop["detail"]?.stringValue == CommandCatalog.signature("stop")?.summary)
        let names = items.compactMap { $0["label"]?.stringValue }
        #expect(names.contains("restart"), "the script's own functions")
        #expect(names.contains("echo"), "the language's built-ins")
        #expect(names.contains("tasks"))
        #expect(stop["textEdit"]?["range"] == ["start": ["line": 1, "character": 0], "end": ["line": 1, "character": 3]])
    }

    @Test func optionsOfTheCommandAtTheCursor() throws {
        let (s, _) = InProcessServer.opened("stop 5381 --\n")
        let items = s.client.call("textDocument/completion", at(0, 12))?["result"]?["items"]?.arrayValue ?? []
        let force = try #require(items.first { $0["label"] == "--force" })
        #expect(force["detail"]?.stringValue == CommandCatalog.signature("stop")?.option("force")?.help)
        #expect(items.contains { $0["label"] == "--output" })
    }

    @Test func statusesAfterStatusAndFormatsAfterOutput() {
        let (s, _) = InProcessServer.opened("tasks --status \ntasks --output \n")
        let statuses = labels(s.client.call("textDocument/completion", at(0, 15)))
        #expect(statuses.contains("inProgress"))
        #expect(statuses.contains("failed"))
        let formats = labels(s.client.call("textDocument/completion", at(1, 15)))
        #expect(formats == OutputFormat.names)
    }

    @Test func variablesInScope() {
        let text = "let outer = 1\nfn f(param) {\n    let inner = 2\n    echo $\n}\necho $\n"
        let (s, _) = InProcessServer.opened(text)
        let inside = labels(s.client.call("textDocument/completion", at(3, 10)))
        #expect(Set(["$outer", "$param", "$inner", "$env", "$args"]).isSubset(of: Set(inside)))
        let outside = labels(s.client.call("textDocument/completion", at(5, 6)))
        #expect(outside.contains("$outer"))
        #expect(!outside.contains("$inner"))
        #expect(!outside.contains("$param"))
    }
}

@Suite struct NavigationTests {
    let text = """
        let base = 10
        fn add(a, b) { return $a + $b + $base }
        echo (add 1 2) $base
        print add(3, 4)
        source "lib.ats"
        helper 1

        """

    @Test func hoverShowsHelpAndDefinitions() throws {
        let (s, _) = InProcessServer.opened("stop 5381 --force\nlet n = 1\necho $n\n")
        let help = try #require(HelpRenderer(builtins: Language.builtinSignatures).help("stop"))
        let command = s.client.call("textDocument/hover", at(0, 1))?["result"]?["contents"]?["value"]?.stringValue
        #expect(command?.contains(help) == true)
        let option = s.client.call("textDocument/hover", at(0, 13))?["result"]?["contents"]?["value"]?.stringValue
        let forceLine = help.split(separator: "\n").first { $0.hasPrefix("  --force ") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(forceLine?.hasSuffix("force stop: end the running processes at once") == true)
        #expect(option == forceLine.map { "```text\n\($0)\n```" }, "the option's line of `help stop`")
        let variable = s.client.call("textDocument/hover", at(2, 7))?["result"]?["contents"]?["value"]?.stringValue
        #expect(variable?.contains("let n = 1") == true)
    }

    @Test func definitionAndReferencesOfLetAndFn() {
        let (s, _) = InProcessServer.opened(text)
        let base = s.client.call("textDocument/definition", at(2, 17))?["result"]
        #expect(base == ["uri": .string(uri), "range": ["start": ["line": 0, "character": 4], "end": ["line": 0, "character": 8]]])
        var params = at(0, 5)
        params["context"] = ["includeDeclaration": true]
        let refs = s.client.call("textDocument/references", params)?["result"]?.arrayValue ?? []
        #expect(refs.compactMap { $0["range"]?["start"]?["line"]?.intValue } == [0, 1, 2])
        let add = s.client.call("textDocument/definition", at(3, 7))?["result"]?["range"]?["start"]
        #expect(add == ["line": 1, "character": 3])
        let calls = s.client.call("textDocument/references", at(1, 4))?["result"]?.arrayValue ?? []
        #expect(calls.compactMap { $0["range"]?["start"]?["line"]?.intValue } == [1, 2, 3])
        let parameter = s.client.call("textDocument/definition", at(1, 23))?["result"]?["range"]?["start"]
        #expect(parameter == ["line": 1, "character": 7])
    }

    @Test func definitionOfSourcedFilesAndTheirFunctions() {
        let (s, _) = InProcessServer.opened(text, files: ["/work/lib.ats": "# library\nfn helper(x) { echo $x }\n"])
        let file = s.client.call("textDocument/definition", at(4, 10))?["result"]
        #expect(file?["uri"] == "file:///work/lib.ats")
        let helper = s.client.call("textDocument/definition", at(5, 2))?["result"]
        #expect(helper == ["uri": "file:///work/lib.ats", "range": ["start": ["line": 1, "character": 3], "end": ["line": 1, "character": 9]]])
    }

    @Test func documentSymbolsAreFunctionsAndTopLevelLets() {
        let (s, _) = InProcessServer.opened("let a = 1\nfn outer() {\n    let hidden = 2\n    fn inner() { }\n}\n")
        let symbols = s.client.call("textDocument/documentSymbol", ["textDocument": ["uri": .string(uri)]])?["result"]?.arrayValue ?? []
        #expect(symbols.compactMap { $0["name"]?.stringValue } == ["a", "outer"], "not `hidden`: it is not top-level")
        let outer = symbols.first { $0["name"] == "outer" }
        #expect(outer?["kind"] == 12)
        #expect(outer?["children"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["inner"])
    }
}

@Suite struct FormattingTests {
    @Test func formatsAsFmtDoes() throws {
        let text = "if true {echo   1}\nlet x=[1,2]\n"
        let (s, _) = InProcessServer.opened(text)
        let edits = s.client.call("textDocument/formatting", ["textDocument": ["uri": .string(uri)], "options": [:]])?["result"]?.arrayValue
        let expected = try Language.format(Source(name: "a.ats", text: text), commands: CommandCatalog.areas.flatMap(\.commands))
        #expect(edits?.count == 1)
        #expect(edits?.first?["newText"]?.stringValue == expected)
    }

    @Test func refusedWhileThereAreSyntaxErrors() {
        let (s, _) = InProcessServer.opened("if true {\n")
        let response = s.client.call("textDocument/formatting", ["textDocument": ["uri": .string(uri)], "options": [:]])
        #expect(response?["error"]?["code"] == -32803)
        #expect(response?["result"] == nil)
    }
}

@Suite struct ProtocolTests {
    @Test func malformedFramesAndMessagesGetErrorsAndTheServerGoesOn() {
        let s = InProcessServer()
        _ = s.client.initialize()
        s.client.sendRaw(Array("Content-Type: x\r\n\r\n".utf8))
        #expect(s.client.waitFor { $0["error"]?["code"] == -32700 && $0["error"]?["message"]?.stringValue?.contains("Content-Length") == true } != nil)
        s.client.sendRaw(Array("Content-Length: 5\r\n\r\n{oops".utf8))
        #expect(s.client.waitFor { $0["error"]?["code"] == -32700 && $0["id"] == .null } != nil)
        s.client.send([1, 2])
        #expect(s.client.waitFor { $0["error"]?["code"] == -32600 } != nil)
        #expect(s.client.call("no/such/method")?["error"]?["code"] == -32601)
        #expect(s.client.call("shutdown")?["result"] == .null)
        s.client.notify("exit")
        #expect(s.exitCode() == 0)
    }

    @Test func requestsBeforeInitializeAreRefused() {
        let s = InProcessServer()
        #expect(s.client.call("textDocument/hover", at(0, 0))?["error"]?["code"] == -32002)
    }

    @Test func aCancelledRequestIsAnsweredAsCancelled() {
        let (s, _) = InProcessServer.opened("echo 1\n")
        // The cancellation arrives before the request runs (here: before it is even sent).
        s.client.notify("$/cancelRequest", ["id": 77])
        s.client.send(["jsonrpc": "2.0", "id": 77, "method": "textDocument/hover", "params": at(0, 1)])
        #expect(s.client.response(to: 77)?["error"]?["code"] == -32800)
        #expect(s.client.call("textDocument/hover", at(0, 1))?["result"] != nil, "later requests still run")
    }

    @Test func exitWithoutShutdownAndTheEndOfInputGiveOne() {
        let s = InProcessServer()
        _ = s.client.initialize()
        s.client.notify("exit")
        #expect(s.exitCode() == 1)
        let t = InProcessServer()
        t.closeInput()
        #expect(t.exitCode() == 1)
    }

    @Test func afterShutdownOnlyExitIsAccepted() {
        let s = InProcessServer()
        _ = s.client.initialize()
        _ = s.client.call("shutdown")
        #expect(s.client.call("textDocument/hover", at(0, 0))?["error"]?["code"] == -32600)
    }

    @Test func keywordsOfCompletionAreTheLanguagesReservedWords() {
        // Each keyword (but `quiet`, a statement form and not reserved) is refused as a variable name.
        for k in Catalog.keywords where k != "quiet" {
            let diagnostics = Language.check(Source(name: "k", text: "for \(k) in [1] { }\n"), commands: [])
            #expect(!diagnostics.isEmpty, "\(k)")
        }
    }
}
