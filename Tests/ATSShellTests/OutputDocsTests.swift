import ATSJSON
import ATSLanguage
import ATSShell
import Foundation
import Testing
import TestSupport

// Every example in docs/output.md: a ```json output-example format=F setting=S [width=N]```
// block holds a value (F may be `auto`: no override); the ```text``` block after it is what
// ats prints for it.

struct OutputDocExample: Sendable, CustomTestStringConvertible {
    var line: Int
    var options: [String: String]
    var input: String
    var expected: String

    var testDescription: String { "docs/output.md:\(line)" }

    static let file = repositoryRoot.appendingPathComponent("docs/output.md")

    static var all: [OutputDocExample] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        let blocks = fences(in: text)
        var examples: [OutputDocExample] = []
        var index = 0
        while index < blocks.count {
            let fence = blocks[index]
            index += 1
            guard fence.info.hasPrefix("json output-example") else { continue }
            var options: [String: String] = [:]
            for word in fence.info.split(separator: " ").dropFirst(2) {
                let parts = word.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { options[String(parts[0])] = String(parts[1]) }
            }
            guard index < blocks.count, blocks[index].info == "text", blocks[index].followsPrevious else {
                examples.append(OutputDocExample(line: fence.line, options: options, input: fence.body, expected: "<no text block>"))
                continue
            }
            examples.append(OutputDocExample(line: fence.line, options: options, input: fence.body, expected: blocks[index].body))
            index += 1
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
