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
    private var interpreter: Interpreter!
    /// Error messages may be coloured (standard error is a terminal, colour allowed).
    public let usesColor: Bool
    /// Standard error is a terminal (or `ATS_FORCE_TTY=1`): `wait` shows progress there.
    let showsProgress: Bool

    /// The world the session lives in: streams, terminals, clock, files, transports.
    public let world: World

    /// A session in `world`; `arguments` become a script's `$args`. `isInteractive`
    /// defaults to "standard input is a terminal".
    public init(options: GlobalOptions = GlobalOptions(), world: World, arguments: [String] = [], isInteractive: Bool? = nil) {
        self.options = options
        self.world = world
        let environment = world.environment
        self.environment = environment
        let forced = environment["ATS_FORCE_TTY"] == "1"
        self.isInteractive = isInteractive ?? world.terminals.stdin
        self.outputIsTerminal = forced || world.terminals.stdout
        state.dryRun = options.dryRun
        state.trace = options.trace ? .on : .off
        // A resized terminal: each table is fitted to the width it has now.
        let measure = world.terminals.stdout ? world.measureWidth : nil
        let terminal = TerminalInfo.resolve(
            isTerminal: self.outputIsTerminal, measuredWidth: measure?(),
            environment: environment, noColorOption: options.noColor)
        output = ShellOutput(
            stdout: world.stdout, stderr: world.stderr,
            terminal: terminal, format: options.output.flatMap { OutputFormat(name: $0) },
            measureWidth: measure)
        output.quiet = options.quiet
        showsProgress = forced || world.terminals.stderr
        usesColor = TerminalInfo.allowsColor(isTerminal: showsProgress, environment: environment, noColorOption: options.noColor)
        host = ShellHost(state: state, services: self)
        interpreter = Interpreter(
            host: host, output: output, interrupt: interrupt, isInteractive: self.isInteractive,
            arguments: arguments, environment: environment, clock: world.clock, files: world.files)
    }

    // MARK: Running statements

    /// Runs statements in the session (globals persist across calls), prints what they print
    /// and, on failure, the error; returns how the run ended.
    public func run(_ source: Source) -> RunOutcome {
        interrupt.reset()
        let interpreter = self.interpreter!
        let outcome = Interpreter.onInterpreterThread { interpreter.run(source) }
        if case .failed(let e) = outcome, e.kind == "interrupted" {
            report(.interrupted, in: source)
            return .interrupted
        }
        report(outcome, in: source)
        return outcome
    }

    /// Prints a failed outcome to standard error, as spec §5 shows.
    func report(_ outcome: RunOutcome, in source: Source) {
        let renderer = DiagnosticRenderer(color: usesColor)
        switch outcome {
        case .failed(let error): output.writeError(renderer.render(error, sources: interpreter.sourcesRun + [source]))
        case .syntaxError(let diagnostics): output.writeError(renderer.render(diagnostics, in: source))
        case .interrupted: output.writeError("interrupted\n")
        case .finished, .exited: break
        }
        reportRecordingFailure()
        output.flush()
    }

    /// When the case file could not be written, says so (once) and stops recording.
    private func reportRecordingFailure() {
        guard let failure = state.recorder?.failure else { return }
        try? setRecording(nil)
        output.writeError("warning: \(failure)\n")
    }

    // MARK: What the REPL reads

    /// `ats system@aohost:22015> ` or `ats (not connected)> `.
    public var prompt: String {
        guard let c = state.connection else { return "ats (not connected)> " }
        return "ats \(c.displayName)> "
    }

    /// Every command's signature: the language's and the shell's, for completion and help.
    public var commandSignatures: [CommandSignature] { interpreter.commandSignatures }

    /// The names of the session's global variables and functions, for completion.
    public var variableNames: [String] { interpreter.globalNames }

    /// The value of a global variable.
    public func globalValue(_ name: String) -> Value? { interpreter.globalValue(name) }

    /// The ids of the last task listing, for completion.
    public var lastTaskIDs: [Int] { state.lastTaskIDs }

    /// Service names (cached from the last listing; fetched once when empty).
    public func serviceNames() -> [String] {
        let cached = state.serviceNames
        if !cached.isEmpty || state.connection == nil { return cached }
        let call = CommandCall(signature: CommandCatalog.signature("services")!, text: "services")
        let run = CommandRun(host: host, call: call, context: CommandContext(output: output, interrupt: interrupt, isInteractive: false))
        _ = try? ServiceHandlers.services(run)
        return state.serviceNames
    }

    /// Task status names for completion (the API strings).
    public var statusNames: [String] { StatusNames.apiNames }

    // MARK: SessionServices

    func connect(_ request: ConnectRequest, interrupt: InterruptFlag) throws -> Connection {
        let kind: TransportKind = request.url == nil ? .simulator : .server
        let settings = ConnectionSettings(
            baseURL: request.url ?? "http://sim:22015", user: request.user, password: request.password,
            language: request.lang, timeout: request.timeout, insecure: kind == .server && request.insecure,
            caCertificatePath: kind == .server ? request.cacert : nil)
        let opened = try world.transports.open(kind, settings: settings)
        let output = self.output
        let transport = SessionTransport(base: opened.transport, state: state) { text in output.writeError(text) }
        let client: AOClient
        do {
            client = try AOClient(settings: settings, transport: transport)
        } catch {
            opened.close()
            throw error
        }
        let connection = Connection(
            gateway: ClientGateway(client: client),
            displayName: kind == .simulator ? "\(request.user)@sim" : "\(request.user)@\(client.address.display)",
            onClose: opened.close)
        do throws(APIError) {
            let version = try BlockingCall.run(interrupted: { interrupt.isRaised }) { () async throws(APIError) -> JSON in
                _ = try await client.user()
                return try await client.version()
            }
            if let server = CaseFileServer(versionInfo: version) { state.recorder?.noteServer(server) }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    func connectFromEnvironment() -> Bool {
        guard environment["ATS_URL"] != nil || environment["ATS_PROFILE"] != nil else { return false }
        var opts: [String: Value] = [:]
        if let t = options.timeout { opts["timeout"] = .duration(t) }
        if options.insecure { opts["insecure"] = .bool(true) }
        return connect(arguments: [], options: opts) == nil
    }

    /// Connects as the command line asks (`--sim`, `--url`, `--profile`); nil when there was
    /// nothing to do or it worked, else the exit code (1).
    public func connectAtStart() -> Int32? {
        var arguments: [Value] = []
        var opts: [String: Value] = [:]
        if options.sim {
            arguments = [.string("sim")]
        } else if let url = options.url {
            arguments = [.string(url)]
        } else if options.profile == nil {
            return nil
        }
        if let p = options.profile { opts["profile"] = .string(p) }
        if let u = options.user { opts["user"] = .string(u) }
        if let v = options.passwordEnv { opts["password-env"] = .string(v) }
        if options.insecure { opts["insecure"] = .bool(true) }
        if let c = options.cacert { opts["cacert"] = .string(c) }
        if let t = options.timeout { opts["timeout"] = .duration(t) }
        return connect(arguments: arguments, options: opts)
    }

    private func connect(arguments: [Value], options opts: [String: Value]) -> Int32? {
        let text = (["connect"] + arguments.map(CommandRun.text)).joined(separator: " ")
        let call = CommandCall(signature: CommandCatalog.signature("connect")!, arguments: arguments, options: opts, text: text)
        let context = CommandContext(output: output, interrupt: interrupt, isInteractive: false)
        defer { reportRecordingFailure() }
        do {
            _ = try host.run(call, context: context)
            return nil
        } catch {
            report(error)
            return 1
        }
    }

    func confirm(_ question: String) -> Bool { world.prompter.confirm(question) }

    func askPassword(_ prompt: String) -> String? { world.prompter.password(prompt) }


    var builtinSignatures: [CommandSignature] { Language.builtinSignatures }

    func switchesChanged() {}

    func setRecording(_ path: String?) throws {
        state.swapRecorder(nil)?.close()
        guard let path else { return }
        let writer = try CaseFileWriter(path: path, header: CaseFileHeader(atsVersion: ShellCLI.version))
        _ = state.swapRecorder(writer)
    }

    /// Starts the case file of `--record FILE`; nil when fine, else the exit code (1).
    public func startRecording() -> Int32? {
        guard let path = options.record else { return nil }
        do {
            try setRecording(path)
            return nil
        } catch {
            let call = CommandCall(signature: CommandCatalog.signature("record")!, arguments: [.string(path)], text: "--record \(path)")
            report(ErrorMapping.errorValue(error, request: nil, baseURL: nil, call: call))
            return 1
        }
    }

    /// Prints an error value that happened outside a run (connecting or recording at start).
    func report(_ error: ErrorValue) {
        output.writeError(DiagnosticRenderer(color: usesColor).render(error, sources: []))
    }

    /// Ends the session: closes the case file and the connection.
    public func close() {
        state.swapRecorder(nil)?.close()
        state.connection?.close()
        state.connection = nil
        output.flush()
    }
}
