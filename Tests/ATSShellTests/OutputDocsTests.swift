import ATSJSON
import ATSLanguage
import ATSShell
import Foundation
import Testing

// Every example in docs/output.md: a ```json output-example format=F setting=S [width=N]```
// block holds a value (F may be `auto`: no override); the ```text``` block after it is what
// ats prints for it.

struct OutputDocExample: Sendable, CustomTestStringConvertible {
    var line: Int
    var options: [String: String]
    var input: String
    var expected: String

    var testDescription: String { "docs/output.md:\(line)" }

    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/output.md")

    static var all: [OutputDocExample] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [OutputDocExample] = []
        var index = 0
        func block(from start: Int) -> (body: String, end: Int) {
            var end = start
            while end < lines.count && lines[end] != "```" { end += 1 }
            return (lines[start..<end].map { $0 + "\n" }.joined(), end)
        }
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("```json output-example") else {
                index += 1
                continue
            }
            var options: [String: String] = [:]
            for word in line.split(separator: " ").dropFirst(2) {
                let parts = word.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { options[String(parts[0])] = String(parts[1]) }
            }
            let input = block(from: index + 1)
            var next = input.end + 1
            while next < lines.count && lines[next].isEmpty { next += 1 }
            guard next < lines.count, lines[next] == "```text" else {
                examples.append(OutputDocExample(line: index + 1, options: options, input: input.body, expected: "<no text block>"))
                index = next
                continue
            }
            let expected = block(from: next + 1)
            examples.append(OutputDocExample(line: index + 1, options: options, input: input.body, expected: expected.body))
            index = expected.end + 1
        }
        return examples
    }
}

@Test(arguments: OutputDocExample.all)
func outputDocExample(_ example: OutputDocExample) throws {
    let format = try OutputFormat.parseOverride(try #require(example.options["format"]))
    let setting = try #require(example.options["setting"].flatMap(OutputSetting.init(rawValue:)))
    #expect(setting != .color, "examples in the docs cannot show colour")
    let width = example.options["width"].flatMap { Int($0) } ?? 200
    let value = Value(try JSONParser.parse(example.input))
    let stdout = MemoryStream()
    let output = ShellOutput(stdout: stdout, stderr: MemoryStream(), terminal: setting.terminal(width: width), format: format)
    output.emit(value)
    #expect(stdout.text == example.expected)
}

@Test func outputDocsHaveExamples() {
    #expect(OutputDocExample.all.count >= 6)
}
