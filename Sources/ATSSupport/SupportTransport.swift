import AOClient

/// The session switches `trace on|off|curl` and `record FILE|stop` in one transport, so the
/// shell's client keeps a single transport for the whole session while the switches change.
///
/// Each request takes a snapshot of the switches and goes through
/// `TracingTransport(wrapping: RecordingTransport(wrapping: base))` as they are at that
/// moment (either layer left out when off). Thread-safe.
public final class SupportTransport: Transport, Sendable {
    /// The transport that does the work (the HTTP client, the simulator, a replay).
    public let base: any Transport
    private let sink: @Sendable (String) -> Void
    private let limits: TraceLimits

    private struct Switches {
        var trace: TracingTransport.Mode?
        var writer: CaseFileWriter?
    }
    private let switches = Locked(Switches())

    /// Wraps `base`; traces go to `sink` (standard error in the shell). Both switches start off.
    public init(wrapping base: any Transport, limits: TraceLimits = .standard, sink: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.limits = limits
        self.sink = sink
    }

    /// The trace mode, `nil` when tracing is off.
    public var traceMode: TracingTransport.Mode? { switches.withLock { $0.trace } }

    /// Turns tracing on in `mode`, or off with `nil`.
    public func setTrace(_ mode: TracingTransport.Mode?) { switches.withLock { $0.trace = mode } }

    /// The case file being recorded into, if any.
    public var recorder: CaseFileWriter? { switches.withLock { $0.writer } }

    /// Records every following exchange into `writer`; a recording already running is closed first.
    public func startRecording(_ writer: CaseFileWriter) {
        let previous = switches.withLock { s -> CaseFileWriter? in
            defer { s.writer = writer }
            return s.writer
        }
        if previous !== writer { previous?.close() }
    }

    /// Stops recording and closes the file; returns the writer that was recording (for its
    /// `exchangeCount` and `failure`), or `nil` when none was.
    @discardableResult
    public func stopRecording() -> CaseFileWriter? {
        let writer = switches.withLock { s -> CaseFileWriter? in
            defer { s.writer = nil }
            return s.writer
        }
        writer?.close()
        return writer
    }

    /// Sends through the layers that are switched on now.
    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        let now = switches.withLock { $0 }
        var transport = base
        if let writer = now.writer { transport = RecordingTransport(wrapping: transport, writer: writer) }
        if let mode = now.trace { transport = TracingTransport(wrapping: transport, mode: mode, limits: limits, sink: sink) }
        return try await transport.send(request, timeout: timeout)
    }
}
