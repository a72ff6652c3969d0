import AOClient
import ATSSupport
import Foundation

/// The transport of a session: the real one (HTTP or the in-process simulator), wrapped per
/// request in what the session's switches ask for — recording, tracing, dry-run.
final class SessionTransport: Transport, @unchecked Sendable {
    let base: any Transport
    let state: SessionState
    let traceSink: @Sendable (String) -> Void

    init(base: any Transport, state: SessionState, traceSink: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.state = state
        self.traceSink = traceSink
    }

    func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        if let printer = DryRunScope.printer, request.method != "GET", request.method != "HEAD" {
            printer.write("dry-run: \(request.method) \(request.url)\n" + TraceFormatter.curl(request))
            return HTTPResponse(status: 204, reason: "No Content (dry run)")
        }
        var transport = base
        if let writer = state.recorder { transport = RecordingTransport(wrapping: transport, writer: writer) }
        switch state.trace {
        case .off: break
        case .on: transport = TracingTransport(wrapping: transport, mode: .verbose, sink: traceSink)
        case .curl: transport = TracingTransport(wrapping: transport, mode: .curl, sink: traceSink)
        }
        return try await transport.send(request, timeout: timeout)
    }
}
