import AOClient
import ATSLanguage
import Dispatch
import Foundation

/// The command line of ats (spec §3) apart from `ats sim` and `ats diff`: the REPL, scripts,
/// `-c`, `check`, `fmt`, global options, profiles, exit codes.
public enum ShellCLI {
    /// The version `ats --version` prints (the client's, which `User-Agent` carries).
    public static var version: String { AOClientInfo.version }

    /// Runs ats with its arguments (without the program name). `runREPL` is called when the
    /// REPL should start (no script, no `-c`, standard input a terminal); it returns the exit code.
    public static func main(_ arguments: [String], runREPL: (ShellSession) -> Int32) -> Int32 {
        let parsed: (GlobalOptions, Invocation)
        do {
            parsed = try CommandLineParser.parse(arguments)
        } catch {
            printError("ats: \(error.message)\n")
            return 2
        }
        let (options, invocation) = parsed
        let environment = ProcessInfo.processInfo.environment
        let noColor = options.noColor || !(environment["NO_COLOR"] ?? "").isEmpty
        let colorErrors = !noColor && Terminal.isTerminal(STDERR_FILENO)
        switch invocation {
        case .version:
            print("ats \(version)")
            return 0
        case .help:
            print(CommandLineParser.usage, terminator: "")
            return 0
        case .check(let files):
            return check(files, color: colorErrors)
        case .format(let files, let write):
            return format(files, write: write, color: colorErrors)
        case .interactive:
            let stdinIsTerminal = Terminal.isTerminal(STDIN_FILENO)
            let session = ShellSession(options: options, environment: environment, isInteractive: stdinIsTerminal)
            defer { session.close() }
            if let code = session.startRecording() { return code }
            if let code = session.connectAtStart() { return code }
            if stdinIsTerminal { return runREPL(session) }
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            return runScript(session, Source(name: "<stdin>", text: text))
        case .script(let path, let scriptArguments):
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("ats: \(ShellError.unreadableFile(path, detail: "no such file, or not readable").message)\n")
                return 2
            }
            let session = ShellSession(options: options, environment: environment, arguments: scriptArguments, isInteractive: false)
            defer { session.close() }
            if let code = session.startRecording() { return code }
            if let code = session.connectAtStart() { return code }
            return runScript(session, Source(name: path, text: String(decoding: data, as: UTF8.self)))
        case .command(let text, let scriptArguments):
            let session = ShellSession(options: options, environment: environment, arguments: scriptArguments, isInteractive: false)
            defer { session.close() }
            if let code = session.startRecording() { return code }
            if let code = session.connectAtStart() { return code }
            return runScript(session, Source(name: "-c", text: text))
        }
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
        var failed = false
        for path in files {
            guard let source = read(path) else {
                failed = true
                continue
            }
            let diagnostics = Language.check(source, commands: commands)
            if !diagnostics.isEmpty {
                printError(renderer.render(diagnostics, in: source))
                if diagnostics.contains(where: { $0.severity == .error }) { failed = true }
            }
        }
        return failed ? 2 : 0
    }

    /// `ats fmt FILE… [--write]`.
    static func format(_ files: [String], write: Bool, color: Bool) -> Int32 {
        let renderer = DiagnosticRenderer(color: color)
        var failed = false
        for path in files {
            guard let source = read(path) else {
                failed = true
                continue
            }
            do {
                let text = try Language.format(source, commands: ShellHost.allSignatures)
                if write {
                    if text != source.text {
                        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
                            printError("ats: \(ShellError.unreadableFile(path, detail: "cannot be written").message)\n")
                            failed = true
                        }
                    }
                } else {
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            } catch {
                printError(renderer.render(error.diagnostics, in: source))
                failed = true
            }
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
