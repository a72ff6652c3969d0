// Expectations on what a run of `ats` printed, shared by the end-to-end and reliability tests.
import Testing

/// Expects a runtime error: exit 1, an `error:` line with `summary`, no crash trace.
public func expectRuntimeError(
    _ result: ProcessResult, _ summary: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(!result.timedOut, "\(result)", sourceLocation: sourceLocation)
    #expect(result.exitCode == 1, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains("error:"), "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(summary), "\(result)", sourceLocation: sourceLocation)
    #expect(!result.stderr.contains("Fatal error"), "\(result)", sourceLocation: sourceLocation)
}
