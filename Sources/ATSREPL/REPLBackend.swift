import ATSLanguage

/// Whether the text typed so far is a whole statement (see `Language.classify`).
public enum InputStatus: Sendable, Equatable {
    /// A complete statement (or several): run it.
    case complete
    /// An unfinished block, list, string or pipeline: read another line on the `…> ` prompt.
    case needsMoreInput
    /// A syntax error that more input cannot fix: run it anyway so the error is reported.
    case invalid
}

/// How one statement (or one whole non-terminal input) ended.
public enum StatementOutcome: Sendable, Equatable {
    /// It ran to the end.
    case succeeded
    /// It failed (a runtime or syntax error, already printed); the exit code a script would have.
    case failed(Int32)
    /// `exit N` ran.
    case exited(Int32)
    /// Ctrl-C stopped it.
    case interrupted

    /// The exit code of a script that ended this way: 0, 1/2, N, 130.
    public var exitCode: Int32 {
        switch self {
        case .succeeded: 0
        case .failed(let code): code
        case .exited(let code): code
        case .interrupted: 130
        }
    }
}

/// What the REPL needs from a shell session: the one seam between the line editor and the
/// language. `ShellSession` conforms in `ShellSession+REPLBackend.swift`; tests use a backend on
/// a bare `Interpreter`.
public protocol REPLBackend: AnyObject, Sendable {
    /// The primary prompt without colour: `ats system@aohost:22015> ` or `ats (not connected)> `.
    var prompt: String { get }
    /// Whether the session colours its output (a terminal, no `NO_COLOR`, no `--no-color`).
    var usesColor: Bool { get }
    /// Raised on Ctrl-C while a statement runs; the interpreter and host commands watch it.
    var interrupt: InterruptFlag { get }
    /// Classifies `text` (the lines typed so far, joined by newlines).
    func classify(_ text: String) -> InputStatus
    /// Runs `text` as one source named `sourceName`; prints results, errors and, when Ctrl-C
    /// stopped it, "interrupted" itself.
    func run(_ text: String, sourceName: String) -> StatementOutcome
    /// The commands known to the session (language built-ins and host commands).
    var commandSignatures: [CommandSignature] { get }
    /// The names of the variables in the session's global scope (without `$`).
    var variableNames: [String] { get }
    /// The task statuses the API knows (`inProgress`, `failed`, …).
    var statusNames: [String] { get }
    /// The task ids of the last task listing.
    var lastTaskIDs: [Int] { get }
    /// The service names of the connected server; may ask the server (the backend caches them).
    func serviceNames() -> [String]
    /// The `connect` statement of the connection the command line made (`--sim`, `--url`,
    /// `--profile`, `ATS_URL`), which `:save` writes first; nil when there was none.
    var connectionStatement: String? { get }
}

extension REPLBackend {
    /// No connection made outside the statements.
    public var connectionStatement: String? { nil }
}
