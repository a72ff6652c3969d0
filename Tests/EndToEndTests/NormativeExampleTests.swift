import Foundation
import Testing
import TestSupport

/// The normative examples of SHELL.md §1.8 are golden cases run in process
/// (Tests/ATSShellTests/CLIGolden/normative). Here the real binary runs the third one's body
/// against `ats sim` over loopback HTTP, so the wiring of `main` (the HTTP transport, the
/// file descriptors) is covered end to end.
@Suite struct NormativeExampleTests {
    static let errorsAreValues = """
        try {
            stop 999999
        } catch err {
            echo "${err.status} ${err.messageID}"     # prints: 404 KNAE02102-E
        }

        """

    @Test func errorsCarryStatusAndMessageIDOverLoopback() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["-c", Self.errorsAreValues], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "404 KNAE02102-E\n", "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }
}
