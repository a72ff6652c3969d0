import AOClient
import ATSJSON
import ATSSupport
import Foundation
import TestSupport
import Testing

/// The header the tests record with.
func testHeader() -> CaseFileHeader {
    CaseFileHeader(
        atsVersion: "0.1.0-test", locale: "ja_JP.UTF-8", timeZone: "Asia/Tokyo (+09:00)",
        commandLine: ["ats", "--record", "case.jsonl", "cleanup.ats"])
}

/// Routes of a tiny fake server used by the case-file tests.
@Sendable func fakeRoutes(_ request: HTTPRequest) -> (status: Int, body: JSON?) {
    let path = request.url.split(separator: "?").first.map(String.init) ?? request.url
    if path.hasSuffix("/configuration/version") {
        return (200, ["productName": "JP1/Automatic Operation", "productVersion": "11-00-00", "apiVersion": "01.01.00"])
    }
    if path.hasSuffix("/objects/Tasks") {
        return (200, ["data": [["instanceID": 5381, "name": "Backup Database", "status": "inProgress"]], "count": 1])
    }
    if path.hasSuffix("/forceStop/invoke") {
        return (200, ["instanceID": "b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f", "state": "success", "result": []])
    }
    if path.hasSuffix("/text") { return (200, .string("plain")) }
    return (404, ["errorSource": .string(request.url), "message": "not found", "messageID": "KNAE02102-E", "application": "Automation"])
}

@Suite struct CaseFileTests {
    @Test func recordThenReadRoundTrip() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let path = scratch.path("case.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        let transport = RecordingTransport(wrapping: StubServer(route: fakeRoutes), writer: writer)

        try await ExchangeContext.$current.withValue(ExchangeContext(statement: "server", location: "cleanup.ats:1:1")) {
            _ = try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:22015/Automation/v1/configuration/version"), timeout: nil)
        }
        try await ExchangeContext.$current.withValue(ExchangeContext(statement: "tasks --status inProgress", location: "cleanup.ats:3:1")) {
            _ = try await transport.send(
                HTTPRequest(method: "GET", url: "http://127.0.0.1:22015/Automation/v1/objects/Tasks?HQL::filter=status%20eq%20%27inProgress%27&HQL::offset=0"),
                timeout: nil)
        }
        try await ExchangeContext.$current.withValue(ExchangeContext(statement: "stop 5381 --force", location: "cleanup.ats:12:5")) {
            _ = try await transport.send(
                HTTPRequest(
                    method: "POST", url: "http://127.0.0.1:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke",
                    headers: ["Content-Type": "application/json"], body: Array(#"{"name":"forceStop","parameters":[]}"#.utf8)),
                timeout: nil)
        }
        // Not JSON, binary, and a transport failure.
        _ = try await transport.send(HTTPRequest(method: "PUT", url: "http://127.0.0.1:22015/x/text", body: Array("a=b".utf8)), timeout: nil)
        _ = try await transport.send(HTTPRequest(method: "PUT", url: "http://127.0.0.1:22015/x/bin", body: [0xFF, 0x00, 0xFE]), timeout: nil)
        let failing = RecordingTransport(wrapping: RefusingTransport(), writer: writer)
        await #expect(throws: TransportFailure.self) {
            _ = try await failing.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:9/Automation/v1/user"), timeout: nil)
        }
        writer.close()
        #expect(writer.failure == nil)

        let file = try CaseFileReader.read(path: path)
        #expect(file.problems.isEmpty)
        let header = try #require(file.header)
        #expect(header.atsVersion == "0.1.0-test")
        #expect(header.locale == "ja_JP.UTF-8")
        #expect(header.commandLine == ["ats", "--record", "case.jsonl", "cleanup.ats"])
        #expect(header.server == CaseFileServer(product: "JP1/Automatic Operation", productVersion: "11-00-00", apiVersion: "01.01.00"))
        #expect(file.exchanges.count == 6)
        #expect(file.exchanges.map(\.seq) == [1, 2, 3, 4, 5, 6])

        let list = file.exchanges[1]
        #expect(list.statement == "tasks --status inProgress")
        #expect(list.location == "cleanup.ats:3:1")
        #expect(list.request.method == "GET")
        #expect(list.request.path == "/Automation/v1/objects/Tasks")
        #expect(list.request.query == [
            CaseFileField(name: "HQL::filter", value: "status eq 'inProgress'"), CaseFileField(name: "HQL::offset", value: "0"),
        ])
        #expect(list.response?.status == 200)
        #expect(list.response?.reason == "OK")
        #expect(list.response?.body?.json?["count"] == 1)
        #expect(list.response?.header("WWW-Authenticate") == "********")
        #expect(list.response?.header("Date") == "Sun, 29 Nov 2026 03:00:00 GMT")

        let stop = file.exchanges[2]
        #expect(stop.statement == "stop 5381 --force")
        #expect(stop.location == "cleanup.ats:12:5")
        #expect(stop.request.body == .json(["name": "forceStop", "parameters": []]))
        #expect(stop.response?.body?.json?["state"] == "success")

