/// The command line of ats (spec §3) apart from `ats sim` and `ats diff`: the REPL, scripts,
/// `-c`, `check`, `fmt`, global options, profiles, exit codes.
public enum ShellCLI {
    /// Runs ats with its arguments (without the program name). `runREPL` is called when the
    /// REPL should start (no script, no `-c`, standard input a terminal); it returns the exit code.
    public static func main(_ arguments: [String], runREPL: (ShellSession) -> Int32) -> Int32 {
        print("ats: not built yet")
        return 1
    }
}

/// One shell session: the interpreter, the connection, the output rules and switches.
public final class ShellSession: @unchecked Sendable {
    public init() {}
}
