import AOClient
import ATSLanguage
import Dispatch
import Foundation

/// The command line of ats (spec §3) apart from `ats sim` and `ats diff`: the REPL, scripts,
/// `-c`, `check`, `fmt`, global options, profiles, exit codes.
public enum ShellCLI {
    /// The version `ats --version` prints (the client's, which `User-Agent` carries).
    public static var version: String { AOClientInfo.version }

    /// Runs the shell as the command line asks (`ATSCommandLine.parse`). `runREPL` is called
    /// when the REPL should start (no script, no `-c`, standard input a terminal); it returns
    /// the exit code.
    public static func main(_ options: GlobalOptions, _ invocation: Invocation, runREPL: (ShellSession) -> Int32) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let colorErrors = TerminalInfo.allowsColor(
            isTerminal: Terminal.isTerminal(STDERR_FILENO), environment: environment, noColorOption: options.noColor)
        switch invocation {
        case .check(let files):
            return check(files, color: colorErrors)
        case .format(let files, let write):
            return format(files, write: write, color: colorErrors)
        case .interactive:
            let stdinIsTerminal = Terminal.isTerminal(STDIN_FILENO)
            return withSession(options, environment, arguments: [], isInteractive: stdinIsTerminal) { session in
                if stdinIsTerminal { return runREPL(session) }
                let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                return runScript(session, Source(name: "<stdin>", text: text))
            }
        case .script(let path, let scriptArguments):
            guard let source = read(path) else { return 2 }
            return withSession(options, environment, arguments: scriptArguments, isInteractive: false) { runScript($0, source) }
        case .command(let text, let scriptArguments):
            return withSession(options, environment, arguments: scriptArguments, isInteractive: false) {
                runScript($0, Source(name: "-c", text: text))
            }
        }
    }

    /// Starts a session as the command line asks (`--record`, then `--sim`/`--url`/`--profile`),
    /// runs `body` in it and closes it; the exit code of `body`, or 1 when the start failed.
    static func withSession(
        _ options: GlobalOptions, _ environment: [String: String], arguments: [String], isInteractive: Bool,
        _ body: (ShellSession) -> Int32
    ) -> Int32 {
        let session = ShellSession(options: options, environment: environment, arguments: arguments, isInteractive: isInteractive)
        defer { session.close() }
        if let code = session.startRecording() { return code }
        if let code = session.connectAtStart() { return code }
        return body(session)
    }

    /// Runs a whole script with Ctrl-C raising the session's interrupt flag.
    static func runScript(_ session: ShellSession, _ source: Source) -> Int32 {
        signal(SIGINT, SIG_IGN)
        let interrupts = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let flag = session.interrupt
        interrupts.setEventHandler { flag.raise() }
        interrupts.resume()
        defer { interrupts.cancel() }
        return session.run(source).exitCode
    }

    /// `ats check FILE…`: every error of every file; 2 if any.
    static func check(_ files: [String], color: Bool) -> Int32 {
        let commands = ShellHost.allSignatures
        let renderer = DiagnosticRenderer(color: color)
        return forEachFile(files) { source in
            let diagnostics = Language.check(source, commands: commands)
            if diagnostics.isEmpty { return true }
            printError(renderer.render(diagnostics, in: source))
            return !diagnostics.contains(where: { $0.severity == .error })
        }
    }

    /// `ats fmt FILE… [--write]`.
    static func format(_ files: [String], write: Bool, color: Bool) -> Int32 {
        let renderer = DiagnosticRenderer(color: color)
        return forEachFile(files) { source in
            let text: String
            do throws(DiagnosticList) {
                text = try Language.format(source, commands: ShellHost.allSignatures)
            } catch {
                printError(renderer.render(error.diagnostics, in: source))
                return false
            }
            guard write else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return true
            }
            if text == source.text { return true }
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: source.name)) } catch {
                printError("ats: \(ShellError.unreadableFile(source.name, detail: "cannot be written").message)\n")
                return false
            }
            return true
        }
    }

    /// Reads each file and hands it to `body`, which returns whether it passed; 0 when every
    /// file was read and passed, else 2.
    static func forEachFile(_ files: [String], _ body: (Source) -> Bool) -> Int32 {
        var failed = false
        for path in files {
            let passed = read(path).map(body) ?? false
            if !passed { failed = true }
        }
        return failed ? 2 : 0
    }

    static func read(_ path: String) -> Source? {
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("ats: \(ShellError.unreadableFile(path, detail: "no such file, or not readable").message)\n")
            return nil
        }
        return Source(name: path, text: String(decoding: data, as: UTF8.self))
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
