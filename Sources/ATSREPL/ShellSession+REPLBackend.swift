import ATSLanguage
import ATSShell

/// The shell session as the REPL's backend. The session prints results, errors and
/// "interrupted" itself; the REPL reads its prompt, colour rule, interrupt flag and names.
extension ShellSession: REPLBackend {
    public func classify(_ text: String) -> InputStatus {
        let status: ParseResult = interpreterThread.call { Language.classify(Source(name: "<repl>", text: text), commands: self.commandSignatures) }
        switch status {
        case .complete: return .complete
        case .needsMoreInput: return .needsMoreInput
        case .failed: return .invalid
        }
    }

    public var connectionStatement: String? { startConnectionStatement }

    public func run(_ text: String, sourceName: String) -> StatementOutcome {
        let outcome = run(Source(name: sourceName, text: text))
        switch outcome {
        case .finished: return .succeeded
        case .exited(let code): return .exited(code)
        case .interrupted: return .interrupted
        case .failed, .syntaxError: return .failed(outcome.exitCode)
        }
    }
}
