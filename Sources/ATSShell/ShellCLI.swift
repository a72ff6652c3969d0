import AOClient
import ATSLanguage

/// The command line of ats (spec §3) apart from `ats sim` and `ats diff`: the REPL, scripts,
/// `-c`, `check`, `fmt`, global options, profiles, exit codes.
public enum ShellCLI {
    /// The version `ats --version` prints (the client's, which `User-Agent` carries).
    public static var version: String { AOClientInfo.version }

    /// Runs the shell as the command line asks (`ATSCommandLine.parse` gives `options` and
    /// `invocation`) in `world`; returns the exit code. `runREPL` is called when the REPL
    /// should start (no script, no `-c`, standard input a terminal); it returns the exit code.
    /// Everything written to the world's streams is flushed before it returns.
    public static func run(
        _ options: GlobalOptions, _ invocation: Invocation, world: World, runREPL: (ShellSession) -> Int32
    ) -> Int32 {
        defer {
            world.stdout.flush()
            world.stderr.flush()
        }
        let colorErrors = TerminalInfo.allowsColor(
            isTerminal: world.terminals.stderr, environment: world.environment, noColorOption: options.noColor)
        switch invocation {
        case .check(let files):
            return check(files, world: world, color: colorErrors)
        case .format(let files, let write):
            return format(files, write: write, world: world, color: colorErrors)
        case .interactive:
            let stdinIsTerminal = world.terminals.stdin
            return withSession(options, world, arguments: [], isInteractive: stdinIsTerminal) { session in
                if stdinIsTerminal { return runREPL(session) }
                let text = String(decoding: world.stdin.readAll(), as: UTF8.self)
                return runScript(session, Source(name: "<stdin>", text: text))
            }
        case .script(let path, let scriptArguments):
            guard let source = read(path, world: world) else { return 2 }
            return withSession(options, world, arguments: scriptArguments, isInteractive: false) { runScript($0, source) }
        case .command(let text, let scriptArguments):
            return withSession(options, world, arguments: scriptArguments, isInteractive: false) {
                runScript($0, Source(name: "-c", text: text))
            }
        }
    }

    /// Ends a run that the command line itself answered (help, the version, a completion
    /// script, a usage error): `text` to standard output when `code` is 0, else to standard
    /// error; returns `code`.
    public static func finish(_ text: String, code: Int32, world: World) -> Int32 {
        let stream = code == 0 ? world.stdout : world.stderr
        stream.write(text)
        stream.flush()
        return code
    }

    /// Starts a session as the command line asks (`--record`, then `--sim`/`--url`/`--profile`),
    /// runs `body` in it and closes it; the exit code of `body`, or 1 when the start failed.
    static func withSession(
        _ options: GlobalOptions, _ world: World, arguments: [String], isInteractive: Bool,
        _ body: (ShellSession) -> Int32
    ) -> Int32 {
        let session = ShellSession(options: options, world: world, arguments: arguments, isInteractive: isInteractive)
        defer { session.close() }
        if let code = session.startRecording() { return code }
        if let code = session.connectAtStart() { return code }
        return body(session)
    }

    /// Runs a whole script with Ctrl-C raising the session's interrupt flag.
    static func runScript(_ session: ShellSession, _ source: Source) -> Int32 {
        session.world.signals.whileRunning(raising: session.interrupt) { session.run(source).exitCode }
    }

    /// `ats check FILE…`: every error of every file; 2 if any.
    static func check(_ files: [String], world: World, color: Bool) -> Int32 {
        let commands = ShellHost.allSignatures
        let renderer = DiagnosticRenderer(color: color)
        return forEachFile(files, world: world) { source in
            let diagnostics = Language.check(source, commands: commands)
            if diagnostics.isEmpty { return true }
            world.stderr.write(renderer.render(diagnostics, in: source))
            return !diagnostics.contains(where: { $0.severity == .error })
        }
    }

    /// `ats fmt FILE… [--write]`.
    static func format(_ files: [String], write: Bool, world: World, color: Bool) -> Int32 {
        let renderer = DiagnosticRenderer(color: color)
        return forEachFile(files, world: world) { source in
            let text: String
            do throws(DiagnosticList) {
                text = try Language.format(source, commands: ShellHost.allSignatures)
            } catch {
                world.stderr.write(renderer.render(error.diagnostics, in: source))
                return false
            }
            guard write else {
                world.stdout.write(text)
                return true
            }
            if text == source.text { return true }
            do throws(FileError) { try world.files.write(source.name, Array(text.utf8)) } catch {
                world.stderr.write("ats: \(ShellError.unreadableFile(source.name, detail: "cannot be written").message)\n")
                return false
            }
            return true
        }
    }

    /// Reads each file and hands it to `body`, which returns whether it passed; 0 when every
    /// file was read and passed, else 2.
    static func forEachFile(_ files: [String], world: World, _ body: (Source) -> Bool) -> Int32 {
        var failed = false
        for path in files {
            let passed = read(path, world: world).map(body) ?? false
            if !passed { failed = true }
        }
        return failed ? 2 : 0
    }

    static func read(_ path: String, world: World) -> Source? {
        do throws(FileError) {
            return Source(name: path, text: try world.files.readText(path))
        } catch {
            world.stderr.write("ats: \(ShellError.unreadableFile(path, detail: "no such file, or not readable").message)\n")
            return nil
        }
    }
}
