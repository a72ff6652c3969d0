// Issue 7's promises, through the built binary: a recorded run replays to the same output,
// and a case file is whole up to the last exchange when the process is killed mid-script.
import ATSJSON
import Foundation
import Testing
import TestSupport

@Suite struct CaseFileEndToEndTests {
    private static let script = """
        let listed = tasks --limit 3 | select instanceID name status
        print $listed
        print (task 5381 | get .status)
        try { stop 999999 } catch err { echo "${err.status} ${err.messageID}" }
        echo "services: $(services | count)"

        """

    @Test func aRecordedRunReplaysToTheSameOutput() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("case.ats", Self.script)
        let caseFile = dir.path("case.jsonl")

        let live = try SimulatorProcess.start(["--seed", "7"])
        let recorded = try runATS(
            against(live.url) + ["--output", "json", "--record", caseFile, script], environment: passwordEnvironment)
        live.stop()
        #expect(recorded.exitCode == 0, "\(recorded)")
        #expect(recorded.stdout.contains("404 KNAE02102-E"), "\(recorded)")

        let replay = try SimulatorProcess.start(["--replay", caseFile])
        defer { replay.stop() }
        let replayed = try runATS(
            against(replay.url) + ["--output", "json", script], environment: passwordEnvironment)
        #expect(replayed.exitCode == recorded.exitCode, "\(replayed)")
        #expect(replayed.stdout == recorded.stdout, "\(replayed)")
    }

    @Test func aKilledRunLeavesACompleteCaseFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let caseFile = dir.path("killed.jsonl")
        let process = Process()
        process.executableURL = BuiltProducts.ats
        process.arguments = ["--sim", "--record", caseFile, "-c", "for i in 1..1000000 { let _ = task 5381 }"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Kill it (SIGKILL: no chance to flush or close) once it has recorded some exchanges.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, Self.lines(caseFile).count < 50 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let lines = Self.lines(caseFile)
        #expect(lines.count >= 50)
        for (number, line) in lines.enumerated() {
            let parsed = try? JSONParser.parse(line)
            #expect(parsed != nil, "line \(number + 1) is not whole JSON: \(line.prefix(200))")
        }
        let text = caseFileText(caseFile)
        #expect(text.hasSuffix("\n"), "the last exchange is not whole")
        #expect(!text.contains("manager"))
    }

    /// The non-empty lines of a file (none when it does not exist yet).
    private static func lines(_ path: String) -> [String] {
        caseFileText(path).split(separator: "\n").map(String.init)
    }
}
