import AOClient
import AOSimulator
import ATSJSON
import ATSSupport
import Foundation
import TestSupport
import Testing

/// A session against the in-process simulator, as the client runs one: Basic credentials on
/// the first request, then always the newest HSSO token the server issued.
private struct SimulatorSession {
    static let password = "manager"
    static let basic = Data("system:\(password)".utf8).base64EncodedString()

    let simulator = Simulator()
    var transport: any Transport
    private(set) var authorization: HeaderValue = .secret(Secret("Basic \(basic)"))
    private(set) var issuedTokens: [String] = []

    init(wrap: (any Transport) -> any Transport) {
        transport = wrap(SimulatorTransport(simulator))
    }

    /// Sends `method path [body]` under a statement and keeps the token the response issued.
    mutating func send(_ method: String, _ target: String, body: JSON? = nil, statement: String? = nil) async throws -> HTTPResponse {
        var headers = HTTPHeaderFields()
        headers.add("Accept", "application/json")
        headers.add("Authorization", authorization)
        var bytes: [UInt8]?
        if let body {
            headers.add("Content-Type", "application/json")
            bytes = Array(JSONWriter.compact.string(body).utf8)
        }
        let request = HTTPRequest(method: method, url: "http://127.0.0.1:22015/Automation/v1" + target, headers: headers, body: bytes)
        let transport = self.transport
        let response = try await ExchangeContext.$current.withValue(statement.map { ExchangeContext(statement: $0, location: "case.ats:1:1") }) {
            try await transport.send(request, timeout: nil)
        }
        if let issued = response.headers["WWW-Authenticate"]?.revealed(), issued.hasPrefix("HSSO ") {
            issuedTokens.append(String(issued.dropFirst(5)))
            authorization = .secret(Secret(issued))
        }
        return response
    }

    /// A short exploratory session: who am I, which server, the tasks, one task, its actions, a force stop.
    mutating func explore() async throws -> [HTTPResponse] {
        var responses: [HTTPResponse] = []
        responses.append(try await send("GET", "/user", statement: "whoami"))
        responses.append(try await send("GET", "/configuration/version", statement: "server"))
        responses.append(try await send("GET", "/objects/Tasks?HQL::offset=0&HQL::limit=5", statement: "tasks --limit 5"))
        let id = try #require(simulator.taskIDs(in: .inProgress).first)
        responses.append(try await send("GET", "/objects/Tasks/\(id)", statement: "task \(id)"))
        responses.append(try await send("GET", "/objects/Tasks/\(id)/actions", statement: "actions \(id)"))
        let template = try JSONParser.parse(try await send("GET", "/objects/Tasks/\(id)/actions/forceStop").body)
        responses.append(try await send("POST", "/objects/Tasks/\(id)/actions/forceStop/invoke", body: template, statement: "stop \(id) --force"))
        responses.append(try await send("GET", "/objects/Tasks/999999", statement: "task 999999"))
        return responses
    }
}

