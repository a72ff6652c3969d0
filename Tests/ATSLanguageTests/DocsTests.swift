import ATSLanguage
import Testing

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
        guard let text = Harness.read(Harness.repositoryRoot + "/docs/language.md") else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [DocExample] = []
        var i = 0
        func fence(_ start: Int) -> (String, Int) {
            var body: [String] = []
            var j = start + 1
            while j < lines.count, lines[j] != "```" {
                body.append(lines[j])
                j += 1
            }
            return (body.joined(separator: "\n") + "\n", j + 1)
        }
        while i < lines.count {
            if lines[i].hasPrefix("```ats") {
                let line = i + 1
                let (code, next) = fence(i)
                var k = next
                while k < lines.count, lines[k].trimmingCharacters(in: " ").isEmpty { k += 1 }
                if !lines[i].contains("no-run"), k < lines.count, lines[k] == "```output" {
                    let (output, after) = fence(k)
                    out.append(DocExample(line: line, code: code, output: output == "\n" ? "" : output))
                    i = after
                    continue
                }
                out.append(DocExample(line: line, code: code, output: nil))
                i = next
                continue
            }
            i += 1
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
