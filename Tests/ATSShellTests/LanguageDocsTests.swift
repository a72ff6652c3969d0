import Foundation
import Testing
import TestSupport

// Every ```ats block of docs/language.md that an ```output block follows is run as
// `ats --sim example.ats` in a simulated world (memory streams, the in-memory simulator, a
// manual clock), and must print exactly that output, standard output then standard error.
// Every other ```ats block (including `no-run` ones) must pass `ats check`: they use the
// shell's real commands, so they are checked against the shell's catalog.
//
// `ATS_UPDATE_GOLDEN=1 swift test --filter LanguageDocs` rewrites the output blocks with what
// ats prints now (review them with `git diff docs/language.md`).

struct LanguageDocExample: Sendable, CustomTestStringConvertible {
    /// Its place among the examples (line numbers move when the update mode rewrites).
    var index: Int
    var line: Int
    var code: String
    /// The output block: its text, and the line of its opening fence.
    var output: (text: String, line: Int)?
    var testDescription: String { "docs/language.md:\(line)" }

    static let file = repositoryRoot.appendingPathComponent("docs/language.md")

    static var all: [LanguageDocExample] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        let blocks = fences(in: text)
        var out: [LanguageDocExample] = []
        var i = 0
        while i < blocks.count {
            let fence = blocks[i]
            i += 1
            guard fence.info.hasPrefix("ats") else { continue }
            if !fence.info.contains("no-run"), i < blocks.count, blocks[i].info == "output", blocks[i].followsPrevious {
                out.append(LanguageDocExample(index: out.count, line: fence.line, code: fence.body, output: (blocks[i].body, blocks[i].line)))
                i += 1
            } else {
                out.append(LanguageDocExample(index: out.count, line: fence.line, code: fence.body, output: nil))
            }
        }
        return out
    }

    /// Runs `ats ARGUMENTS… example.ats` on this example's code; standard output then
    /// standard error, and the exit code.
    func run(_ arguments: [String]) async throws -> (text: String, code: Int32) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("example.ats", code)
        let world = SimulatedWorld(environment: ["HOME": directory.url.path], workingDirectory: directory.url.path)
        let code = await world.run(arguments + ["example.ats"])
        return (world.stdout.text + world.stderr.text, code)
    }

    /// Replaces the output block that opens at `line` (from 1) of `text` with `output`.
    static func replacingOutput(at line: Int, in text: String, with output: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var end = line
        while end < lines.count, lines[end] != "```" { end += 1 }
        var body = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if body.last == "" { body.removeLast() }
        lines.replaceSubrange(line..<end, with: body)
        return lines.joined(separator: "\n")
    }
}

@Suite(.serialized) struct LanguageDocs {
    @Test(arguments: LanguageDocExample.all)
    func example(_ example: LanguageDocExample) async throws {
        guard let output = example.output else {
            let checked = try await example.run(["check"])
            #expect(checked.code == 0, "\(checked.text)")
            return
        }
        let ran = try await example.run(["--sim"])
        if ProcessInfo.processInfo.environment["ATS_UPDATE_GOLDEN"] == "1" {
            // Serialized: each case reads the file the one before it wrote, and finds its block
            // there again.
            let text = try String(contentsOf: LanguageDocExample.file, encoding: .utf8)
            let line = try #require(LanguageDocExample.all[example.index].output?.line)
            let updated = LanguageDocExample.replacingOutput(at: line, in: text, with: ran.text)
            try updated.write(to: LanguageDocExample.file, atomically: true, encoding: .utf8)
            return
        }
        #expect(ran.text == output.text)
    }

    @Test func theLanguageDocumentationHasExamples() {
        #expect(LanguageDocExample.all.filter { $0.output != nil }.count >= 15)
    }
}
