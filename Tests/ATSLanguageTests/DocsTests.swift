import ATSLanguage
import Foundation
import Testing
import TestSupport

/// Every ```ats block of docs/language.md followed by an ```output block runs and prints
/// that output; every other ```ats block (including `no-run` ones) at least parses.
struct DocExample: Sendable, CustomTestStringConvertible {
    var line: Int
    var code: String
    var output: String?
    var testDescription: String { "docs/language.md:\(line)" }
}

@Suite struct Documentation {
    static func examples() -> [DocExample] {
        guard let text = try? String(contentsOf: repositoryRoot.appendingPathComponent("docs/language.md"), encoding: .utf8)
        else { return [] }
        let blocks = fences(in: text)
        var out: [DocExample] = []
        var i = 0
        while i < blocks.count {
            let fence = blocks[i]
            i += 1
            guard fence.info.hasPrefix("ats") else { continue }
            let code = fence.lines.joined(separator: "\n") + "\n"
            if !fence.info.contains("no-run"), i < blocks.count, blocks[i].info == "output", blocks[i].followsPrevious {
                let output = blocks[i].lines.joined(separator: "\n") + "\n"
                out.append(DocExample(line: fence.line, code: code, output: output == "\n" ? "" : output))
                i += 1
            } else {
                out.append(DocExample(line: fence.line, code: code, output: nil))
            }
        }
        return out
    }

    @Test(arguments: examples())
    func example(_ e: DocExample) {
        if let expected = e.output {
            let run = Harness.run(e.code, name: "example.ats")
            #expect(run.stdout + run.stderr == expected)
        } else {
            let (_, diagnostics) = Language.parse(Source(name: "example.ats", text: e.code), commands: Harness.commands)
            #expect(diagnostics.isEmpty, "\(diagnostics.map(\.text))")
        }
    }

    @Test func documentationHasExamples() {
        #expect(Documentation.examples().filter { $0.output != nil }.count >= 15)
    }
}
