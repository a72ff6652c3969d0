import Foundation
import Testing
import TestSupport

/// ats behind a real nginx that closes idle keep-alive connections after 1 s, as reverse
/// proxies in front of JP1/AO do (docs/cli.md, "Behind a reverse proxy").
@Suite(.enabled(if: NginxProxy.isInstalled), .serialized)
struct ReverseProxyTests {
    /// The polling script of issue 16: each second GET is sent just as nginx's idle timeout
    /// strikes. Before the retry on a fresh connection, about half of them failed.
    @Test func getsSentAsTheIdleTimeoutStrikesAllSucceed() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let nginx = try NginxProxy.start(upstreamPort: sim.port, keepaliveTimeout: "1s")
        defer { nginx.stop() }
        let script = """
            let failures = []
            for i in 1..20 {
                let _ = task 5381
                sleep 999ms
                try { let _ = task 5381 } catch err { $failures += [$err.message] }
            }
            let n = ($failures | count)
            echo "failures: $n"
            echo $failures
            """
        let result = try runATS(against(nginx.url) + ["--trace", "-c", script], environment: passwordEnvironment, timeout: 120)
        let resent = result.stderr.components(separatedBy: "sending the GET again on a new connection").count - 1
        #expect(result.exitCode == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("failures: 0\n"), "no GET may fail (\(resent) were sent again): \(result.stdout)")
        let gets = nginx.accessLog.filter { $0.hasPrefix("GET /Automation/v1/objects/Tasks/5381 ") }
        #expect(gets.count == 40, "every GET reached nginx once: \(gets.count)")
        #expect(nginx.accessLog.allSatisfy { !$0.hasPrefix("POST") }, "the script sends no POST")
    }

    /// A request that nginx accepts on a reused connection and then drops without an answer
    /// (`return 444`): a GET is sent again once on a new connection, a POST never.
    @Test func aPostThatGotNoAnswerIsNotSentAgain() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let nginx = try NginxProxy.start(upstreamPort: sim.port, keepaliveTimeout: "60s", locations: """
            location ~ /actions/stop/invoke$ {
                if ($request_method = POST) { return 444; }
                proxy_pass http://UPSTREAM;
            }
            location = /Automation/v1/objects/Tasks/77 { return 444; }
            """)
        defer { nginx.stop() }
        let stop = try runATS(against(nginx.url) + ["--trace", "-c", "stop 5381"], environment: passwordEnvironment)
        #expect(stop.exitCode == 1, "\(stop)")
        let posts = nginx.accessLog.filter { $0.hasPrefix("POST ") }
        #expect(posts == ["POST /Automation/v1/objects/Tasks/5381/actions/stop/invoke 444"], "exactly one POST for one stop: \(nginx.accessLog)")
        #expect(!stop.stderr.contains("sending the POST again"), "\(stop.stderr)")
        #expect(stop.stderr.contains(
            "error: stop 5381: the server closed the connection before the answer was complete (a kept-alive connection was closed before any answer)"),
            "\(stop.stderr)")

        let get = try runATS(against(nginx.url) + ["--trace", "-c", "task 77"], environment: passwordEnvironment)
        #expect(get.exitCode == 1, "\(get)")
        let gets = nginx.accessLog.filter { $0.hasPrefix("GET /Automation/v1/objects/Tasks/77 ") }
        #expect(gets.count == 2, "the GET was sent again once, on a new connection, which failed too: \(nginx.accessLog)")
        #expect(get.stderr.components(separatedBy: "sending the GET again on a new connection").count - 1 == 1, "\(get.stderr)")
    }
}
