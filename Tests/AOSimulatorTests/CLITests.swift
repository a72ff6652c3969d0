@testable import AOHTTPServer
import AOSimulator
import Foundation
import Testing

@Suite("ats sim command line")
struct CLITests {
    @Test("options are parsed into the configuration")
    func parse() throws {
        let o = try SimulatorCLI.parse([
            "--port", "0", "--host", "127.0.0.1", "--seed", "42", "--tasks=100000", "--speed", "2.5",
            "--quirks", "instanceId,leadingSpaceHref", "--faults", "starting=3,500=/objects/Tasks", "--tls-cert", "c", "--tls-key", "k",
        ]).get()
        #expect(o.port == 0)
        #expect(o.configuration.seed == 42)
        #expect(o.configuration.taskCount == 100_000)
        #expect(o.configuration.speed == 2.5)
        #expect(o.configuration.quirks == [.instanceId, .leadingSpaceHref])
        #expect(o.configuration.faults.startingRequests == 3)
        #expect(o.configuration.faults.internalError == [FaultRoute(pathContains: "/objects/Tasks")])
        #expect(o.tlsCert == "c" && o.tlsKey == "k")
    }

    @Test("bad options give a clear message", arguments: [
        (["--port", "70000"], "is not a port number"),
        (["--port"], "needs a value"),
        (["--speed", "0"], "positive number"),
        (["--quirks", "nope"], "unknown quirk 'nope'"),
        (["--faults", "what=1"], "--faults"),
        (["--tls-cert", "c"], "together"),
        (["--frobnicate"], "unknown option"),
    ])
    func bad(arguments: [String], fragment: String) {
        switch SimulatorCLI.parse(arguments) {
        case .success: Issue.record("accepted \(arguments)")
        case .failure(let e): #expect(e.message.contains(fragment), "\(e.message)")
        }
    }

    static var binary: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for dir in [".build/debug", ".build/release"] {
            let p = root.appendingPathComponent(dir).appendingPathComponent("ats").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    @Test("`ats sim --port 0` prints where it listens and exits 0 on SIGTERM", .enabled(if: binary != nil))
    func runsUntilSignal() async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary!)
        p.arguments = ["sim", "--port", "0"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        var line = ""
        while !line.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        #expect(line.wholeMatch(of: /ats sim: listening on http:\/\/127\.0\.0\.1:\d+ \(user system, password manager\)\n/) != nil, "\(line)")
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }
}
