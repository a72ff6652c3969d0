import AOClient
import ATSJSON
import ATSSupport
import TestSupport
import Testing

@Suite struct SupportTransportTests {
    @Test func switchesTakeEffectOnTheNextRequest() async throws {
        let scratch = CaseFileScratch()
        defer { scratch.remove() }
        let trace = TraceText()
        let transport = SupportTransport(wrapping: StubServer(route: fakeRoutes), sink: trace.sink)
        let request = HTTPRequest(method: "GET", url: "http://h:1/Automation/v1/objects/Tasks")

        _ = try await transport.send(request, timeout: nil)
        #expect(trace.text.isEmpty)
        #expect(transport.traceMode == nil)

        transport.setTrace(.verbose)
        _ = try await transport.send(request, timeout: nil)
        #expect(trace.text.contains("> GET /Automation/v1/objects/Tasks HTTP/1.1"))

        transport.setTrace(.curl)
        _ = try await transport.send(request, timeout: nil)
        #expect(trace.text.contains("curl -X GET 'http://h:1/Automation/v1/objects/Tasks'"))

        transport.setTrace(nil)
        let before = trace.text
        let path = scratch.path("switch.jsonl")
        transport.startRecording(try CaseFileWriter(path: path, header: testHeader()))
        _ = try await transport.send(request, timeout: nil)
        _ = try await transport.send(request, timeout: nil)
        let stopped = transport.stopRecording()
        #expect(stopped?.exchangeCount == 2)
        #expect(stopped?.isOpen == false)
        #expect(transport.recorder == nil)
        _ = try await transport.send(request, timeout: nil)
        #expect(trace.text == before)
        #expect(try CaseFileReader.read(path: path).exchanges.count == 2)
    }

    @Test func startingAnotherRecordingClosesTheFirst() throws {
        let scratch = CaseFileScratch()
        defer { scratch.remove() }
        let transport = SupportTransport(wrapping: StubServer(route: fakeRoutes)) { _ in }
        let first = try CaseFileWriter(path: scratch.path("1.jsonl"), header: testHeader())
        transport.startRecording(first)
        transport.startRecording(try CaseFileWriter(path: scratch.path("2.jsonl"), header: testHeader()))
        #expect(!first.isOpen)
        #expect(transport.recorder?.path == scratch.path("2.jsonl"))
        #expect(transport.stopRecording() != nil)
        #expect(transport.stopRecording() == nil)
    }
}
