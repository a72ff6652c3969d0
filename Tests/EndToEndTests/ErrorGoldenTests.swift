import Foundation
import Testing
import TestSupport

/// One golden case per kind of error (`Tests/ErrorGolden/`, see its README): the exact
/// standard error of the built `ats` (what happened, why, `at FILE:LINE:COL`, the source
/// line and its caret), standard output and the exit code.
@Suite struct ErrorGoldenTests {
    static let folder = repositoryRoot.appendingPathComponent("Tests/ErrorGolden")

    static func cases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".ats") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test(arguments: cases())
    func errorKind(_ name: String) throws {
        let base = Self.folder.appendingPathComponent(name).path
        let script = try String(contentsOfFile: base + ".ats", encoding: .utf8)
        // A server of our own only for the cases that name one; a line `# ats sim ARGS`
        // gives its options (faults).
        let simArguments = script.split(separator: "\n").first { $0.hasPrefix("# ats sim ") }
            .map { $0.dropFirst("# ats sim ".count).split(separator: " ").map(String.init) } ?? []
        let sim = script.contains("SIM_") ? try SimulatorProcess.start(simArguments) : nil
        defer { sim?.stop() }
        var arguments = [name + ".ats"]
        let directory: URL
        var temporary: TemporaryDirectory?
        if let sim {
            let dir = try TemporaryDirectory()
            temporary = dir
            let text = script.replacingOccurrences(of: "SIM_URL", with: sim.url)
                .replacingOccurrences(of: "SIM_PORT", with: String(sim.port))
            _ = try dir.write(name + ".ats", text)
            directory = dir.url
            arguments = [name + ".ats"]
        } else {
            directory = Self.folder
        }
        defer { temporary?.remove() }
        let result = try runATS(arguments, environment: ["PW": "manager", "WRONG_PW": "Not-the-Pa55word"],
                                directory: directory, timeout: 60)
        // The server's address and the checkout's path (TLS errors name a file of the TLS
        // library), as the expected files write them.
        func placeheld(_ text: String) -> String {
            var text = text.replacingOccurrences(of: repositoryRoot.path, with: "REPO")
            guard let sim else { return text }
            text = text.replacingOccurrences(of: sim.url, with: "SIM_URL")
            return text.replacingOccurrences(of: String(sim.port), with: "SIM_PORT")
        }
        let stderr = placeheld(result.stderr), stdout = placeheld(result.stdout)
        if ProcessInfo.processInfo.environment["ATS_UPDATE_GOLDEN"] == "1" {
            try stderr.write(toFile: base + ".err", atomically: true, encoding: .utf8)
            if !stdout.isEmpty { try stdout.write(toFile: base + ".out", atomically: true, encoding: .utf8) }
            if result.exitCode != 0 { try "\(result.exitCode)\n".write(toFile: base + ".code", atomically: true, encoding: .utf8) }
        }
        let expectedErr = try String(contentsOfFile: base + ".err", encoding: .utf8)
        let expectedOut = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let code = Int32(((try? String(contentsOfFile: base + ".code", encoding: .utf8)) ?? "0")
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(stderr == expectedErr, "stderr of \(name): \(result)")
        #expect(stdout == expectedOut, "stdout of \(name): \(result)")
        #expect(result.exitCode == code, "exit code of \(name): \(result)")
        #expect(!result.stderr.contains("Not-the-Pa55word"), "the password never appears")
    }

    /// The kind `interrupted` has no golden file (it needs a signal at the right moment):
    /// a script whose request is in flight (a server that has it and never answers) gets
    /// SIGINT, and prints exactly `interrupted` and exits 130, as a shell does.
    @Test func interruptedKind() async throws {
        let server = try await TestHTTPServer { _ in .neverAnswer }
        defer { Task { await server.shutdown() } }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("interrupted.ats", """
            connect \(server.baseURL) --user system --password-env PW
            tasks
            echo "not reached"

            """)
        let (result, afterSignal) = try runATSInterrupting([script], environment: ["PW": "manager"]) { _ in
            !server.requests.isEmpty
        }
        #expect(server.requests.first?.uri.hasPrefix("/Automation/v1/") == true, "\(server.requests.map(\.uri))")
        #expect(result.stderr == "interrupted\n", "\(result)")
        #expect(result.stdout == "", "\(result)")
        #expect(result.exitCode == 130, "\(result)")
        #expect(afterSignal != nil && afterSignal! < 5, "ended \(afterSignal ?? -1) s after SIGINT")
    }

    @Test func everyKindHasACase() {
        let names = Set(Self.cases())
        for kind in ["http", "script", "timeout", "auth", "transport", "tls", "decoding"] { #expect(names.contains(kind), "no case for \(kind)") }
    }
}
