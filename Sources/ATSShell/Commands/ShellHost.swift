import AOClient
import ATSJSON
import ATSLanguage
import ATSSupport
import Foundation

/// The shell's commands as a language `Host`: the signatures of `CommandCatalog` and a
/// handler for each.
final class ShellHost: ATSLanguage.Host, @unchecked Sendable {
    let state: SessionState
    let services: SessionServices

    init(state: SessionState, services: SessionServices) {
        self.state = state
        self.services = services
    }

    var signatures: [CommandSignature] { Self.allSignatures }

    /// The shell's commands and the output stages: what the language is given.
    static var allSignatures: [CommandSignature] { CommandCatalog.allWithStages }

    typealias Handler = @Sendable (CommandRun) throws(ErrorValue) -> Value

    /// Every handler, by command name.
    static let handlers: [String: Handler] = {
        var table: [String: Handler] = [:]
        for (name, handler) in SessionHandlers.table { table[name] = handler }
        for (name, handler) in TaskHandlers.table { table[name] = handler }
        for (name, handler) in ServiceHandlers.table { table[name] = handler }
        for (name, handler) in ResourceHandlers.table { table[name] = handler }
        return table
    }()

    func run(_ call: CommandCall, context: CommandContext) throws(ErrorValue) -> Value {
        let run = CommandRun(host: self, call: call, context: context)
        if OutputStages.names.contains(call.signature.name) {
            return try OutputStages.run(call, output: services.output)
        }
        guard let handler = Self.handlers[call.signature.name] else {
            throw ShellError.badArgument(command: call.text, argument: call.signature.name, expected: "a shell command")
                .errorValue(command: call.text, location: call.location)
        }
        do {
            let value = try handler(run)
            return try run.applyOutputOption(value)
        } catch {
            var e = error
            if e.command == nil { e.command = call.text }
            if e.location == nil { e.location = call.location }
            if e.fields["location"] == nil, let l = e.location { e.fields["location"] = .string(l.description) }
            throw e
        }
    }
}

/// Things a session provides to its commands that live outside the host: connecting,
/// confirmations, output formatting, the language's help.
protocol SessionServices: AnyObject, Sendable {
    /// Opens a connection (does not store it); throws the client's errors.
    func connect(_ request: ConnectRequest, interrupt: InterruptFlag) throws(APIError) -> Connection
    /// Connects from ATS_URL / ATS_PROFILE when a command needs a server and none is open;
    /// false when there is nothing to connect to or it failed (the failure was printed).
    func connectFromEnvironment() -> Bool
    /// Asks a yes/no question on the terminal.
    func confirm(_ question: String) -> Bool
    /// Asks for a password with a masked prompt; nil when there is no terminal.
    func askPassword(_ prompt: String) -> String?
    /// Standard error is a terminal: `wait` shows progress lines there (also in scripts).
    var showsProgress: Bool { get }
    /// The world outside the session: the clock and files the commands use.
    var world: World { get }
    /// The process environment (ATS_URL, ATS_PASSWORD, password variables, HOME).
    var environment: [String: String] { get }
    /// The global command-line options, the defaults of every `connect` (see `ConnectionOptions`).
    var connectionDefaults: ConnectionOptions { get }
    /// Where values and text are printed (formats, tables, colours; the output stages).
    var output: ShellOutput { get }
    /// The language's own signatures, for `help`.
    var builtinSignatures: [CommandSignature] { get }
    /// Called when trace or record change, so the transport can follow.
    func switchesChanged()
    /// Starts or stops recording; nil stops. Throws the case file's error.
    func setRecording(_ path: String?) throws(CaseFileError)
}

/// What `connect` asks for, after the command's options, profile and environment are merged.
struct ConnectRequest: Sendable {
    /// A URL, or nil for the simulator.
    var url: String?
    var user: String
    var password: Secret
    var insecure = false
    var cacert: String?
    var timeout: Duration?
    var lang: String?
    /// The statement that opens the same connection (for `:save`).
    var statement: String?
}
