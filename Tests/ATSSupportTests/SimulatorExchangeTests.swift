import AOClient
import AOSimulator
import ATSJSON
import ATSSupport
import Foundation
import TestSupport
import Testing

@Suite struct SimulatorExchangeTests {
    @Test func verboseTraceOfTheSimulator() async throws {
        let trace = TraceText()
        var session = APISession(transport: TracingTransport(wrapping: SimulatorTransport(Simulator()), mode: .verbose, sink: trace.sink))
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
        var session = APISession(transport: TracingTransport(wrapping: SimulatorTransport(Simulator()), mode: .curl, sink: trace.sink))
        _ = try await session.explore()
        let text = trace.text
        #expect(text.contains("curl -X GET 'http://127.0.0.1:22015/Automation/v1/objects/Tasks?HQL::offset=0&HQL::limit=5' \\\n"))
        #expect(text.contains("curl -X POST 'http://127.0.0.1:22015/Automation/v1/objects/Tasks/"))
        #expect(text.contains("  --data-raw '{\"name\":\"forceStop\""))
        #expect(text.contains("# → 404 "))
        #expect(!text.contains("Authorization"))
    }

    @Test func noSecretOfASimulatorSessionLeaks() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let path = scratch.path("sim.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        let verbose = TraceText()
        let curl = TraceText()
        var session = APISession(
            transport: TracingTransport(
                wrapping: TracingTransport(
                    wrapping: RecordingTransport(wrapping: SimulatorTransport(Simulator()), writer: writer), mode: .curl, sink: curl.sink),
                mode: .verbose, sink: verbose.sink))
        _ = try await session.explore()
        writer.close()
        #expect(session.issuedTokens.count >= 8)
        let fileText = caseFileText(path)
        let needles = [APISession.password, APISession.basic] + session.issuedTokens
        for (name, haystack) in [("verbose trace", verbose.text), ("curl trace", curl.text), ("case file", fileText)] {
            for needle in needles { #expect(!haystack.contains(needle), "\(name) contains a secret") }
        }
    }

    @Test func recordedSimulatorSessionReplaysTheSameResponses() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let path = scratch.path("sim.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        var recorded = APISession(transport: RecordingTransport(wrapping: SimulatorTransport(Simulator()), writer: writer))
        let original = try await recorded.explore()
        let file = try CaseFileReader.read(path: path)
        #expect(file.header?.server?.apiVersion != nil, "the version answer became a server line")
        #expect(file.exchanges.first { $0.request.method == "POST" }?.statement?.hasPrefix("stop ") == true)

        // The same requests, replayed: same statuses, same bodies, and the client's token dance still works.
        let replay = try ReplayTransport(caseFile: path)
        var replayed = APISession(transport: replay)
        let requests = file.exchanges.map { ($0.request.method, String($0.request.target.dropFirst("/Automation/v1".count)), $0.request.body?.json) }
        var again: [HTTPResponse] = []
        for (method, target, body) in requests { again.append(try await replayed.send(method, target, body: body)) }
        #expect(again.count == original.count)
        let expected = file.exchanges.map(\.response)
        for (response, recording) in zip(again, expected) {
            #expect(response.status == recording?.status)
            #expect(try JSONParser.parse(response.body) == recording?.body?.json)
        }
        #expect(replay.unmatched.isEmpty)
        #expect(replayed.issuedTokens.count == again.count)
    }

    @Test func twoRunsOfTheSameSessionDaysApartAreEquivalent() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        var paths: [String] = []
        // The customer's run and the lab's, three days (and a few seconds) apart: every date
        // and every timestamp in a task name differs, and so do the tokens.
        for (name, start) in [("customer.jsonl", ManualClock.defaultStart), ("lab.jsonl", ManualClock.defaultStart + 3 * 86_400_000 + 17_250)] {
            var configuration = SimulatorConfiguration()
            configuration.clock = ManualClock(start: start)
            let path = scratch.path(name)
            let writer = try CaseFileWriter(path: path, header: testHeader())
            var session = APISession(transport: RecordingTransport(wrapping: SimulatorTransport(Simulator(configuration: configuration)), writer: writer))
            _ = try await session.explore()
            writer.close()
            paths.append(path)
        }
        var output = ""
        let code = CaseDiffCLI.run(CaseDiffCLI.Arguments(first: paths[0], second: paths[1]), colors: false, output: { output += $0 }, errors: { output += $0 })
        #expect(code == 0, "\(output)")
        var all = ""
        #expect(CaseDiffCLI.run(CaseDiffCLI.Arguments(first: paths[0], second: paths[1], options: CaseDiffOptions(all: true)), colors: false, output: { all += $0 }, errors: { all += $0 }) == 1)
        // Under --all, the Date header and the task dates show up as differences.
        #expect(all.contains(#"headers.Date: "Fri, 07 Aug 2015 01:00:00 GMT" → "Mon, 10 Aug 2015 01:00:17 GMT""#))
        #expect(all.contains(".data[0].submitTime: \"2015-"))
    }
}
