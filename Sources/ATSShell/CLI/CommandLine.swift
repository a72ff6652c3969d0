import ATSJSON

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
    /// `--lang`: the `Accept-Language` of every connection (`en`, `ja`, `zh`).
    public var lang: String?
    public var output: String?
    public var trace = false
    public var record: String?
    public var dryRun = false
    public var noColor = false
    public var quiet = false
    public init() {}
}

/// What the command line asks ats to do.
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
    case version
    case help
}

/// Parses the command line into global options and an invocation.
enum CommandLineParser {
    /// Options that take a value, by name.
    static let valued: Set<String> = [
        "url", "user", "password-env", "profile", "cacert", "timeout", "lang", "output", "record",
    ]
    /// Switches.
    static let flags: Set<String> = [
        "sim", "insecure", "trace", "dry-run", "no-color", "quiet", "version", "help", "write",
    ]

    static func parse(_ arguments: [String]) throws(ShellError) -> (GlobalOptions, Invocation) {
        var options = GlobalOptions()
        var rest: [String] = []
        var commandText: String?
        var write = false
        var wantsVersion = false, wantsHelp = false
        var i = 0
        // Options are read up to the first positional word (the file or subcommand); what
        // follows a script's path belongs to the script.
        func stopsOptions() -> Bool {
            guard let first = rest.first else { return false }
            return first != "check" && first != "fmt"
        }
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if commandText != nil || stopsOptions() || arg == "-" || !arg.hasPrefix("-") {
                if arg == "--" && rest.isEmpty && commandText == nil { continue }
                rest.append(arg)
                continue
            }
            if arg == "--" {
                rest.append(contentsOf: arguments[i...])
                break
            }
            if arg == "-c" {
                guard i < arguments.count else { throw .missingValue(option: "-c") }
                commandText = arguments[i]
                i += 1
                continue
            }
            var name = String(arg.drop { $0 == "-" })
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if name == "password" || name == "pass" || name == "p" { throw .passwordOnCommandLine }
            if name == "h" { name = "help" }
            if name == "V" { name = "version" }
            if flags.contains(name) {
                switch name {
                case "sim": options.sim = true
                case "insecure": options.insecure = true
                case "trace": options.trace = true
                case "dry-run": options.dryRun = true
                case "no-color": options.noColor = true
                case "quiet": options.quiet = true
                case "version": wantsVersion = true
                case "help": wantsHelp = true
                default: write = true
                }
                continue
            }
            guard valued.contains(name) else {
                let all = (valued.union(flags)).sorted()
                let close = all.first { NearMiss.distance($0, name) <= 2 }.map { "--\($0)" }
                throw .unknownOption(arg, suggestion: close)
            }
            let value: String
            if let inlineValue { value = inlineValue } else {
                guard i < arguments.count else { throw .missingValue(option: "--\(name)") }
                value = arguments[i]
                i += 1
            }
            switch name {
            case "url": options.url = value
            case "user": options.user = value
            case "password-env": options.passwordEnv = value
            case "profile": options.profile = value
            case "cacert": options.cacert = value
            case "lang": options.lang = value
            case "timeout":
                guard let d = DurationParser.parse(value) else { throw .badDuration(value) }
                options.timeout = d
            case "output":
                guard OutputFormat(rawValue: value) != nil else { throw .unknownFormat(value) }
                options.output = value
            default: options.record = value
            }
        }
        if wantsVersion { return (options, .version) }
        if wantsHelp { return (options, .help) }
        if let commandText { return (options, .command(text: commandText, arguments: rest)) }
        guard let first = rest.first else { return (options, .interactive) }
        switch first {
        case "run":
            guard rest.count >= 2 else { throw .missingFiles(command: "run") }
            return (options, .script(path: rest[1], arguments: Array(rest.dropFirst(2))))
        case "check":
            guard rest.count >= 2 else { throw .missingFiles(command: "check") }
            return (options, .check(Array(rest.dropFirst())))
        case "fmt":
            guard rest.count >= 2 else { throw .missingFiles(command: "fmt") }
            return (options, .format(Array(rest.dropFirst()), write: write))
        case "-":
            return (options, .interactive)
        default:
            return (options, .script(path: first, arguments: Array(rest.dropFirst())))
        }
    }

    static let usage = """
        usage: ats [OPTIONS]                      the REPL (statements from stdin when it is not a terminal)
               ats [OPTIONS] FILE.ats [ARG…]      run a script (also: ats run FILE.ats [ARG…])
               ats [OPTIONS] -c 'STATEMENTS' [ARG…]
               ats check FILE.ats…                check only: every error, exit 2 if any
               ats fmt FILE.ats… [--write]        print (or write) the canonical formatting
               ats sim [--port 22015] [--seed N] [--tasks N]   run the simulator as a server
               ats diff CASE_A CASE_B             compare two case files

        options:
          --url URL             the server (also ATS_URL)
          --user USER           the user (also ATS_USER)
          --password-env VAR    read the password from $VAR (default: ATS_PASSWORD)
          --profile NAME        a profile of ~/.config/ats/config.toml (also ATS_PROFILE)
          --sim                 connect to the built-in simulator before starting
          --insecure            do not verify TLS certificates
          --cacert FILE         trust the CA certificates in FILE
          --timeout DUR         time limit of each request (e.g. 30s)
          --lang LANG           language of server messages (en, ja, zh)
          --output FORMAT       pretty, table, json, jsonl, csv or raw
          --trace               print every HTTP exchange
          --record FILE         record every exchange into a case file
          --dry-run             print state-changing requests instead of sending them
          --no-color            no colours (also NO_COLOR)
          --quiet               print no results of statements, only echo and errors
          --version, --help

        exit codes: 0 success, 1 runtime error, 2 usage or syntax error, N from `exit N`, 130 interrupted

        """
}

