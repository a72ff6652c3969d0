import ATSShell
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The interactive shell on a terminal (libedit), or statements read from a pipe.
public enum REPL {
    /// Runs the REPL on `session` until Ctrl-D or `:quit`; returns the exit code.
    public static func run(_ session: ShellSession) -> Int32 {
        run(backend: session, environment: session.environment)
    }

    /// Runs on `backend`: on a terminal, the interactive loop with libedit and the history file;
    /// otherwise the whole standard input as one script named `<stdin>` (no prompts, no echo,
    /// script exit codes: a failed statement stops the run with 1, a syntax error gives 2).
    public static func run(
        backend: REPLBackend, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Int32 {
        guard isatty(0) == 1 else {
            let text = PlainLineReader(fileDescriptor: 0).readToEnd()
            return backend.run(text, sourceName: "<stdin>").exitCode
        }
        let reader = EditLineReader { [backend] beforeCursor in
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
