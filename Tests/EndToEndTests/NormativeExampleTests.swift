import ATSJSON
import Foundation
import Testing
import TestSupport

/// The three normative examples of SHELL.md §1.8, exactly as written, against `connect sim`.
@Suite struct NormativeExampleTests {
    static let staleTasks = """
        # (normative) stop every task that has waited for input longer than an hour
        connect sim
        let stale = tasks --status waitingResponse | where date(.startTime) < now() - 1h
        for t in $stale {
            echo "force-stopping ${t.instanceID} (${t.name})"
            stop $t.instanceID --force
        }
        echo "stopped $(len($stale)) tasks"

        """

    static let submitAndWait = """
        # (normative) submit a service, wait for it, report the outcome through the exit code
        connect sim
        let t = submit "Backup Database" --param target=db01 --param mode=full
        let done = wait $t.instanceID --until completed,failed --timeout 10m --every 2s
        if $done.status != "completed" {
            echo "task ${done.instanceID} ended ${done.status}"
            exit 1
        }

        """

    static let errorsAreValues = """
        # (normative) errors are values that scripts can inspect
        connect sim
        try {
            stop 999999
        } catch err {
            echo "${err.status} ${err.messageID}"     # prints: 404 KNAE02102-E
        }

        """

    @Test func staleTasksAreForceStopped() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("stale.ats", Self.staleTasks)
        let result = try runATS([script])
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let last = try #require(lines.last)
        #expect(last.hasPrefix("stopped ") && last.hasSuffix(" tasks"), "\(result)")
        let count = Int(last.dropFirst("stopped ".count).dropLast(" tasks".count))
        #expect((count ?? 0) > 0, "the simulator seeds stale waiting tasks: \(result)")
        // Each echo is followed by the value of its `stop`: the server's job, printed (off a
        // terminal) as the JSON the server sent.
        let echoes = lines.filter { $0.hasPrefix("force-stopping ") }
        #expect(echoes.count == count, "one line per stopped task: \(result)")
        let jobs = lines.filter { $0 == "  \"state\": \"success\"," }
        #expect(jobs.count == count, "one job per stopped task: \(result)")
        #expect(lines.first?.hasPrefix("force-stopping ") == true, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }

    @Test func submitWaitsAndReportsThroughTheExitCode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("submit.ats", Self.submitAndWait)
        let result = try runATS([script], timeout: 120)
        #expect(!result.timedOut, "\(result)")
        if result.exitCode == 0 {
            #expect(result.stdout.isEmpty, "\(result)")
        } else {
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stdout.contains(" ended "), "\(result)")
        }
    }

    @Test func errorsCarryStatusAndMessageID() throws {
        let result = try runATS(["-c", Self.errorsAreValues])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "404 KNAE02102-E\n", "\(result)")
    }
}
