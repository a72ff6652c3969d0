import AOHTTPServer
import ATSSupport
import ArgumentParser

/// The global options of the `ats` command line (SHELL.md §3).
public struct GlobalOptions: Sendable, Equatable {
    public var url: String?
    public var user: String?
    public var passwordEnv: String?
    public var profile: String?
    public var sim = false
    public var insecure = false
    public var cacert: String?
    public var timeout: Duration?
    public var output: String?
    public var trace = false
    public var record: String?
    public var dryRun = false
    public var noColor = false
    public var quiet = false
    public init() {}
}

/// What the command line asks the shell to do.
public enum Invocation: Sendable, Equatable {
    /// `ats`: the REPL on a terminal, else statements from standard input.
    case interactive
    /// `ats FILE.ats ARG…` / `ats run FILE.ats ARG…`.
    case script(path: String, arguments: [String])
    /// `ats -c 'TEXT' ARG…`.
    case command(text: String, arguments: [String])
    /// `ats check FILE…`.
    case check([String])
    /// `ats fmt FILE… [--write]`.
    case format([String], write: Bool)
}

/// What the whole `ats` command line asks for, for `main` to dispatch to the module that
/// owns each part.
public enum ParsedCommandLine: Sendable {
    /// The shell: the REPL, a script, `-c`, `check`, `fmt` (`ShellCLI.main`).
    case shell(GlobalOptions, Invocation)
    /// `ats sim` (`SimulatorCLI.main`).
    case simulator(SimulatorCLI.Options)
    /// `ats diff` (`CaseDiffCLI.main`).
    case diff(CaseDiffCLI.Arguments)
    /// `ats lsp`: the language server on standard input and output (issue 17 connects it).
    case languageServer
    /// Help, the version, a completion script or a usage error: `text` goes to standard
    /// output when `code` is 0, else to standard error, and ats exits with `code`.
    case exit(text: String, code: Int32)
}

/// The `ats` command line, read by swift-argument-parser from the one definition in
/// `Commands.swift` (which also gives the help, the completions and the man page).
public enum ATSCommandLine {
    /// Parses the arguments (without the program name).
    public static func parse(_ arguments: [String]) -> ParsedCommandLine {
        do {
            var command = try ATSCommand.parseAsRoot(arguments)
            guard let resolvable = command as? any ResolvableCommand else {
                // Only argument-parser's own `help SUBCOMMAND` lands here: running it throws
                // the help it shows, caught below like `--help`.
                try command.run()
                return .exit(text: "", code: 0)
            }
            return try resolvable.resolved()
        } catch {
            let code = ATSCommand.exitCode(for: error)
            let text = ATSCommand.fullMessage(for: error)
            if code == .success { return .exit(text: text.hasSuffix("\n") || text.isEmpty ? text : text + "\n", code: 0) }
            return .exit(text: text + "\n", code: usageErrorCode)
        }
    }

    /// The exit code of every usage error (docs/cli.md), argument-parser's 64 notwithstanding.
    public static let usageErrorCode: Int32 = 2
}
