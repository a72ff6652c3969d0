import ATSJSON
import ATSLanguage
import ATSShell
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the REPL writes its own text (meta command output, its errors). The session writes
/// statement output, errors and "interrupted" itself.
public protocol REPLConsole: AnyObject {
    /// Text for standard output, with its newline.
    func write(_ text: String)
    /// Text for standard error, with its newline.
    func writeError(_ text: String)
}

/// The world's standard output and error, flushed at once, so the REPL's text comes after
/// what the session printed and before the next prompt.
public final class WorldConsole: REPLConsole {
    private let world: World
    public init(_ world: World) { self.world = world }
    public func write(_ text: String) {
        world.stdout.write(text)
        world.stdout.flush()
    }
    public func writeError(_ text: String) {
        world.stdout.flush()
        world.stderr.write(text)
        world.stderr.flush()
    }
}

/// Flushes C stdio (libedit writes through it), then writes all of `text` to `fd`: the
/// newline after Ctrl-C or Ctrl-D on the terminal.
func writeAll(_ fd: Int32, _ text: String) {
    fflush(nil)
    _ = writeAll(fd, bytes: Array(text.utf8))
}

/// The interactive loop: reads lines, joins unfinished statements on the `…> ` prompt, runs
/// them, keeps the history, and handles meta commands.
public final class REPLLoop {
    /// The prompt of a continuation line.
    public static let continuationPrompt = "…> "
    /// The meta commands, for `:help` and completion.
    public static let metaCommands = [":edit", ":help", ":history", ":quit", ":save"]

    private let backend: REPLBackend
    private let reader: LineReader
    private let historyFile: HistoryFile?
    private let console: REPLConsole
    /// The files `:save` and `:edit` write, the time and machine `:save`'s header names,
    /// `$EDITOR` and `$HOME`.
    private let world: World
    /// Every statement remembered this session (from the file first), oldest first.
    public private(set) var history: [String] = []
    /// The statements that succeeded this session, for `:save`.
    public private(set) var successfulStatements: [String] = []
    private var statementNumber = 0

    /// A loop over `reader` running statements on `backend`, writing its own text to `console`;
    /// `historyFile` nil keeps no file.
    public init(backend: REPLBackend, reader: LineReader, historyFile: HistoryFile?, console: REPLConsole, world: World) {
        self.backend = backend
        self.reader = reader
        self.historyFile = historyFile
        self.console = console
        self.world = world
    }

    /// The primary prompt, coloured (with libedit's invisible-text markers) when the session
    /// colours its output.
    public var primaryPrompt: String {
        let plain = backend.prompt
        guard backend.usesColor, plain.hasSuffix("> ") else { return plain }
        let body = plain.dropLast(2)
        return "\u{1}\u{1B}[1;36m\u{2}\(body)\u{1}\u{1B}[0m\u{2}> "
    }

    /// Loads the history file into the reader.
    public func loadHistory() {
        guard let historyFile else { return }
        for entry in historyFile.load() {
            history.append(entry)
            reader.addHistory(entry)
        }
    }

