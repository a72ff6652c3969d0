import AOHTTPServer
import AOSimulator
import ATSSupport
import struct ATSLanguage.LocalFileSystem
import ATSJSON
import ATSShell
import ArgumentParser
import Foundation

// The one definition of the `ats` command line: parsing, `--help`, the completion scripts
// under completions/ and the man page ats(1) all come from it. It is a module of its own,
// above the ones whose options it names (ATSShell's, AOHTTPServer's `sim`, ATSSupport's
// `diff`), so that the shell does not link the simulator's HTTP server; the man page lists
// the language's commands from the shell's catalog. The parts keep their option structs and
// execution code and know nothing of argument-parser.

/// A command of the tree that turns into what `main` runs.
protocol ResolvableCommand: ParsableCommand {
    func resolved() throws -> ParsedCommandLine
}

/// The options of `ats` before a script's name (SHELL.md §3).
struct GlobalArguments: ParsableArguments {
    @Option(help: ArgumentHelp("the server to connect to before running (also ATS_URL)", valueName: "URL"))
    var url: String?

    @Option(help: ArgumentHelp("the user (also ATS_USER)", valueName: "USER"))
    var user: String?

    @Option(help: ArgumentHelp("read the password from the environment variable VAR (default: ATS_PASSWORD)", valueName: "VAR"))
    var passwordEnv: String?

    @Option(
        help: ArgumentHelp("connect with a profile of the config file (also ATS_PROFILE)", valueName: "NAME"),
        completion: .custom { _, _, _ in ProfileNames.inConfigFile() })
    var profile: String?

    @Flag(help: "connect to the built-in simulator before running (user system)")
    var sim = false

    @Flag(help: "do not verify the server's TLS certificate")
    var insecure = false

    @Option(help: ArgumentHelp("trust the CA certificates in FILE (PEM)", valueName: "FILE"), completion: .file())
    var cacert: String?

    @Option(
        help: ArgumentHelp("time limit of each request (500ms, 30s, 2m)", valueName: "DUR"),
        transform: { text in
            guard let duration = DurationParser.parse(text) else { throw ValidationError(ShellError.badDuration(text).message) }
            return duration
        })
    var timeout: Duration?

    @Option(help: ArgumentHelp("print every result in FORMAT", valueName: "FORMAT"))
    var output: OutputFormat?

    @Flag(help: "print every HTTP exchange to standard error, like curl -v (secrets masked)")
    var trace = false

    @Option(help: ArgumentHelp("append every exchange to a case file", valueName: "FILE"), completion: .file(extensions: ["jsonl"]))
    var record: String?

    @Flag(help: "print state-changing requests and their curl equivalent instead of sending them")
    var dryRun = false

    @Flag(help: "no colours (also NO_COLOR)")
    var noColor = false

    @Flag(help: "do not print the values of statements; echo, print and errors still print")
    var quiet = false

    @Option(
        name: .customShort("c"), parsing: .unconditional,
        help: ArgumentHelp("run STATEMENTS; the words after them are the script's arguments", valueName: "STATEMENTS"))
    var command: String?

    /// The options as the shell takes them.
    var options: GlobalOptions {
        var o = GlobalOptions()
        o.url = url
        o.user = user
        o.passwordEnv = passwordEnv
        o.profile = profile
        o.sim = sim
        o.insecure = insecure
        o.cacert = cacert
        o.timeout = timeout
        o.output = output?.rawValue
        o.trace = trace
        o.record = record
        o.dryRun = dryRun
        o.noColor = noColor
        o.quiet = quiet
        return o
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// `ats`: the root of the tree. Its options are read up to the first word that is not one
/// of them; that word names a subcommand, or else it and everything after it go to `run`.
struct ATSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ats",
        abstract: "The Automation Task Shell: a command shell and scripting language for the REST API of JP1/Automatic Operation.",
        usage: """
            ats [OPTIONS]                         the REPL; statements from standard input when it is not a terminal
            ats [OPTIONS] FILE.ats [ARG…]         run a script ($args holds the ARGs)
            ats [OPTIONS] -c STATEMENTS [ARG…]    run the given statements
            ats SUBCOMMAND [ARG…]                 run, check, fmt, sim, diff, lsp (ats help SUBCOMMAND)
            """,
        discussion: introduction + "\n\n" + ManualFacts.helpEpilogue,
        version: BuildInfo.versionLine,
        subcommands: [
            RunCommand.self, CheckCommand.self, FormatCommand.self, SimCommand.self, DiffCommand.self,
            LanguageServerCommand.self,
        ],
        defaultSubcommand: RunCommand.self)

    /// What ats(1)'s DESCRIPTION and the start of `ats --help`'s discussion say.
    static let introduction = """
        Options are read up to the script's file name; everything after it belongs to the \
        script (as with python FILE ARG…). A password is never accepted as a command-line \
        value: it comes from --password-env VAR, the profile's password_env or \
        password_command, then ATS_PASSWORD.
        """

    @OptionGroup var globals: GlobalArguments

    /// `--generate-manual`: print ats(1) (scripts/package installs it).
    @Flag(help: .private) var generateManual = false
}

