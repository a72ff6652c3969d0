import AOClient

/// A transport that shows every exchange it passes on, like `curl -v` (`.verbose`) or as
/// `curl` command lines (`.curl`). The shell points `sink` at standard error, so standard
/// output stays clean for pipes.
///
/// `sink` receives whole blocks of lines, each line ending in `\n`: in `.verbose` mode the
/// request block before the request is sent, then the response block (or a `* …` failure
/// line) when it ends; in `.curl` mode the command before sending, then a `# → 200 OK
/// (12.3 ms)` comment. Secrets cannot appear (see `TraceFormatter`, `Redactor`).
public struct TracingTransport: Transport {
    /// What the trace shows.
    public enum Mode: Sendable, Hashable {
        /// Request and response, headers and bodies, and the time taken, as `curl -v`.
        case verbose
        /// The equivalent `curl` command line for each request.
        case curl
    }

    /// The transport that does the work.
    public let base: any Transport
    /// What the trace shows.
    public let mode: Mode
    /// How much of each body `.verbose` shows.
    public let limits: TraceLimits
    private let sink: @Sendable (String) -> Void

    /// Traces every exchange of `base` into `sink`.
    public init(wrapping base: any Transport, mode: Mode, limits: TraceLimits = .standard, sink: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.mode = mode
        self.limits = limits
        self.sink = sink
    }

    /// Traces the request, sends it through `base`, traces the outcome, and returns or rethrows it.
    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        switch mode {
        case .verbose: sink(TraceFormatter.request(request, limits: limits))
        case .curl: sink(TraceFormatter.curl(request))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let sink = self.sink
        let mode = self.mode
        do {
            let response = try await TransportEvents.$observer.withValue({ @Sendable event in
                switch mode {
                case .verbose: sink(TraceFormatter.event(event))
                case .curl: sink("# " + TraceFormatter.event(event).dropFirst(2))
                }
            }) {
                try await base.send(request, timeout: timeout)
            }
            let elapsed = clock.now - start
            switch mode {
            case .verbose: sink(TraceFormatter.response(response, duration: elapsed, limits: limits))
            case .curl: sink(TraceFormatter.curlOutcome(status: response.status, reason: response.reason, duration: elapsed))
            }
            return response
        } catch {
            let elapsed = clock.now - start
            switch mode {
            case .verbose: sink(TraceFormatter.failure(error, duration: elapsed))
            case .curl: sink(TraceFormatter.curlFailure(error, duration: elapsed))
            }
            throw error
        }
    }
}
