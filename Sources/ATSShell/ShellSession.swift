import AOClient
import ATSJSON
import ATSLanguage
import ATSSupport
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
    /// Where values, `echo` text and errors go.
    public let output: ShellOutput
    var sink: any OutputSink { output }
    private let lock = NSLock()
    private var recorder: CaseFileWriter?

    public init(options: GlobalOptions = GlobalOptions(), environment: [String: String] = ProcessInfo.processInfo.environment,
                isInteractive: Bool? = nil, outputIsTerminal: Bool? = nil) {
        self.options = options
        self.environment = environment
        let forced = environment["ATS_FORCE_TTY"] == "1"
        self.isInteractive = isInteractive ?? Terminal.isTerminal(STDIN_FILENO)
        self.outputIsTerminal = outputIsTerminal ?? (forced || Terminal.isTerminal(STDOUT_FILENO))
        state.dryRun = options.dryRun
        state.trace = options.trace ? .on : .off
        let stdoutTerminal = Terminal.isTerminal(STDOUT_FILENO)
        let terminal = TerminalInfo.resolve(
            isTerminal: self.outputIsTerminal,
            measuredWidth: stdoutTerminal ? TerminalInfo.windowColumns(STDOUT_FILENO) : nil,
            environment: environment, noColorOption: options.noColor)
        output = ShellOutput(
            stdout: FileDescriptorStream.standardOutput(), stderr: FileDescriptorStream.standardError(),
            terminal: terminal, format: options.output.flatMap { OutputFormat(name: $0) })
        output.quiet = options.quiet
        host = ShellHost(state: state, services: self)
    }

    // MARK: What the REPL reads

    /// `ats system@aohost:22015> ` or `ats (not connected)> `.
    public var prompt: String {
        guard let c = state.connection else { return "ats (not connected)> " }
        return "ats \(c.displayName)> "
    }

    /// Every command's signature: the language's and the shell's, for completion and help.
    public var commandSignatures: [CommandSignature] { builtinSignatures + host.signatures }

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


    var builtinSignatures: [CommandSignature] { [] }

    func switchesChanged() {}

    func setRecording(_ path: String?) throws {
        let old = swapRecorder(nil)
        old?.close()
        var writer: CaseFileWriter?
        if let path {
            writer = try CaseFileWriter(path: path, header: CaseFileHeader(atsVersion: ShellCLI.version))
        }
        _ = swapRecorder(writer)
        state.connection?.transport?.setRecorder(writer)
    }

    /// The case file being written, if any.
    var currentRecorder: CaseFileWriter? {
        lock.lock()
        defer { lock.unlock() }
        return recorder
    }

    private func swapRecorder(_ new: CaseFileWriter?) -> CaseFileWriter? {
        lock.lock()
        defer { lock.unlock() }
        let old = recorder
        recorder = new
        return old
    }

    /// Starts the case file of `--record FILE`; nil when fine, else the exit code (1).
    public func startRecording() -> Int32? {
        guard let path = options.record else { return nil }
        do {
            try setRecording(path)
            return nil
        } catch {
            let call = CommandCall(signature: CommandCatalog.signature("record")!, arguments: [.string(path)], text: "--record \(path)")
            report(ErrorMapping.errorValue(error, request: nil, baseURL: nil, call: call, hint: .none))
            return 1
        }
    }

    /// Prints an error value that happened outside a run (connecting or recording at start).
    func report(_ error: ErrorValue) {
        var text = "error: " + (error.command.map { $0 + ": " } ?? "") + error.summary + "\n"
        for line in error.details { text += "  " + line + "\n" }
        output.writeError(text)
    }

    /// Ends the session: closes the case file and the connection.
    public func close() {
        swapRecorder(nil)?.close()
        state.connection?.close()
        state.connection = nil
        output.flush()
    }
}
