@testable import AOHTTPServer
import AOSimulator
import ATSSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@Suite("ats sim command line")
struct CLITests {
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

@Suite("Serving a recorded case file (ats sim --replay)")
struct ReplayServingTests {
    @Test("a case file is served over HTTP by the same server; an unknown file is refused")
    func replay() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ats-sim-replay-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [
            #"{"type":"header","format":1,"atsVersion":"0.1.0","commandLine":["ats"],"startedAt":"2026-11-29T03:00:14.123Z"}"#,
            #"{"type":"exchange","seq":1,"time":"2026-11-29T03:00:15.002Z","request":{"method":"GET","url":"http://aohost:22015/Automation/v1/configuration/version","path":"/Automation/v1/configuration/version","query":{},"headers":{"Authorization":"********"}},"response":{"status":200,"reason":"OK","headers":{"Content-Type":"application/json"},"body":{"productName":"JP1/Automatic Operation","productVersion":"11-00-00","apiVersion":"01.01.00"}},"durationMs":3.5}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let server = SimulatorServer(transport: try ReplayTransport(caseFile: path), port: 0)
        try await server.start()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func get(_ p: String) async throws -> (Int, String) {
            let r = try await client.execute(HTTPClientRequest(url: server.baseURL + p), timeout: .seconds(10))
            return (Int(r.status.code), String(buffer: try await r.body.collect(upTo: 1 << 20)))
        }
        let version = try await get("/Automation/v1/configuration/version")
        let missing = try await get("/Automation/v1/objects/Tasks/1")
        try await client.shutdown()
        await server.stop()
        #expect(version.0 == 200)
        #expect(version.1.contains("11-00-00"))
        #expect(missing.0 == 404)
        #expect(await SimulatorCLI.main({
            var o = SimulatorCLI.Options()
            o.replay = path + ".missing"
            o.port = 0
            return o
        }()) == 1)
    }
}
