// `ats lsp` as an editor runs it: the built binary over its standard input and output, one
// whole session from initialize to exit.
import ATSJSON
import Foundation
import Testing
import TestSupport

@Suite struct LanguageServerEndToEndTests {
    @Test func aWholeSession() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("job.ats", "")
        let uri = "file://" + path
        let process = Process()
        process.executableURL = BuiltProducts.ats
        process.arguments = ["lsp"]
        let toServer = Pipe(), fromServer = Pipe()
        process.standardInput = toServer
        process.standardOutput = fromServer
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let client = LSPClient(writingTo: toServer.fileHandleForWriting, readingFrom: fromServer.fileHandleForReading)

        let capabilities = try #require(client.initialize())
        #expect(capabilities["positionEncoding"] == "utf-16")
        #expect(capabilities["textDocumentSync"]?["change"] == 1)

        // didOpen: the misspelt option after a line with an astral character.
        let text = "fn bounce(id) {\n    echo \"🚀 $id\"; stop $id --forse\n}\nlet n = 1\nbounce $n\n"
        client.open(uri, text)
        let opened = try #require(client.diagnostics(for: uri))
        #expect(opened.count == 1)
        // `    echo "🚀 $id"; stop $id ` is 28 UTF-16 units (the rocket is two of them) and 30 bytes.
        #expect(opened.first?["range"]?["start"] == ["line": 1, "character": 28])
        #expect(opened.first?["message"]?.stringValue?.contains("did you mean `--force`?") == true)

        // didChange: fixed, and the diagnostics are cleared.
        let fixed = text.replacingOccurrences(of: "--forse", with: "--force")
        client.change(uri, fixed, version: 2)
        #expect(client.diagnostics(for: uri, version: 2) == [])
        client.change(uri, fixed + "tasks --status \n", version: 3)

        // completion, hover, definition, references.
        let statuses = client.call("textDocument/completion", LSPClient.at(uri, line: 5, character: 15))?["result"]?["items"]?.arrayValue ?? []
        #expect(statuses.contains { $0["label"] == "completed" })
        let hover = client.call("textDocument/hover", LSPClient.at(uri, line: 1, character: 20))?["result"]?["contents"]?["value"]?.stringValue
        #expect(hover?.contains("usage: stop ID…") == true)
        let definition = client.call("textDocument/definition", LSPClient.at(uri, line: 4, character: 2))?["result"]
        #expect(definition?["range"]?["start"] == ["line": 0, "character": 3])
        let references = client.call("textDocument/references", LSPClient.at(uri, line: 3, character: 4))?["result"]?.arrayValue
        #expect(references?.compactMap { $0["range"]?["start"]?["line"]?.intValue } == [3, 4])

        // formatting: the same as `ats fmt`.
        let messy = "let  x=[1,2]\n"
        try directory.write("messy.ats", messy)
        let fmt = try runATS(["fmt", directory.path("messy.ats")])
        client.change(uri, messy, version: 4)
        let edits = client.call("textDocument/formatting", ["textDocument": ["uri": .string(uri)], "options": [:]])?["result"]?.arrayValue
        #expect(edits?.first?["newText"]?.stringValue == fmt.stdout)

        // a malformed frame, then an unknown method: errors, and the server goes on.
        client.sendRaw(Array("Content-Length: 3\r\n\r\n{x}".utf8))
        #expect(client.waitFor { $0["error"]?["code"] == -32700 } != nil)
        #expect(client.call("workspace/noSuchThing")?["error"]?["code"] == -32601)

        // shutdown and exit.
        #expect(client.call("shutdown")?["result"] == .null)
        client.notify("exit")
        #expect(client.waitForEnd())
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
