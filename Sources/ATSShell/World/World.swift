import AOClient
import ATSLanguage

/// Everything a shell session touches outside itself: the transports it connects through,
/// the standard streams and whether each is a terminal, the clock, the files, the process
/// environment, the commands it runs for the user, Ctrl-C and the terminal's prompts.
///
/// `main` wires the real one (`World.system()` in ATSSystem); the CLI golden tests wire the
/// in-memory simulator, memory streams and a manual clock. Nothing in the shell or the
/// language reaches past it (gojq's `cli` struct; STYLE.md habit 7).
public struct World: Sendable {
    /// Opens the transport of `connect URL` and `connect sim`.
    public var transports: any TransportFactory
    /// Standard input, read whole when statements come from a pipe.
    public var stdin: any InputSource
    /// Standard output.
    public var stdout: any TextStream
    /// Standard error.
    public var stderr: any TextStream
    /// Which of the three streams is a terminal.
    public var terminals: Terminals
    /// The columns of the terminal standard output is, measured now; nil when unknown.
    public var measureWidth: (@Sendable () -> Int?)?
    /// The time: `now()`, `sleep`, `wait --every`, `log --follow`.
    public var clock: any WallClock
    /// The files of `ats check`, scripts, `source`, `read_file`, profiles, `template export`.
    public var files: any FileSystem
    /// The process environment (`ATS_URL`, `HOME`, `NO_COLOR`, …).
    public var environment: [String: String]
    /// Runs the commands the user configured: a profile's `password_command`.
    public var commands: any CommandRunner
    /// Ctrl-C while a script runs.
    public var signals: any SignalSource
    /// Questions and passwords on the controlling terminal.
    public var prompter: any Prompter
    /// The machine's name, which the REPL's `:save` writes in its header.
    public var hostName: String

    public init(
        transports: any TransportFactory, stdin: any InputSource, stdout: any TextStream, stderr: any TextStream,
        terminals: Terminals = Terminals(), measureWidth: (@Sendable () -> Int?)? = nil, clock: any WallClock,
        files: any FileSystem, environment: [String: String], commands: any CommandRunner = NoCommands(),
        signals: any SignalSource = NoSignals(), prompter: any Prompter = NoTerminal(), hostName: String = "localhost"
    ) {
        self.transports = transports
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.terminals = terminals
        self.measureWidth = measureWidth
        self.clock = clock
        self.files = files
        self.environment = environment
        self.commands = commands
        self.signals = signals
        self.prompter = prompter
        self.hostName = hostName
    }
}

/// Which standard streams are terminals.
public struct Terminals: Sendable, Hashable {
    public var stdin: Bool
    public var stdout: Bool
    public var stderr: Bool

    public init(stdin: Bool = false, stdout: Bool = false, stderr: Bool = false) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Where `connect` gets its transport: a real HTTP client for a URL, an in-process simulator
/// for `connect sim`. The settings are the connection's, merged from the options, the
/// profile and the environment.
public protocol TransportFactory: Sendable {
    /// Opens a transport of `kind` for `settings`; throws the client's errors (a bad CA file).
    func open(_ kind: TransportKind, settings: ConnectionSettings) throws(APIError) -> OpenedTransport
}

/// What `connect` connects to.
public enum TransportKind: Sendable, Hashable {
    /// A server at `settings.baseURL`, over HTTP or HTTPS.
    case server
    /// The simulator, in this process (`connect sim`).
    case simulator
}

/// A transport and how to release what it holds (an HTTP client's threads).
public struct OpenedTransport: Sendable {
    public var transport: any Transport
    /// Called once, when the connection ends.
    public var close: @Sendable () -> Void

    public init(_ transport: any Transport, close: @escaping @Sendable () -> Void = {}) {
        self.transport = transport
        self.close = close
    }
}

/// Standard input.
public protocol InputSource: Sendable {
    /// Everything up to the end of input.
    func readAll() -> [UInt8]
}

/// Runs a command line the user wrote (a profile's `password_command`) with `/bin/sh -c`.
public protocol CommandRunner: Sendable {
    /// Runs `command` to its end; what it wrote on standard output, and how it ended.
    func run(shell command: String) -> CommandOutcome
}

/// How a command the shell ran ended.
public enum CommandOutcome: Sendable, Equatable {
    /// It ran and exited with `status`, having written `output` on standard output.
    case exited(status: Int32, output: [UInt8])
    /// It could not be started (the shell is missing); why.
    case notStarted(String)
}

/// No commands: for worlds that run none (every command is refused).
public struct NoCommands: CommandRunner {
    public init() {}
    public func run(shell command: String) -> CommandOutcome { .notStarted("this world runs no commands") }
}

/// Ctrl-C: while `body` runs, an interrupt raises `flag`.
public protocol SignalSource: Sendable {
    func whileRunning<T>(raising flag: InterruptFlag, _ body: () -> T) -> T
}

/// Questions asked of the person at the terminal.
public protocol Prompter: Sendable {
    /// Asks a yes/no question; true for y/yes, false otherwise or without a terminal.
    func confirm(_ question: String) -> Bool
    /// Reads a password with echo off; nil without a terminal.
    func password(_ prompt: String) -> String?
}

/// No interrupts: for worlds with nobody to press Ctrl-C (tests raise the flag themselves).
public struct NoSignals: SignalSource {
    public init() {}
    public func whileRunning<T>(raising flag: InterruptFlag, _ body: () -> T) -> T { body() }
}

/// No terminal to ask: confirmations are refused, passwords are not given.
public struct NoTerminal: Prompter {
    public init() {}
    public func confirm(_ question: String) -> Bool { false }
    public func password(_ prompt: String) -> String? { nil }
}

/// Standard input that is a fixed text (tests), or empty.
public struct FixedInput: InputSource {
    public var bytes: [UInt8]
    public init(_ text: String = "") { bytes = Array(text.utf8) }
    public func readAll() -> [UInt8] { bytes }
}
