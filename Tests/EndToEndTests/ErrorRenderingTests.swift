import ATSJSON
import Foundation
import Testing
import TestSupport

/// Every kind of error, rendered as SHELL.md §5 shows, with the exit code of a script.
@Suite struct ErrorRenderingTests {
    @Test func forceStopOfACompletedTaskIsAConflict() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("cleanup.ats", """
            connect sim
            let done = tasks --status completed | first 1
            stop $done[0].instanceID --force
            echo "not reached"

            """)
        let result = try runATS([script])
        #expect(result.exitCode == 1, "\(result)")
        #expect(!result.stdout.contains("not reached"))
        let err = result.stderr
        #expect(err.contains("error: stop $done[0].instanceID --force: 409 Conflict"), "\(result)")
        #expect(err.contains("the task is \"completed\"; force stop needs In Progress, Waiting for Input or In Progress (with Error)"), "\(result)")
        #expect(err.contains("server: KNAE"), "\(result)")
        #expect(err.contains("cleanup.ats:3:"), "\(result)")
    }

    @Test func connectionRefused() throws {
        // A port nothing listens on: bind one, then close it.
        let port = try unusedLoopbackPort()
        let result = try runATS(against("http://127.0.0.1:\(port)") + ["-c", "tasks"], environment: passwordEnvironment)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("cannot connect to 127.0.0.1:\(port): connection refused"), "\(result)")
        #expect(result.stderr.contains("is the server running"), "\(result)")
    }

    @Test func timeout() throws {
        let silent = try SilentServer()
        defer { silent.stop() }
        let result = try runATS(against("http://127.0.0.1:\(silent.port)", timeout: "1s") + ["-c", "tasks"],
                                environment: passwordEnvironment, timeout: 60)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("error:"), "\(result)")
        #expect(result.stderr.lowercased().contains("within") || result.stderr.lowercased().contains("timed out"), "\(result)")
    }

    @Test func tlsAgainstAPlainServer() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let result = try runATS(against("https://127.0.0.1:\(sim.port)") + ["-c", "tasks"], environment: passwordEnvironment)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr == """
            error: connect https://127.0.0.1:\(sim.port): 127.0.0.1:\(sim.port) did not answer in TLS
              is it a plain HTTP port? then use http://127.0.0.1:\(sim.port)

            """, "\(result)")
    }

    @Test func wrongPasswordIsAnAuthError() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["-c", "tasks"], environment: ["PW": "Not-the-Pa55word"])
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("401 Unauthorized"), "\(result)")
        #expect(!result.stderr.contains("Not-the-Pa55word"), "the password never appears: \(result)")
    }

    @Test func caughtErrorsExposeEveryField() throws {
        let result = try runATS(["--sim", "-c", """
            try { task 999999 } catch err {
                echo "${err.kind}|${err.status}|${err.reason}|${err.messageID}|${err.method}"
                echo $err.url
            }
            """])
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "http|404|Not Found|KNAE02102-E|GET", "\(result)")
        #expect(lines.last?.hasSuffix("/Automation/v1/objects/Tasks/999999") == true, "\(result)")
    }

    @Test func waitTimeoutIsAnErrorOfKindTimeout() throws {
        let result = try runATS(["--sim", "-c", """
            let t = tasks --status waitingResponse | first 1
            try { wait $t[0].instanceID --until completed --timeout 1s --every 200ms } catch err { echo $err.kind }
            wait $t[0].instanceID --until completed --timeout 300ms --every 100ms
            """])
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stdout == "timeout\n", "\(result)")
        #expect(result.stderr.contains("did not reach completed"), "\(result)")
    }

    @Test func usageErrorsExitTwo() throws {
        let password = try runATS(["--password", "x", "-c", "tasks"])
        #expect(password.exitCode == 2)
        #expect(password.stderr.contains("never accepted on the command line"))
        let option = try runATS(["--tarce"])
        #expect(option.exitCode == 2)
        #expect(option.stderr.hasPrefix("error: unknown option '--tarce'; did you mean `--trace`?\nusage: ats [OPTIONS] [FILE.ats [ARG…]]\n"), "\(option)")
    }

    @Test func notConnected() throws {
        let result = try runATS(["-c", "tasks"])
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("not connected"), "\(result)")
    }
}