@Suite struct SimulatorExchangeTests {
    @Test func verboseTraceOfTheSimulator() async throws {
        let trace = TraceText()
        var session = SimulatorSession { TracingTransport(wrapping: $0, mode: .verbose, sink: trace.sink) }
        let response = try await session.send("GET", "/configuration/version")
        #expect(response.status == 200)
        let lines = trace.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "> GET /Automation/v1/configuration/version HTTP/1.1")
        #expect(lines.contains("> Host: 127.0.0.1:22015"))
        #expect(lines.contains("> Authorization: ********"))
        #expect(lines.contains("< HTTP/1.1 200 OK"))
        #expect(lines.contains("< WWW-Authenticate: ********"))
        #expect(lines.contains { $0.hasPrefix("  \"productName\": ") })
        #expect(lines.last?.hasPrefix("* ") == true)
    }

    @Test func curlTraceOfTheSimulator() async throws {
        let trace = TraceText()
        var session = SimulatorSession { TracingTransport(wrapping: $0, mode: .curl, sink: trace.sink) }
        _ = try await session.explore()
        let text = trace.text
        #expect(text.contains("curl -X GET 'http://127.0.0.1:22015/Automation/v1/objects/Tasks?HQL::offset=0&HQL::limit=5' \\\n"))
        #expect(text.contains("curl -X POST 'http://127.0.0.1:22015/Automation/v1/objects/Tasks/"))
        #expect(text.contains("  --data-raw '{\"name\":\"forceStop\""))
        #expect(text.contains("# → 404 "))
        #expect(!text.contains("Authorization"))
    }

    @Test func noSecretOfASimulatorSessionLeaks() async throws {
        let scratch = CaseFileScratch()
        defer { scratch.remove() }
        let path = scratch.path("sim.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        let verbose = TraceText()
        let curl = TraceText()
        var session = SimulatorSession {
            TracingTransport(
                wrapping: TracingTransport(wrapping: RecordingTransport(wrapping: $0, writer: writer), mode: .curl, sink: curl.sink),
                mode: .verbose, sink: verbose.sink)
        }
        _ = try await session.explore()
        writer.close()
        #expect(session.issuedTokens.count >= 8)
        let fileText = CaseFileScratch.text(path)
        let needles = [SimulatorSession.password, SimulatorSession.basic] + session.issuedTokens
        for (name, haystack) in [("verbose trace", verbose.text), ("curl trace", curl.text), ("case file", fileText)] {
            for needle in needles { #expect(!haystack.contains(needle), "\(name) contains a secret") }
        }
    }

    @Test func recordedSimulatorSessionReplaysTheSameResponses() async throws {
        let scratch = CaseFileScratch()
        defer { scratch.remove() }
        let path = scratch.path("sim.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        var recorded = SimulatorSession { RecordingTransport(wrapping: $0, writer: writer) }
        let original = try await recorded.explore()
        let file = try CaseFileReader.read(path: path)
        #expect(file.header?.server?.apiVersion != nil, "the version answer became a server line")
        #expect(file.exchanges.first { $0.request.method == "POST" }?.statement?.hasPrefix("stop ") == true)

        // The same requests, replayed: same statuses, same bodies, and the client's token dance still works.
        let replay = try ReplayTransport(caseFile: path)
        var replayed = SimulatorSession { _ in replay }
        // The simulator behind `replayed` is never asked; the task id comes from the recording.
        let requests = file.exchanges.map { ($0.request.method, String($0.request.target.dropFirst("/Automation/v1".count)), $0.request.body?.json) }
        var again: [HTTPResponse] = []
        for (method, target, body) in requests { again.append(try await replayed.send(method, target, body: body)) }
        let originalAll = original.count
        #expect(again.count == originalAll + 1)  // `explore` also fetched the forceStop template
        let expected = file.exchanges.map(\.response)
        for (response, recording) in zip(again, expected) {
            #expect(response.status == recording?.status)
            #expect(try JSONParser.parse(response.body) == recording?.body?.json)
        }
        #expect(replay.unmatched.isEmpty)
        #expect(replayed.issuedTokens.count == again.count)
    }

    @Test func twoRunsOfTheSameSimulatorSessionAreEquivalent() async throws {
        let scratch = CaseFileScratch()
        defer { scratch.remove() }
        var paths: [String] = []
        for name in ["customer.jsonl", "lab.jsonl"] {
            let path = scratch.path(name)
            let writer = try CaseFileWriter(path: path, header: testHeader())
            var session = SimulatorSession { RecordingTransport(wrapping: $0, writer: writer) }
            _ = try await session.explore()
            writer.close()
            paths.append(path)
        }
        var output = ""
        let code = CaseDiffCLI.run(paths, colors: false, output: { output += $0 }, errors: { output += $0 })
        #expect(code == 0, "\(output)")
    }
}
