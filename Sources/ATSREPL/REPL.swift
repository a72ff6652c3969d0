import ATSShell

/// The interactive shell on a terminal (libedit). `ShellCLI` starts it only when standard
/// input is a terminal (the world says so); statements from a pipe run as a script there.
public enum REPL {
    /// Runs the REPL on `session` until Ctrl-D or `:quit`; returns the exit code.
    public static func run(_ session: ShellSession) -> Int32 {
        run(backend: session, world: session.world)
    }

    /// The interactive loop on `backend`, with libedit and the history file, writing to and
    /// saving into `world`.
    public static func run(backend: REPLBackend, world: World) -> Int32 {
        let reader = EditLineReader(outputIsTerminal: world.terminals.stdout) { [backend] beforeCursor in
            CompletionEngine.complete(beforeCursor, context: completionContext(backend, world: world))
        }
        Interruption.shared.newlineOnInterrupt = true
        let historyFile = HistoryFile.defaultPath(environment: world.environment).map { HistoryFile(path: $0) }
        let loop = REPLLoop(
            backend: backend, reader: reader, historyFile: historyFile, console: WorldConsole(world), world: world)
        loop.loadHistory()
        return loop.run()
    }

    /// The session's names for completion, read when Tab is pressed.
    static func completionContext(_ backend: REPLBackend, world: World) -> CompletionContext {
        CompletionContext(
            commands: backend.commandSignatures,
            variableNames: backend.variableNames,
            statusNames: backend.statusNames,
            serviceNames: { backend.serviceNames() },
            taskIDs: backend.lastTaskIDs,
            files: world.files,
            home: world.environment["HOME"],
            metaCommands: REPLLoop.metaCommands)
    }
}
