import AOClient
import AOHTTPServer
@testable import AOSimulator
import ATSJSON
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

private func get(_ t: SimulatorTransport, _ path: String) async throws -> (Int, JSON?) {
    let r = try await t.send(HTTPRequest(method: "GET", url: "http://sim:22015/Automation/v1" + path,
                                         headers: ["Authorization": "Basic c3lzdGVtOm1hbmFnZXI="]), timeout: nil)
    return (r.status, try? JSONParser.parse(r.body))
}

@Suite("Running the simulator: in memory, at scale, over TLS, from the command line")
struct RunTests {
    @Test("the same seed gives the same data; another seed differs")
    func determinism() async throws {
        func snapshot(_ seed: UInt64) async throws -> JSON? {
            var c = SimulatorConfiguration()
            c.clock = ManualClock()
            c.seed = seed
            return try await get(SimulatorTransport(Simulator(configuration: c)), "/objects/Tasks").1
        }
        let a = try await snapshot(7), b = try await snapshot(7), c = try await snapshot(8)
        #expect(a != nil)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("100,000 tasks page quickly and count correctly in memory")
    func scale() async throws {
        var c = SimulatorConfiguration()
        c.clock = ManualClock()
        c.taskCount = 100_000
        let sim = Simulator(configuration: c)
        #expect(sim.counts.tasks == 100_000)
        let t = SimulatorTransport(sim)
        let (status, json) = try await get(t, "/objects/Tasks?HQL::offset=99000&HQL::limit=1000")
        #expect(status == 200)
        #expect(json?["count"]?.intValue == 100_000)
        #expect(json?["data"]?.arrayValue?.count == 1000)
        let (_, failed) = try await get(t, "/objects/Tasks?HQL::filter=status%20eq%20'failed'&HQL::limit=10")
        #expect(try #require(failed?["count"]?.intValue) > 1000)
        #expect(try await get(t, "/objects/Tasks/5381").0 == 200)
    }

    @Test("the in-memory transport is safe to call from many tasks at once")
    func concurrency() async throws {
        var c = SimulatorConfiguration()
        c.clock = ManualClock()
        let t = SimulatorTransport(Simulator(configuration: c))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for k in 0..<200 {
                group.addTask {
                    if k % 4 == 0 {
                        let r = try await t.send(HTTPRequest(
                            method: "PUT", url: "http://sim/Automation/v1/objects/Tasks/5381",
                            headers: ["Authorization": "Basic c3lzdGVtOm1hbmFnZXI=", "Content-Type": "application/json"],
                            body: Array("{\"notes\":\"n\(k)\"}".utf8)), timeout: nil)
                        return r.status
                    }
                    return try await get(t, k % 2 == 0 ? "/objects/Tasks?HQL::limit=50" : "/objects/Tasks/5381").0
                }
            }
            var all: [Int] = []
            for try await s in group { all.append(s) }
            return all
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test("the in-memory transport answers a 404 for paths outside /Automation/v1")
    func outsideAPI() async throws {
        var c = SimulatorConfiguration()
        c.clock = ManualClock()
        let t = SimulatorTransport(Simulator(configuration: c))
        let (status, json) = try await get(t, "/../../etc/passwd")
        #expect(status == 404)
        #expect(json?["messageID"]?.stringValue == "KNAE02102-E")
    }

    @Test("a request's path and query are percent-decoded, `+` as a space; a malformed escape stays as written")
    func requestDecoding() throws {
        let r = try #require(SimRequest(HTTPRequest(
            method: "get", url: "http://sim:22015/Automation/v1/objects/Tasks%2F1?a+b=%41%2b%+F%4&c")))
        #expect(r.method == "GET")
        #expect(r.base == "http://sim:22015")
        #expect(r.path == "/objects/Tasks/1")
        #expect(r.query.map(\.name) == ["a b", "c"])
        #expect(r.query.map(\.value) == ["A+% F%4", ""])
        #expect(SimRequest(HTTPRequest(method: "GET", url: "/Automation/v1/objects/Tasks")) == nil)
    }

    @Test("HTTPS with a certificate and key from files", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func tls() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ats-sim-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                       "-subj", "/CN=127.0.0.1"]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        try await SimHarness.with({ _ in }, tls: .init(certificatePath: cert, privateKeyPath: key)) { (h: SimHarness) async throws in
            #expect(h.server.baseURL.hasPrefix("https://127.0.0.1:"))
            let r = try await h.get("/configuration/version")
            #expect(r.status == 200)
            #expect(r.json?["productName"]?.stringValue == "JP1/Automatic Operation")
            let stop = try await h.invoke("/objects/Tasks/5381", "stop")
            #expect(stop.json?["affectedResource"]?[0]?.stringValue?.hasPrefix("https://") == true)
        }
        let missing = dir.appendingPathComponent("none.pem").path
        let error = await #expect(throws: SimulatorServer.StartError.self) {
            try await SimulatorServer(simulator: Simulator(), port: 0,
                                      tls: .init(certificatePath: missing, privateKeyPath: key)).start()
        }
        #expect(error?.description.hasPrefix("cannot use the TLS certificate \(missing): ") == true, "\(String(describing: error))")
    }

    @Test("the HTTP server serves any Transport, not only the simulator")
    func anyTransport() async throws {
        struct Fixed: Transport {
            func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
                HTTPResponse(status: 418, reason: "I'm a teapot", headers: ["Content-Type": "text/plain", "X-Path": request.url],
                             body: Array("tea".utf8))
            }
        }
        let server = SimulatorServer(transport: Fixed(), port: 0)
        try await server.start()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/Automation/v1/x?y=1"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1024)
        try await client.shutdown()
        #expect(response.status.code == 418)
        #expect(String(buffer: body) == "tea")
        #expect(response.headers.first(name: "X-Path") == server.baseURL + "/Automation/v1/x?y=1")
        await server.stop()
    }
}