/// `ats [OPTIONS] FILE.ats [ARG…]`, `ats run FILE.ats [ARG…]`, `ats -c TEXT [ARG…]` and `ats`
/// alone (the REPL).
struct RunCommand: ResolvableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script (also: ats FILE.ats); with no file, the REPL.",
        discussion: "Every word after the file name is the script's, in $args, untouched.")

    @ParentCommand var root: ATSCommand

    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp("the script, then its arguments; - or nothing for the REPL or standard input", valueName: "FILE.ats ARG"),
        completion: .file(extensions: ["ats"]))
    var words: [String] = []

    func validate() throws {
        // A word that looks like an option before the script's name is one ats does not know.
        guard root.globals.command == nil, let first = words.first, first.hasPrefix("-"), first != "-", first != "--" else { return }
        let name = String(first.drop { $0 == "-" }.prefix { $0 != "=" })
        // `--password`, `-p`, and their misspellings (`--pasword`): say where a password comes from.
        if name == "p" || name == "pass" || NearMiss.distance(name, "password") <= 2 {
            throw ValidationError(ShellError.passwordOnCommandLine.message)
        }
        do {
            _ = try GlobalArguments.parse([first])
        } catch {
            throw ValidationError(GlobalArguments.message(for: error))
        }
    }

    func resolved() throws -> ParsedCommandLine {
        if root.generateManual { return .exit(text: Manual.page(), code: 0) }
        let options = root.globals.options
        var words = words[...]
        if words.first == "--" { words = words.dropFirst() }
        if let text = root.globals.command { return .shell(options, .command(text: text, arguments: Array(words))) }
        guard let path = words.first, path != "-" else { return .shell(options, .interactive) }
        return .shell(options, .script(path: path, arguments: Array(words.dropFirst())))
    }
}

/// `ats check FILE.ats…`.
struct CheckCommand: ResolvableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and check scripts without running them: every error with its location; exit 2 if any.")

    @ParentCommand var root: ATSCommand

    @Argument(help: ArgumentHelp("the scripts", valueName: "FILE.ats"), completion: .file(extensions: ["ats"]))
    var files: [String]

    func resolved() throws -> ParsedCommandLine {
        .shell(root.globals.options, .check(files))
    }
}

/// `ats fmt FILE.ats… [--write]`.
struct FormatCommand: ResolvableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print (or rewrite) scripts in the canonical formatting.")

    @ParentCommand var root: ATSCommand

    @Flag(help: "rewrite each file in place instead of printing it")
    var write = false

    @Argument(help: ArgumentHelp("the scripts", valueName: "FILE.ats"), completion: .file(extensions: ["ats"]))
    var files: [String]

    func resolved() throws -> ParsedCommandLine {
        .shell(root.globals.options, .format(files, write: write))
    }
}

/// `ats sim [OPTIONS]`.
struct SimCommand: ResolvableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run the simulator (or a replay of a case file) as an HTTP server until SIGINT or SIGTERM.",
        discussion: """
            Faults (--faults, comma-separated): starting=N, starting-for=SECONDS, retry-after=SECONDS, \
            500=ROUTE, drop=ROUTE, html=ROUTE, delay=MS[@ROUTE], token-ttl=SECONDS, where ROUTE is [METHOD:]path-fragment.
            """)

    @Option(
        help: ArgumentHelp("port to listen on (default: 22015); 0 for any free port", valueName: "N"),
        transform: { text in
            guard let port = Int(text), (0...65535).contains(port) else { throw ValidationError("not a port number 0–65535") }
            return port
        })
    var port: Int = 22015

    @Option(help: ArgumentHelp("address to bind", valueName: "ADDR"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("seed of the generated data", valueName: "N"))
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp("total number of tasks (adds finished bulk tasks; e.g. 100000)", valueName: "N"),
        transform: { text in
            guard let n = Int(text), (0...10_000_000).contains(n) else { throw ValidationError("not a count 0–10000000") }
            return n
        })
    var tasks: Int?

    @Option(
        help: ArgumentHelp("run task steps X times faster (default: 1)", valueName: "X"),
        transform: { text in
            guard let x = Double(text), x > 0, x.isFinite else { throw ValidationError("not a positive number") }
            return x
        })
    var speed: Double = 1

    @Option(
        help: ArgumentHelp("manual quirks to reproduce, comma-separated, or all", valueName: "LIST"),
        completion: .list(SimulatorQuirk.allCases.map(\.rawValue) + ["all"]),
        transform: { text in
            do throws(SimulatorOptionError) { return try SimulatorConfiguration.parseQuirks(text) } catch {
                throw ValidationError(error.description)
            }
        })
    var quirks: Set<SimulatorQuirk>?

    @Option(
        help: ArgumentHelp("faults to inject, comma-separated (see below)", valueName: "LIST"),
        transform: { text in
            do throws(SimulatorOptionError) { return try SimulatorFaults(parsing: text) } catch {
                throw ValidationError(error.description)
            }
        })
    var faults: SimulatorFaults?

    @Option(help: ArgumentHelp("serve HTTPS with this PEM certificate (needs --tls-key)", valueName: "FILE"), completion: .file())
    var tlsCert: String?

    @Option(help: ArgumentHelp("PEM private key for --tls-cert", valueName: "FILE"), completion: .file())
    var tlsKey: String?

    @Option(help: ArgumentHelp("serve a recorded case file instead of the simulator", valueName: "FILE"), completion: .file(extensions: ["jsonl"]))
    var replay: String?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key must be given together") }
    }

    /// The options as the server takes them.
    var options: SimulatorCLI.Options {
        var o = SimulatorCLI.Options()
        o.port = port
        o.host = host
        o.configuration.seed = seed
        if let tasks { o.configuration.taskCount = tasks }
        o.configuration.speed = speed
        if let quirks { o.configuration.quirks = quirks }
        if let faults { o.configuration.faults = faults }
        o.tlsCert = tlsCert
        o.tlsKey = tlsKey
        o.replay = replay
        return o
    }

    func resolved() throws -> ParsedCommandLine { .simulator(options) }
}

