import Foundation
import Testing
import TestSupport

/// The user's documentation stays true: the command reference is generated from the
/// signatures, and every cookbook example runs against the simulator.
@Suite struct DocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func commandReferenceMatchesTheSignatures() throws {
        let result = try runATS(["-c", "help --markdown"])
        #expect(result.exitCode == 0, "\(result)")
        let file = try String(contentsOf: Self.root.appendingPathComponent("docs/commands.md"), encoding: .utf8)
        #expect(file == result.stdout, "docs/commands.md is stale: regenerate it with `ats -c 'help --markdown' > docs/commands.md`")
    }

    /// The ```ats blocks of docs/cookbook.md.
    static func cookbookExamples() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/cookbook.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```ats" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else if current != nil {
                current!.append(String(line))
            }
        }
        return blocks
    }

    @Test func cookbookHasExamples() throws {
        #expect(try Self.cookbookExamples().count >= 5)
    }

    @Test(arguments: try cookbookExamples())
    func cookbookExampleRuns(_ example: String) throws {
        let result = try runATS(["--sim", "-c", example], environment: ["ATS_SIM_SPEED": "60"], timeout: 180)
        #expect(!result.timedOut, "\(result)")
        #expect(result.exitCode == 0, "\(example)\n\(result)")
        #expect(!result.stderr.contains("error:"), "\(example)\n\(result)")
    }
}
