import ATSShell

/// The interactive shell on a terminal (libedit), or statements read from a pipe.
public enum REPL {
    /// Runs the REPL on `session` until Ctrl-D or `:quit`; returns the exit code.
    public static func run(_ session: ShellSession) -> Int32 {
        print("ats REPL: not built yet")
        return 1
    }
}
