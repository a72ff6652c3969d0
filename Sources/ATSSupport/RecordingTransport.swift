import AOClient
import ATSJSON

/// A transport that appends every exchange it passes on to a case file, with the statement
/// and location from `ExchangeContext.current`. A failed write never fails the request: the
/// writer stops and keeps the error in `writer.failure` for the shell to report.
public struct RecordingTransport: Transport {
    /// The transport that does the work.
    public let base: any Transport
    /// Where exchanges go.
    public let writer: CaseFileWriter

    /// Records every exchange of `base` into `writer`.
    public init(wrapping base: any Transport, writer: CaseFileWriter) {
        self.base = base
        self.writer = writer
    }

    /// Sends through `base` and records the exchange (or the failure) before returning it.
    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        let context = ExchangeContext.current
        let startedAt = SystemEnvironment.timestamp()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await base.send(request, timeout: timeout)
            writer.record(
                request: request, response: response, failure: nil, startedAt: startedAt,
                duration: clock.now - start, context: context)
            if response.status == 200, request.method == "GET",
                URLParts(request.url).path.hasSuffix("/configuration/version"),
                let json = try? JSONParser.parse(response.body), let server = CaseFileServer(versionInfo: json)
            {
                writer.noteServer(server)
            }
            return response
        } catch {
            writer.record(
                request: request, response: nil, failure: error, startedAt: startedAt,
                duration: clock.now - start, context: context)
            throw error
        }
    }
}
