import ATSShell

/// The interactive shell on a terminal (libedit). `ShellCLI` starts it only when standard
/// input is a terminal (the world says so); statements from a pipe run as a script there.
public enum REPL {
    /// Runs the REPL on `session` until Ctrl-D or `:quit`; returns the exit code.
    public static func run(_ session: ShellSession) -> Int32 {
        run(backend: session, environment: session.environment, outputIsTerminal: session.world.terminals.stdout)
    }

    /// The interactive loop on `backend`, with libedit and the history file.
    public static func run(backend: REPLBackend, environment: [String: String], outputIsTerminal: Bool) -> Int32 {
        let reader = EditLineReader(outputIsTerminal: outputIsTerminal) { [backend] beforeCursor in
            CompletionEngine.complete(beforeCursor, context: completionContext(backend))
        }
        Interruption.shared.newlineOnInterrupt = true
        let historyFile = HistoryFile.defaultPath(environment: environment).map { HistoryFile(path: $0) }
        let loop = REPLLoop(backend: backend, reader: reader, historyFile: historyFile, console: StandardConsole(),
                            environment: environment)
        loop.loadHistory()
        return loop.run()
    }

    /// The session's names for completion, read when Tab is pressed.
    static func completionContext(_ backend: REPLBackend) -> CompletionContext {
        CompletionContext(
            commands: backend.commandSignatures,
            variableNames: backend.variableNames,
            statusNames: backend.statusNames,
            serviceNames: { backend.serviceNames() },
            taskIDs: backend.lastTaskIDs,
            metaCommands: REPLLoop.metaCommands)
    }
}
