import Foundation
import Testing
import TestSupport

/// Resources stay bounded over a long session (the bounded in-test version of `scripts/soak`).
@Suite struct ResourceTests {
    @Test func twoThousandRequestsInOneSession() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let warm = dir.path("warm"), end = dir.path("end")
        let script = try dir.write("requests.ats", """
            for i in 1..200 { let t = task 5381 }
            write_file "\(warm)" "x"
            sleep 2s
            for i in 1..2000 { let t = task 5381 }
            let n = tasks --status inProgress | count
            write_file "\(end)" "x"
            sleep 2s
            echo $n

            """)
        let (result, samples) = try runATSWithCheckpoints(
            against(sim.url) + [script], checkpoints: [warm, end], environment: passwordEnvironment, timeout: 300)
        #expect(result.exitCode == 0, "\(result)")
        #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(result)")
        guard let w = samples[warm], let e = samples[end] else {
            Issue.record("checkpoints not sampled: \(samples)")
            return
        }
        #expect(w.rssKiB > 0 && w.fds > 0 && w.threads > 0, "the sample read /proc: \(w)")
        #expect(e.fds <= w.fds, "fds: \(w) → \(e)")
        #expect(e.threads <= w.threads + 2, "threads: \(w) → \(e)")
        #expect(Double(e.rssKiB) <= Double(w.rssKiB) * 1.3, "RSS: \(w) → \(e)")
    }

    /// 5 cycles to warm up, then 25 and 25 more. Each checkpoint's count is the settled one
    /// (the lowest while the script sleeps), so a connection still closing under load is not
    /// counted; a leak of one descriptor or thread per cycle would add 25 at each step.
    @Test func fiftyConnectDisconnectCyclesLeakNoDescriptors() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let warm = dir.path("warm"), half = dir.path("half"), end = dir.path("end")
        let cycle = "connect \(sim.url) --user system --password-env PW\n    let t = task 5381\n    disconnect"
        let script = try dir.write("cycles.ats", """
            for i in 1..5 {
                \(cycle)
            }
            write_file "\(warm)" "x"
            sleep 2s
            for i in 1..25 {
                \(cycle)
            }
            write_file "\(half)" "x"
            sleep 2s
            for i in 1..25 {
                \(cycle)
            }
            write_file "\(end)" "x"
            sleep 2s
            echo "done"

            """)
        let (result, samples) = try runATSWithCheckpoints([script], checkpoints: [warm, half, end], environment: passwordEnvironment,
                                                          timeout: 300)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("done"), "\(result)")
        guard let w = samples[warm], let h = samples[half], let e = samples[end] else {
            Issue.record("checkpoints not sampled: \(samples)")
            return
        }
        // No growth from one step to the next (one spare for a closing socket that outlives
        // the 2 s window), and none over the whole run.
        #expect(h.fds <= w.fds + 1 && e.fds <= h.fds + 1 && e.fds <= w.fds + 1, "fds: \(w) → \(h) → \(e)")
        #expect(h.threads <= w.threads + 2 && e.threads <= h.threads + 2 && e.threads <= w.threads + 2, "threads: \(w) → \(h) → \(e)")
    }

    /// Each request in flight needs its own HTTP/1.1 connection, so the connections the
    /// server accepted bound how many requests were in flight at once (no timing involved).
    @Test(arguments: [16, 4])
    func eachParallelIsBounded(_ limit: Int) async throws {
        let server = try await TestHTTPServer.misbehaving { _ in
            .delayed(.milliseconds(300), TestHTTPServer.ao(200, #"{"instanceID":1}"#))
        }
        defer { Task { await server.shutdown() } }
        let items = limit * 3
        let result = try runATS(against(server.baseURL) + ["-c", """
            let r = 1..\(items) | each --parallel \(limit) { api GET /objects/Tasks/$it }
            echo ($r | count)
            """], environment: passwordEnvironment, timeout: 120)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(items)", "\(result)")
        let requests = server.faultRequests
        #expect(requests.count == items)
        let connections = Set(requests.map(\.connection))
        #expect(connections.count <= limit, "at most \(limit) at once, used \(connections.count) connections")
        #expect(connections.count > 1, "the items did run in parallel")
        // Past AsyncHTTPClient's default of 8 connections per host: N means N in flight.
        if limit > 8 { #expect(connections.count > 8, "--parallel \(limit) used only \(connections.count) connections") }
    }
}
