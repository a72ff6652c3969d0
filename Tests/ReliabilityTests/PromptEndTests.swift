import Foundation
import Testing
import TestSupport

/// A request over TLS that times out or is interrupted ends ats at once: no wait for the
/// close_notify of an abandoned connection. The bounds are correctness checks (the time
/// asked for plus 0.5 s), not benchmarks.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct PromptEndTests {
    @Test func aTimeoutOverTLSEndsTheProcessWithinTheTimeout() throws {
        let server = try SelfSignedSimulator(["--faults", "delay=8000@/objects/Tasks"])
        defer { server.stop() }
        let start = Date()
        let r = try runATS(
            against(server.url, timeout: "1s") + ["--cacert", server.certificate, "-c", "task 5381"], environment: passwordEnvironment)
        let elapsed = Date().timeIntervalSince(start)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stderr.contains("no complete answer from 127.0.0.1:\(server.sim.port) within 1 s"), "\(r.stderr)")
        #expect(elapsed < 1.5, "ended \(elapsed) s after the start, for a 1 s timeout")
    }

    @Test func ctrlCDuringARequestOverTLSExits130AtOnce() throws {
        let server = try SelfSignedSimulator(["--faults", "delay=8000@/objects/Tasks"])
        defer { server.stop() }
        let (r, afterSignal) = try runATSInterrupting(
            against(server.url) + ["--cacert", server.certificate, "--trace", "-c", "task 5381"], environment: passwordEnvironment,
            when: "GET /Automation/v1/objects/Tasks/5381")
        #expect(r.exitCode == 130, "\(r)")
        #expect(r.stderr.hasSuffix("interrupted\n"), "\(r.stderr)")
        #expect((afterSignal ?? 99) < 0.5, "exited \(afterSignal ?? -1) s after SIGINT")
    }
}
