import AOClient
import AOHTTPClient
import ATSJSON
import ATSSupport
import Foundation
import TestSupport
import Testing

/// Real HTTP over loopback: the client's `HTTPTransport` against `ats sim`, traced and
/// recorded; then the case file served by `ats sim --replay` and compared with `ats diff`.
@Suite struct LoopbackTests {
    @Test func recordOverHTTPReplayOverHTTPAndDiff() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let http = try HTTPTransport(options: HTTPTransport.Options(timeout: .seconds(30)))
        do {
            try await run(http, in: scratch)
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
    }

    private func run(_ http: HTTPTransport, in scratch: TemporaryDirectory) async throws {

        // 1. The customer's run against a server, with trace and record on.
        let server = try SimulatorProcess.start()
        defer { server.stop() }
        let original = scratch.path("customer.jsonl")
        let writer = try CaseFileWriter(path: original, header: testHeader())
        let trace = TraceText()
        var customer = APISession(
            baseURL: server.url,
            transport: TracingTransport(wrapping: RecordingTransport(wrapping: http, writer: writer), mode: .verbose, sink: trace.sink))
        let responses = try await customer.explore()
        writer.close()
        #expect(responses.count == 9)
        #expect(!customer.issuedTokens.isEmpty)
        let recordedText = caseFileText(original)
        for secret in [APISession.password, APISession.basic] + customer.issuedTokens {
            #expect(!recordedText.contains(secret))
            #expect(!trace.text.contains(secret))
        }

        // 2. The same requests against the replay of that file, recorded again.
        let replay = try SimulatorProcess.start(["--replay", original])
        defer { replay.stop() }
        let again = scratch.path("replayed.jsonl")
        let writer2 = try CaseFileWriter(path: again, header: testHeader())
        var lab = APISession(baseURL: replay.url, transport: RecordingTransport(wrapping: http, writer: writer2))
        for exchange in try CaseFileReader.read(path: original).exchanges {
            let target = String(exchange.request.target.dropFirst("/Automation/v1".count))
            let response = try await lab.send(exchange.request.method, target, body: exchange.request.body?.json, statement: exchange.statement)
            #expect(response.status == exchange.response?.status)
            #expect(try JSONParser.parse(response.body) == exchange.response?.body?.json)
        }
        writer2.close()
        #expect(lab.issuedTokens.count == responses.count, "the replay issues a token with every response")

        // 3. Unrecorded requests get the replay's 404.
        let missing = try await lab.send("GET", "/objects/Services/424242")
        #expect(missing.status == 404)
        #expect(try JSONParser.parse(missing.body)["messageID"] == "KNAE99404-E")

        // 4. The two case files are equivalent for `ats diff` (the binary): tokens, dates and
        //    ports differ, nothing else.
        let result = try runATS(["diff", original, again])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
    }
}
