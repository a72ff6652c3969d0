import Foundation
import Testing
import TestSupport

/// Server faults end to end: the built `ats` against a misbehaving server or `ats sim --faults`.
/// Every case gives a clear error (exit 1) or the right result; none crashes or hangs.
@Suite struct ServerFaultTests {
    @Test func malformedJSON() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in TestHTTPServer.ao(200, #"{"data": [{"instanceID": 5381, "#) }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment)
        expectRuntimeError(result, "error: tasks: the server's answer is not valid JSON (unexpected end of JSON at byte 31)")
        #expect(result.stderr.contains("GET \(server.baseURL)/Automation/v1/objects/Tasks"), "\(result)")
        #expect(result.stderr.contains("HTTP status was 200"), "\(result)")
    }

    @Test func truncatedBody() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in
            .dropMidBody(status: 200, headers: TestHTTPServer.aoHeaders(), partialBody: Array(#"{"data": [{"instance"#.utf8),
                         declaredLength: 4096)
        }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment)
        expectRuntimeError(result, "error: tasks: the server closed the connection before the answer was complete (the response was cut short)")
        #expect(server.faultRequests.count == 1, "a truncated answer is not retried blindly")
    }

    static let htmlPage = """
        <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
        <html><head><title>502 Proxy Error</title></head><body><h1>Proxy Error</h1>
        <p>The proxy server received an invalid response from an upstream server.</p></body></html>
        """

    @Test func htmlErrorPageFromAProxy() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in
            .respond(status: 502, reason: "Proxy Error", headers: [("Content-Type", "text/html; charset=iso-8859-1")],
                     body: Array(Self.htmlPage.utf8))
        }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment)
        expectRuntimeError(result, "error: tasks: 502 Bad Gateway")
        #expect(result.stderr.contains("unexpected HTTP status"), "\(result)")
        #expect(result.stderr.contains("server said: 502 Proxy Error Proxy Error The proxy server received"), "the page's text: \(result)")
        #expect(!result.stderr.contains("<!DOCTYPE"), "the page's markup is not dumped: \(result)")
    }

    @Test func htmlPageWithStatus200() async throws {
        // A login portal or captive proxy answering 200 with a web page.
        let server = try await TestHTTPServer.misbehaving { _ in
            .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array(Self.htmlPage.utf8))
        }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment)
        expectRuntimeError(result, "error: tasks: the server's answer is not JSON")
        #expect(result.stderr.contains("HTTP status was 200"), "\(result)")
        #expect(result.stdout.isEmpty, "no made-up empty result: \(result)")
    }

    @Test func droppedConnection() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in .close }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment)
        expectRuntimeError(result, "error: tasks: the server closed the connection before the answer was complete")
        #expect(result.stderr.contains("the server or a proxy dropped the connection; try again"), "\(result)")
    }

    @Test func droppedConnectionFromTheSimulator() throws {
        let sim = try SimulatorProcess.start(["--faults", "drop=/objects/Tasks/5381"])
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["-c", "echo (tasks | count)\ntask 5381"], environment: passwordEnvironment)
        expectRuntimeError(result, "error: task 5381: the server closed the connection before the answer was complete")
        #expect(result.stderr.contains("at -c:2:1"), "\(result)")
        #expect(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0, "the first statement ran: \(result)")
    }

    @Test func serverThatNeverAnswersHonoursTimeout() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in .neverAnswer }
        defer { Task { await server.shutdown() } }
        let start = ContinuousClock.now
        let result = try runATS(against(server.baseURL, timeout: "2s") + ["-c", "tasks | count"],
                                environment: passwordEnvironment, timeout: 30)
        let elapsed = ContinuousClock.now - start
        expectRuntimeError(result, "error: tasks: no complete answer from 127.0.0.1:\(server.port) within 2 s")
        #expect(result.stderr.contains("allow more time with --timeout"), "\(result)")
        // A hang check: the 2 s limit is honoured to within about a second.
        #expect(elapsed < .milliseconds(3500), "took \(elapsed)")
    }

    @Test func bodyThatNeverCompletesHonoursTimeout() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in .stallAfterHead(status: 200, declaredLength: 1000) }
        defer { Task { await server.shutdown() } }
        let start = ContinuousClock.now
        let result = try runATS(against(server.baseURL, timeout: "2s") + ["-c", "tasks | count"],
                                environment: passwordEnvironment, timeout: 30)
        let elapsed = ContinuousClock.now - start
        expectRuntimeError(result, "error: tasks: no complete answer from 127.0.0.1:\(server.port) within 2 s")
        #expect(elapsed < .milliseconds(3500), "took \(elapsed)")
    }

    @Test func slowSimulatorHonoursTimeout() throws {
        let sim = try SimulatorProcess.start(["--faults", "delay=10000@/objects/Tasks"])
        defer { sim.stop() }
        let start = ContinuousClock.now
        let result = try runATS(against(sim.url, timeout: "2s") + ["-c", "tasks | count"], environment: passwordEnvironment,
                                timeout: 30)
        let elapsed = ContinuousClock.now - start
        expectRuntimeError(result, "error: tasks: no complete answer from 127.0.0.1:\(sim.port) within 2 s")
        #expect(elapsed < .milliseconds(3500), "took \(elapsed)")
    }

    @Test func startingServerIsWaitedForOnGets() throws {
        // The first two requests (the log-in's GET /user) answer 412 with Retry-After: 1.
        let sim = try SimulatorProcess.start(["--faults", "starting=2,retry-after=1"])
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["-c", "tasks --status inProgress | count"], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(result)")
    }

    @Test func retryAfterIsHonoured() async throws {
        let served = Mutex412(failures: 1)
        let server = try await TestHTTPServer.misbehaving { request in
            if served.fail() {
                return .respond(status: 412, reason: "Precondition Failed",
                                headers: TestHTTPServer.aoHeaders() + [("Retry-After", "1")],
                                body: Array(#"{"errorSource":"x","message":"KNAE90412-W starting"}"#.utf8))
            }
            return TestHTTPServer.ao(200, #"{"data":[],"count":0}"#)
        }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(result)")
        let gets = server.faultRequests
        #expect(gets.count == 2, "one 412, one retry: \(gets.map(\.uri))")
        let stamps = served.stamps
        if stamps.count == 2 {
            // The retry waits for the Retry-After (1 s), not the 250 ms default back-off.
            #expect(stamps[1] - stamps[0] >= .milliseconds(900), "retried after \(stamps[1] - stamps[0])")
        }
    }

    @Test func persistent412OnAGetGivesUpWithAClearError() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in
            .respond(status: 412, reason: "Precondition Failed", headers: TestHTTPServer.aoHeaders() + [("Retry-After", "0")],
                     body: Array(#"{"errorSource":"/Automation/v1/objects/Tasks","message":"The server is starting.","messageID":"KNAE90412-W"}"#.utf8))
        }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment)
        expectRuntimeError(result, "412 Precondition Failed")
        #expect(result.stderr.contains("the server is starting or not available; retry later"), "\(result)")
        #expect(result.stderr.contains("server: KNAE90412-W The server is starting."), "\(result)")
        #expect(server.faultRequests.count == 3, "a GET is tried 3 times: \(server.faultRequests.map(\.uri))")
    }

    @Test func postIsNeverRetriedAutomatically() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in
            .respond(status: 412, reason: "Precondition Failed", headers: TestHTTPServer.aoHeaders() + [("Retry-After", "0")],
                     body: Array(#"{"message":"KNAE90412-W The server is starting.","messageID":"KNAE90412-W"}"#.utf8))
        }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "api POST /objects/Tasks/5381/actions/stop/invoke {} --yes"],
                                environment: passwordEnvironment)
        expectRuntimeError(result, "412 Precondition Failed")
        let posts = server.requests.filter { $0.method == "POST" }
        #expect(posts.count == 1, "a POST is sent exactly once: \(server.requests.map { "\($0.method) \($0.uri)" })")
    }

    @Test func internalServerErrorOnAnAction() throws {
        let sim = try SimulatorProcess.start(["--faults", "500=POST:/actions/stop/invoke"])
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["-c", "stop 5381"], environment: passwordEnvironment)
        expectRuntimeError(result, "500 Internal Server Error")
        #expect(result.stderr.contains("server: KNAE90500-E"), "\(result)")
    }

    @Test func internalServerErrorFromTheSimulator() throws {
        let sim = try SimulatorProcess.start(["--faults", "500=/objects/Tasks"])
        defer { sim.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("report.ats", "echo \"before\"\ntasks | count\necho \"not reached\"\n")
        let result = try runATS(against(sim.url) + [script], environment: passwordEnvironment)
        expectRuntimeError(result, "500 Internal Server Error")
        #expect(result.stderr.contains("the server reported an internal error"), "\(result)")
        #expect(result.stderr.contains("server: KNAE90500-E"), "\(result)")
        #expect(result.stderr.contains("report.ats:2:"), "\(result)")
        #expect(result.stdout.contains("before") && !result.stdout.contains("not reached"), "\(result)")
    }

    @Test func internalServerErrorIsAValueAScriptCanHandle() throws {
        let sim = try SimulatorProcess.start(["--faults", "500=/objects/Tasks"])
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["-c", """
            try { tasks } catch e { echo "${e.kind} ${e.status} ${e.messageID}" }
            echo (services | count)
            """], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "http 500 KNAE90500-E", "\(result)")
        #expect((Int(lines.last ?? "") ?? 0) > 0, "\(result)")
    }

    @Test func tokenThatExpiresMidScriptIsRenewed() throws {
        let sim = try SimulatorProcess.start(["--faults", "token-ttl=1"])
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["-c", """
            let before = tasks | count
            sleep 2s
            let after = tasks | count
            sleep 1500ms
            let t = task 5381
            echo $t.instanceID
            echo "${before} ${after}"
            """], environment: passwordEnvironment, timeout: 60)
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("5381"), "\(result)")
        let counts = lines.last?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(counts.count == 2 && counts[0] > 0 && counts[0] == counts[1], "\(result)")
        #expect(result.stderr.isEmpty, "no error or warning: \(result)")
    }

    @Test func hundredMegabyteChunkedAnswerIsRefusedWithBoundedMemory() async throws {
        let server = try await TestHTTPServer.misbehaving { _ in
            .chunked(status: 200, headers: TestHTTPServer.aoHeaders(), size: 100 * 1024 * 1024)
        }
        defer { Task { await server.shutdown() } }
        let measured = try runATSMeasured(against(server.baseURL) + ["-c", "tasks | count"], environment: passwordEnvironment,
                                          timeout: 120)
        let result = measured.result
        expectRuntimeError(result, "error: tasks: the answer is larger than the limit of 64 MiB")
        #expect(result.stderr.contains("narrow the request (HQL::fields, a filter, a smaller limit)"), "\(result)")
        // Bounded: the 100 MB are never held at once (the limit plus the program itself).
        #expect(measured.peakKiB > 0, "the peak RSS was sampled")
        #expect(measured.peakKiB < 200 * 1024, "peak RSS \(measured.peakKiB) KiB")
    }

    @Test func hundredMegabyteContentLengthIsRefusedBeforeReading() async throws {
        // Declares 100 MB and then sends nothing: refused from the header, not after a timeout.
        let server = try await TestHTTPServer.misbehaving { _ in .stallAfterHead(status: 200, declaredLength: 100 * 1024 * 1024) }
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL, timeout: "20s") + ["-c", "tasks | count"],
                                environment: passwordEnvironment, timeout: 60)
        expectRuntimeError(result, "error: tasks: the answer is larger than the limit of 64 MiB")
        #expect(!result.stderr.contains("no response"), "refused from the header, not by the timeout: \(result)")
    }
}

/// Fails the first `failures` calls of `fail()`, recording when each call came.
final class Mutex412: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private var times: [ContinuousClock.Instant] = []

    init(failures: Int) { remaining = failures }

    func fail() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        times.append(.now)
        if remaining > 0 {
            remaining -= 1
            return true
        }
        return false
    }

    var stamps: [ContinuousClock.Instant] {
        lock.lock()
        defer { lock.unlock() }
        return times
    }
}
