
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