/// `ats diff CASE_A CASE_B`.
struct DiffCommand: ResolvableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two case files request by request and report differences in status, headers and bodies.",
        discussion: """
            Exchanges are paired by method and path (ids normalised), then order. Ids, dates, UUIDs, \
            tokens and volatile headers are ignored unless --all. Exit status: 0 equivalent, 1 \
            different, 2 bad usage or an unreadable file.
            """)

    @ParentCommand var root: ATSCommand

    @Argument(help: ArgumentHelp("the first case file", valueName: "CASE_A"), completion: .file(extensions: ["jsonl"]))
    var first: String

    @Argument(help: ArgumentHelp("the second case file", valueName: "CASE_B"), completion: .file(extensions: ["jsonl"]))
    var second: String

    @Flag(name: [.short, .long], help: "compare everything: ids, dates, UUIDs, tokens, Date headers")
    var all = false

    @Option(name: [.short, .long], help: ArgumentHelp("also ignore this member name or header (repeatable, or a,b,c)", valueName: "FIELD"))
    var ignore: [String] = []

    @Flag(help: "a machine-readable report")
    var json = false

    @Flag(name: [.customLong("no-color"), .customLong("no-colour")], help: "no colours (also NO_COLOR); colours only on a terminal")
    var noColor = false

    func resolved() throws -> ParsedCommandLine {
        var arguments = CaseDiffCLI.Arguments(first: first, second: second, json: json, noColor: noColor || root.globals.noColor)
        arguments.options.all = all
        ignore.forEach { arguments.ignore($0) }
        return .diff(arguments)
    }
}

/// `ats lsp`: the hook for the language server (issue 17), which `main` connects.
struct LanguageServerCommand: ResolvableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "a Language Server Protocol server on stdio, for editors")

    /// What editors' clients pass to a server on standard input and output; the only transport.
    @Flag(help: "talk on standard input and output (the default and only transport)")
    var stdio = false

    func resolved() throws -> ParsedCommandLine { .languageServer }
}

/// Profile names for completion: those of the config file, or none when it cannot be read.
enum ProfileNames {
    static func inConfigFile() -> [String] {
        let path = ProfileFile.defaultPath(environment: ProcessInfo.processInfo.environment)
        guard let file = try? ProfileFile.load(path: path, files: LocalFileSystem()) else { return [] }
        return file.profiles.keys.sorted()
    }
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
            let text = code == .success ? ATSCommand.fullMessage(for: error) : restyled(ATSCommand.fullMessage(for: error))
            if code == .success { return .exit(text: text.hasSuffix("\n") || text.isEmpty ? text : text + "\n", code: 0) }
            return .exit(text: text + "\n", code: usageErrorCode)
        }
    }

    /// argument-parser's usage error in ats's own style (docs/cli.md): `error: unknown option
    /// '--x'`, lower-case headings as in the shell's errors, and the default subcommand `run`
    /// shown as `ats` itself, which is how it is typed.
    static func restyled(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices {
            for (from, to) in [("Error: ", "error: "), ("Usage: ", "usage: "), ("Help:  ", "help:  "), ("  See '", "  see '")]
            where lines[i].hasPrefix(from) {
                var rest = lines[i].dropFirst(from.count)
                // "Unknown option" → "unknown option"; an acronym ("URL …") keeps its case.
                if from == "Error: ", let f = rest.first, f.isUppercase, rest.dropFirst().first?.isLowercase == true {
                    rest = Substring(f.lowercased()) + rest.dropFirst()
                }
                lines[i] = to + rest
            }
            lines[i] = lines[i].replacingOccurrences(of: "usage: ats run [<FILE.ats ARG> ...]", with: "usage: ats [OPTIONS] [FILE.ats [ARG…]]")
                .replacingOccurrences(of: "see 'ats run --help'", with: "see 'ats --help'")
                .replacingOccurrences(of: #"\. Did you mean '([^']+)'\?"#, with: "; did you mean `$1`?", options: .regularExpression)
        }
        return lines.joined(separator: "\n")
    }

    /// The exit code of every usage error (docs/cli.md), argument-parser's 64 notwithstanding.
    public static let usageErrorCode: Int32 = 2
}