        #expect(file.exchanges[3].request.body == .text("a=b"))
        #expect(file.exchanges[3].response?.body == .json("plain"))
        #expect(file.exchanges[4].request.body == .binary([0xFF, 0x00, 0xFE]))
        #expect(file.exchanges[4].statement == nil)
        let failed = file.exchanges[5]
        #expect(failed.response == nil)
        #expect(failed.failureKind == "connect")
        #expect(failed.failure?.contains("Connection refused") == true)

        // Every line is one JSON object with "type" first.
        let lines = caseFileText(path).split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"type":""#) })
    }

    @Test func anAbandonedWriterHasWrittenEveryExchange() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let path = scratch.path("abandoned.jsonl")
        do {
            // The writer is never closed; each exchange must already be in the file.
            let writer = try CaseFileWriter(path: path, header: testHeader())
            let transport = RecordingTransport(wrapping: StubServer(route: fakeRoutes), writer: writer)
            for i in 1...5 {
                _ = try await transport.send(HTTPRequest(method: "GET", url: "http://h:1/Automation/v1/objects/Tasks?i=\(i)"), timeout: nil)
                let sofar = CaseFileReader.parse(caseFileBytes(path))
                #expect(sofar.exchanges.count == i)
                #expect(sofar.problems.isEmpty)
            }
        }
        let file = try CaseFileReader.read(path: path)
        #expect(file.exchanges.map(\.request.query.first?.value) == ["1", "2", "3", "4", "5"])
    }

    @Test func appendingStartsANewSession() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let path = scratch.path("two.jsonl")
        for _ in 0..<2 {
            let writer = try CaseFileWriter(path: path, header: testHeader())
            _ = try await RecordingTransport(wrapping: StubServer(route: fakeRoutes), writer: writer)
                .send(HTTPRequest(method: "GET", url: "http://h:1/Automation/v1/objects/Tasks"), timeout: nil)
            writer.close()
        }
        let file = try CaseFileReader.read(path: path)
        #expect(file.headers.count == 2)
        #expect(file.exchanges.map(\.seq) == [1, 1])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func closedWriterRecordsNothingMore() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let path = scratch.path("closed.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        writer.close()
        writer.close()
        let response = try await RecordingTransport(wrapping: StubServer(route: fakeRoutes), writer: writer)
            .send(HTTPRequest(method: "GET", url: "http://h:1/Automation/v1/objects/Tasks"), timeout: nil)
        #expect(response.status == 200)
        #expect(try CaseFileReader.read(path: path).exchanges.isEmpty)
    }

    @Test func unopenableFileIsAnError() {
        #expect(throws: CaseFileError.self) {
            _ = try CaseFileWriter(path: "/nonexistent-dir/case.jsonl", header: testHeader())
        }
        #expect(throws: CaseFileError.self) { _ = try CaseFileReader.read(path: "/nonexistent-dir/case.jsonl") }
    }

    @Test func readerSkipsBadLinesAndNamesThem() {
        let text = """
            {"type":"header","atsVersion":"1","locale":"C","timeZone":"UTC","commandLine":[],"startedAt":"x"}

            not json at all
            [1,2,3]
            {"type":"mystery"}
            {"type":"exchange","seq":1,"request":{"method":"GET","url":"http://h/a"},"response":{"status":200,"reason":"OK","headers":{},"body":{"a":1}},"durationMs":1}
            {"type":"exchange","seq":2}
            {"type":"exchange","seq":3,"request":{"method":"GET","url":"http://h/b"},"response":{"status":"x"}}
               \t
            {"type":"exchange","seq":4,"request":{"method":"GET","url":"http://h/c"},"response":{"sta
            """
        let file = CaseFileReader.parse(Array(text.utf8))
        #expect(file.headers.count == 1)
        #expect(file.exchanges.count == 1)
        #expect(file.exchanges.first?.line == 6)
        #expect(file.problems.map(\.line) == [3, 4, 5, 7, 8, 10])
        #expect(file.problems.map(\.description)[2] == #"line 5: unknown line type "mystery" (expected header, server or exchange)"#)
        #expect(file.problems.map(\.description)[3] == #"line 7: missing member "request""#)
    }

    @Test func readerSurvivesGarbage() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = (0..<Int.random(in: 0...2000, using: &rng)).map { _ in
                [UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "["), 0xFF, 0x00,
                 UInt8(ascii: ":"), UInt8(ascii: "a")].randomElement(using: &rng)!
            }
            let file = CaseFileReader.parse(bytes)
            #expect(file.exchanges.count + file.problems.count + file.headers.count <= bytes.count + 1)
        }
        let deep = String(repeating: "[", count: 100_000)
        #expect(CaseFileReader.parse(Array(deep.utf8)).problems.count == 1)
    }

    @Test func contextBoundSynchronouslyReachesATaskStartedInside() async throws {
        // The shell's interpreter is synchronous: it binds the context on its thread and the
        // command bridges into async code with `Task { }`. Task-locals are copied into it.
        let seen = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ExchangeContext?, Error>) in
            Thread.detachNewThread {
                ExchangeContext.$current.withValue(ExchangeContext(statement: "tasks", location: "<repl>:1:1")) {
                    _ = Task<Void, Never> { continuation.resume(returning: ExchangeContext.current) }
                }
            }
        }
        #expect(seen == ExchangeContext(statement: "tasks", location: "<repl>:1:1"))
    }
}
