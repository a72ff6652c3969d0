import AOClient
import ATSJSON
import ATSLanguage
import Foundation

/// One shell session: the connection, the switches, the output rules, and (through the
/// language's interpreter) the variables. The REPL drives it; scripts and `-c` run through it.
public final class ShellSession: SessionServices, @unchecked Sendable {
    /// Raised by Ctrl-C; the running command stops and the session stays.
    public let interrupt = InterruptFlag()
    /// The process environment.
    public let environment: [String: String]
    /// The command-line options the session started with.
    public let options: GlobalOptions
    /// True when a person types at a terminal (confirmations, progress lines, notes).
    public let isInteractive: Bool
    /// True when standard output is a terminal (tables and colours).
    public let outputIsTerminal: Bool

    let state = SessionState()
    private(set) var host: ShellHost!
    let sink: any OutputSink

    public init(options: GlobalOptions = GlobalOptions(), environment: [String: String] = ProcessInfo.processInfo.environment,
                isInteractive: Bool? = nil, outputIsTerminal: Bool? = nil) {
        self.options = options
        self.environment = environment
        let forced = environment["ATS_FORCE_TTY"] == "1"
        self.isInteractive = isInteractive ?? Terminal.isTerminal(STDIN_FILENO)
        self.outputIsTerminal = outputIsTerminal ?? (forced || Terminal.isTerminal(STDOUT_FILENO))
        state.dryRun = options.dryRun
        state.trace = options.trace ? .on : .off
        state.format = options.output.flatMap(OutputFormat.init(rawValue:))
        sink = InterimSink(state: state, quiet: options.quiet)
        host = ShellHost(state: state, services: self)
    }

    // MARK: What the REPL reads

    /// `ats system@aohost:22015> ` or `ats (not connected)> `.
    public var prompt: String {
        guard let c = state.connection else { return "ats (not connected)> " }
        return "ats \(c.displayName)> "
    }

    /// Every command's signature: the language's and the shell's, for completion and help.
    public var commandSignatures: [CommandSignature] { builtinSignatures + CommandCatalog.all }

    /// The names of the session's global variables, for completion.
    public var variableNames: [String] { [] }

    /// The ids of the last task listing, for completion.
    public var lastTaskIDs: [Int] { state.lastTaskIDs }

    /// Service names (cached from the last listing; fetched once when empty).
    public func serviceNames() -> [String] {
        let cached = state.serviceNames
        if !cached.isEmpty || state.connection == nil { return cached }
        let call = CommandCall(signature: CommandCatalog.signature("services")!, text: "services")
        let run = CommandRun(host: host, call: call, context: CommandContext(output: sink, interrupt: interrupt, isInteractive: false))
        _ = try? ServiceHandlers.services(run)
        return state.serviceNames
    }

    /// Task status names for completion (the API strings).
    public var statusNames: [String] { StatusNames.apiNames }

    // MARK: SessionServices

    func connect(_ request: ConnectRequest, interrupt: InterruptFlag) throws -> Connection {
        throw ErrorValue(kind: "script", summary: "connect: the client is not wired yet")
    }

    func connectFromEnvironment() -> Bool { false }

    func confirm(_ question: String) -> Bool { Terminal.ask(question) }

    func askPassword(_ prompt: String) -> String? { Terminal.readPassword(prompt) }

    func render(_ value: Value, format: OutputFormat) -> String { InterimSink.render(value, format: format) }

    var builtinSignatures: [CommandSignature] { [] }

    func switchesChanged() {}

    func setRecording(_ path: String?) throws {}
}
