import Foundation
import Testing
import TestSupport

/// The user's documentation stays true: the command reference is generated from the
/// signatures. (Every cookbook example is a golden case with its exact output, run in
/// process: Tests/ATSShellTests/CLIGolden/cookbook.)
@Suite struct DocsTests {
    @Test func commandReferenceMatchesTheSignatures() throws {
        let result = try runATS(["-c", "help --markdown"])
        #expect(result.exitCode == 0, "\(result)")
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/commands.md"), encoding: .utf8)
        #expect(file == result.stdout, "docs/commands.md is stale: regenerate it with `ats -c 'help --markdown' > docs/commands.md`")
    }
}
