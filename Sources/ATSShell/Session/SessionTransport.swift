import AOClient
import ATSSupport
import Foundation

/// The transport of a session: the real one (HTTP or the in-process simulator), wrapped per
/// request in what the session's switches ask for — recording, tracing, dry-run.
final class SessionTransport: Transport, @unchecked Sendable {
    let base: any Transport
    let state: SessionState
    let traceSink: @Sendable (String) -> Void
    private let lock = NSLock()
    private var recorder: CaseFileWriter?

    init(base: any Transport, state: SessionState, recorder: CaseFileWriter?, traceSink: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.state = state
        self.recorder = recorder
        self.traceSink = traceSink
    }

    func setRecorder(_ writer: CaseFileWriter?) {
        lock.lock()
        recorder = writer
        lock.unlock()
    }

    private func currentRecorder() -> CaseFileWriter? {
        lock.lock()
        defer { lock.unlock() }
        return recorder
    }

    func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        if let printer = DryRunScope.printer, request.method != "GET", request.method != "HEAD" {
            printer.write("dry-run: \(request.method) \(request.url)\n" + TraceFormatter.curl(request))
            return HTTPResponse(status: 204, reason: "No Content (dry run)")
        }
        var transport = base
        if let writer = currentRecorder() { transport = RecordingTransport(wrapping: transport, writer: writer) }
        switch state.trace {
        case .off: break
        case .on: transport = TracingTransport(wrapping: transport, mode: .verbose, sink: traceSink)
        case .curl: transport = TracingTransport(wrapping: transport, mode: .curl, sink: traceSink)
        }
        return try await transport.send(request, timeout: timeout)
    }
}
