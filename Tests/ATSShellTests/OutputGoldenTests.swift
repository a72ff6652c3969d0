import ATSJSON
import ATSLanguage
import ATSShell
import Foundation
import Testing

// Golden tests of the output layer: every input under OutputGolden/ (`NAME.input.json`,
// holding `{"width": N, "value": …}`) is rendered in every format and three settings, and
// compared with `OutputGolden/NAME/FORMAT.SETTING.txt`. Escape characters are stored as
// `\e` so the files read in a diff. `ATS_UPDATE_GOLDEN=1 swift test --filter OutputGolden`
// rewrites the expected files (then review them with `git diff`).

/// Where output goes in a golden case.
enum OutputSetting: String, CaseIterable, Sendable {
    /// A terminal with colour.
    case color
    /// A terminal without colour (`NO_COLOR`, `--no-color`).
    case plain
    /// A pipe or a file.
    case pipe

    func terminal(width: Int) -> TerminalInfo {
        switch self {
        case .color: TerminalInfo(isTerminal: true, color: true, width: width)
        case .plain: TerminalInfo(isTerminal: true, color: false, width: width)
        case .pipe: TerminalInfo(isTerminal: false, color: false, width: width)
        }
    }
}

struct OutputGoldenCase: Sendable, CustomTestStringConvertible {
    var input: String
    var format: OutputFormat
    var setting: OutputSetting

    var testDescription: String { "\(input) \(format.rawValue) \(setting.rawValue)" }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("OutputGolden")

    /// Every input file × every format × every setting.
    static var all: [OutputGoldenCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let inputs = names.filter { $0.hasSuffix(".input.json") }.map { String($0.dropLast(".input.json".count)) }.sorted()
        return inputs.flatMap { input in
            OutputFormat.allCases.flatMap { format in
                OutputSetting.allCases.map { OutputGoldenCase(input: input, format: format, setting: $0) }
            }
        }
    }

    var expectedFile: URL {
        Self.folder.appendingPathComponent(input).appendingPathComponent("\(format.rawValue).\(setting.rawValue).txt")
    }

    /// The value and terminal width of the input file.
    func load() throws -> (value: Value, width: Int) {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("\(input).input.json"))
        let json = try JSONParser.parse(String(decoding: data, as: UTF8.self))
        return (Value(json["value"] ?? .null), json["width"]?.intValue ?? 100)
    }
}

/// Makes escape characters visible (and back).
enum GoldenText {
    static func visible(_ text: String) -> String { text.replacingOccurrences(of: "\u{1B}", with: "\\e") }
}

@Test(arguments: OutputGoldenCase.all)
func outputGolden(_ golden: OutputGoldenCase) throws {
    let (value, width) = try golden.load()
    let stdout = MemoryStream()
    let output = ShellOutput(
        stdout: stdout, stderr: MemoryStream(), terminal: golden.setting.terminal(width: width), format: golden.format)
    output.emit(value)
    let actual = GoldenText.visible(stdout.flushedText)
    #expect(actual == GoldenText.visible(output.render(value)))
    if golden.setting != .color { #expect(!stdout.flushedText.contains("\u{1B}")) }

    if ProcessInfo.processInfo.environment["ATS_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(
            at: golden.expectedFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: golden.expectedFile, atomically: true, encoding: .utf8)
    }
    let expected = try? String(contentsOf: golden.expectedFile, encoding: .utf8)
    #expect(expected != nil, "missing \(golden.expectedFile.path); run with ATS_UPDATE_GOLDEN=1 and review")
    if let expected { #expect(actual == expected) }
}

@Test func outputGoldenFolderHasInputs() {
    #expect(OutputGoldenCase.all.count >= 10 * OutputFormat.allCases.count * OutputSetting.allCases.count)
}