    /// Runs until end of input, `:quit` or `exit N`; returns the exit code (0, or N).
    public func run() -> Int32 {
        var pending: [String] = []
        while true {
            let prompt = pending.isEmpty ? primaryPrompt : REPLLoop.continuationPrompt
            switch reader.readLine(prompt: prompt) {
            case .endOfInput:
                return 0
            case .interrupted:
                pending = []
            case .line(let line):
                if pending.isEmpty, line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                    if let code = meta(line.trimmingCharacters(in: .whitespaces)) { return code }
                    continue
                }
                pending.append(line)
                let text = pending.joined(separator: "\n")
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    pending = []
                    continue
                }
                if backend.classify(text) == .needsMoreInput { continue }
                pending = []
                if let code = execute(text) { return code }
            }
        }
    }

    /// Runs one statement typed at the prompt; returns an exit code when the REPL should end.
    func execute(_ text: String) -> Int32? {
        remember(text)
        statementNumber += 1
        let outcome = Interruption.shared.whileRunning(raising: backend.interrupt) {
            backend.run(text, sourceName: "<repl:\(statementNumber)>")
        }
        switch outcome {
        case .succeeded:
            if HistoryPolicy.mayRecord(text) { successfulStatements.append(text) }
            return nil
        case .failed:
            return nil
        case .interrupted:
            return nil
        case .exited(let code):
            return code
        }
    }

    private func remember(_ text: String) {
        guard HistoryPolicy.mayRecord(text) else { return }
        if history.last == text { return }
        history.append(text)
        reader.addHistory(text)
        historyFile?.append(text)
    }

    // MARK: - Meta commands

    /// Runs a meta command; returns an exit code for `:quit`.
    func meta(_ line: String) -> Int32? {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let name = String(parts.first ?? "")
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ":quit", ":q", ":exit":
            return 0
        case ":help":
            console.write(REPLLoop.helpText)
        case ":history":
            let shown = history.suffix(argument.isEmpty ? 50 : (Int(argument) ?? 50))
            let first = history.count - shown.count + 1
            for (offset, entry) in shown.enumerated() {
                let number = String(first + offset)
                let indent = String(repeating: " ", count: max(0, 6 - number.count))
                let body = entry.replacingOccurrences(of: "\n", with: "\n        ")
                console.write("\(indent)\(number)  \(body)\n")
            }
        case ":save":
            save(to: argument)
        case ":edit":
            return edit(initial: argument)
        default:
            let known = REPLLoop.metaCommands.joined(separator: ", ")
            console.writeError("error: unknown meta command \(name); the meta commands are \(known)\n")
        }
        return nil
    }

    /// The header and statements `:save` writes; the time is the world's, in its zone.
    public func savedScript() -> String {
        let whereText = backend.prompt.hasSuffix("> ") ? String(backend.prompt.dropLast(2)) : backend.prompt
        let time = world.clock.now()
        let now = ISODate.format(
            millisecondsSinceEpoch: time.millisecondsSinceEpoch, offsetSeconds: time.utcOffsetSeconds, colonInOffset: true)
        var script = "#!/usr/bin/env ats\n"
        script += "# Recorded by the ats REPL (\(whereText)) on \(world.hostName) at \(now).\n"
        script += "# \(ListPhrase.count(successfulStatements.count, "successful statement")); statements holding secrets are left out.\n\n"
        if let connect = backend.connectionStatement { script += connect + "\n" }
        for statement in successfulStatements { script += statement + "\n" }
        return script
    }

    private func save(to path: String) {
        guard !path.isEmpty else {
            console.writeError("error: :save needs a file name, e.g. :save session.ats\n")
            return
        }
        let expanded = path.hasPrefix("~/") ? (world.environment["HOME"] ?? "") + path.dropFirst() : path
        do throws(FileError) {
            try world.files.replace(expanded, Array(savedScript().utf8))
            console.write("saved \(ListPhrase.count(successfulStatements.count, "statement")) to \(path)\n")
        } catch {
            console.writeError("error: could not write \(path): \(error.reason)\n")
        }
    }

    /// `:edit`: opens `$VISUAL`/`$EDITOR` (default `vi`) on the argument or the last statement;
    /// runs what was saved.
    private func edit(initial: String) -> Int32? {
        let seed = initial.isEmpty ? (history.last ?? "") : initial
        // A unique name: several loops (sessions, or tests in one process) may edit at once.
        let directory = world.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + "ats-edit-\(UUID().uuidString).ats"
        do throws(FileError) {
            try world.files.write(path, Array((seed + "\n").utf8))
        } catch {
            console.writeError("error: could not create \(path): \(error.reason)\n")
            return nil
        }
        defer { world.files.remove(path) }
        let editor = world.environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? world.environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let status = runEditor(editor, path: path)
        guard status == 0 else {
            console.writeError("error: the editor \(editor) exited with status \(status); nothing was run\n")
            return nil
        }
        guard let text = try? world.files.readText(path) else { return nil }
        var statement = text
        while statement.hasSuffix("\n") { statement.removeLast() }
        guard !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        console.write(statement + "\n")
        return execute(statement)
    }

    /// Runs `/bin/sh -c '$editor "$1"' sh path` on the terminal and waits for it. This stays
    /// here, not in `World.commands`: the editor takes over the terminal, and its output is
    /// not captured.
    private func runEditor(_ editor: String, path: String) -> Int32 {
        var pid: pid_t = 0
        let args = ["/bin/sh", "-c", editor + " \"$1\"", "sh", path]
        var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        cArgs.append(nil)
        defer { for arg in cArgs { free(arg) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, cArgs, environ)
        guard spawned == 0 else { return spawned }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    /// The text of `:help`.
    public static let helpText = """
        Type statements of the ats language; `help` lists the commands, `help NAME` explains one.
        An unfinished block, list, string or pipeline continues on the …> prompt.

        Keys: Emacs editing; Up/Down history; Ctrl-R search history; Tab completes;
              Ctrl-C cancels the line or the running command; Ctrl-D on an empty line leaves.

        Meta commands:
          :help            this text
          :history [N]     the last N (default 50) statements of the history
          :save FILE       write this session's successful statements as an .ats script
          :edit [TEXT]     edit TEXT (or the last statement) in $EDITOR, then run it
          :quit            leave (also Ctrl-D, or `exit N`)

        """
}
