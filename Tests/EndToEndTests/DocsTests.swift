import Foundation
import Testing
import TestSupport

/// The user's documentation stays true: the command reference is generated from the
/// signatures, and every cookbook example runs against the simulator.
@Suite struct DocsTests {
    @Test func commandReferenceMatchesTheSignatures() throws {
        let result = try runATS(["-c", "help --markdown"])
        #expect(result.exitCode == 0, "\(result)")
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/commands.md"), encoding: .utf8)
        #expect(file == result.stdout, "docs/commands.md is stale: regenerate it with `ats -c 'help --markdown' > docs/commands.md`")
    }

    /// The ```ats blocks of docs/cookbook.md.
    static func cookbookExamples() throws -> [String] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/cookbook.md"), encoding: .utf8)
        return fences(in: text).filter { $0.info == "ats" }.map { $0.lines.joined(separator: "\n") + "\n" }
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
