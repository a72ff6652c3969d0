import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Drives a program in a real terminal: a detached tmux session on a private server
/// (`tmux -L ats-test-<random>`), 120×40, with `HOME` and `XDG_STATE_HOME` in a fresh temporary
/// directory. Keys go in with `send-keys`; the screen comes back with `capture-pane -p`;
/// `waitFor` polls the screen until the expected text appears or a timeout passes.
///
/// The program runs under `/bin/sh -c 'trap : INT; PROGRAM; echo "[exit $?]"; sleep 600'` (the trap keeps
/// the shell alive after a Ctrl-C the program handled), so the screen
/// shows its exit status when it ends. `close()` (or deinit) kills the private server and
/// removes the directory.
public final class TmuxSession: @unchecked Sendable {
    /// A tmux session could not be started or did not show what was expected.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The private server's socket name (`-L`).
    public let socket: String
    /// The temporary directory used as `HOME`; `XDG_STATE_HOME` is `<home>/state`.
    public let home: String
    private var closed = false

    /// True when `tmux` can be run here.
    public static var isAvailable: Bool { executable(named: "tmux") != nil }

    /// The full path of the program `name` on `PATH`, if any.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// The built `ats` executable beside the test bundle (`.build/debug/ats`), or `$ATS_BINARY`.
    public static var atsBinary: String? {
        if let explicit = ProcessInfo.processInfo.environment["ATS_BINARY"], access(explicit, X_OK) == 0 {
            return explicit
        }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        var directories: [String] = []
        if n > 0 {
            let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            directories.append((exe as NSString).deletingLastPathComponent)
        }
        directories.append(((CommandLine.arguments.first ?? "") as NSString).deletingLastPathComponent)
        for directory in directories {
            var current = directory
            // The bundle may be a directory (macOS) or the executable itself (Linux).
            for _ in 0..<3 {
                let candidate = current + "/ats"
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                    access(candidate, X_OK) == 0
                {
                    return candidate
                }
                current = (current as NSString).deletingLastPathComponent
            }
        }
        return nil
    }

    /// Starts `arguments` (the program first) in a new 120×40 terminal. `environment` is added
    /// to a minimal one (`HOME`, `XDG_STATE_HOME`, `PATH`, `TERM=xterm-256color`, `LANG=C.UTF-8`).
    public init(
        _ arguments: [String], environment: [String: String] = [:], width: Int = 120, height: Int = 40,
        directory: String? = nil
    ) throws {
        socket = "ats-test-\(UInt32.random(in: 0...UInt32.max))"
        home = FileManager.default.temporaryDirectory.appendingPathComponent("ats-tmux-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/state", withIntermediateDirectories: true)
        var env: [String: String] = [
            "HOME": home, "XDG_STATE_HOME": home + "/state", "TERM": "xterm-256color", "LANG": "C.UTF-8",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        env.merge(environment) { _, new in new }
        let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(TmuxSession.quote($0.value))" }
        let program = arguments.map(TmuxSession.quote).joined(separator: " ")
        let cd = "cd \(TmuxSession.quote(directory ?? home)) && "
        let script = "trap : INT; \(cd)env -i \(assignments.joined(separator: " ")) \(program); echo \"[exit $?]\"; sleep 600"
        let result = try tmux([
            "-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height), "-s", "ats",
            "/bin/sh", "-c", script,
        ])
        guard result.status == 0 else {
            throw Failure(description: "tmux new-session failed (\(result.status)): \(result.output)")
        }
    }

    deinit { close() }

    /// Kills the private tmux server and removes the temporary home.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Types `text` literally (no key names).
    public func type(_ text: String) throws {
        try check(tmux(["send-keys", "-t", "ats", "-l", text]))
    }

    /// Sends tmux key names: `Enter`, `Up`, `Tab`, `C-c`, `C-d`, `C-r`, `BSpace`, ….
    public func press(_ keys: String...) throws {
        try check(tmux(["send-keys", "-t", "ats"] + keys))
    }

    /// The visible screen, trailing blank lines removed.
    public func screen() throws -> String {
        let result = try tmux(["capture-pane", "-p", "-t", "ats"])
        try check(result)
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Polls the screen every 20 ms until `predicate` holds; throws with the screen on timeout.
    @discardableResult
    public func waitUntil(
        _ what: String, timeout: Duration = .seconds(15), _ predicate: (String) -> Bool
    ) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = ""
        while clock.now < deadline {
            last = try screen()
            if predicate(last) { return last }
            usleep(20_000)
        }
        throw Failure(description: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Polls until the screen contains `text`; returns the screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(15)) throws -> String {
        try waitUntil("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Polls until `text` occurs at least `count` times on the screen.
    @discardableResult
    public func waitFor(_ text: String, count: Int, timeout: Duration = .seconds(15)) throws -> String {
        try waitUntil("\(count)× \"\(text)\"", timeout: timeout) { $0.components(separatedBy: text).count - 1 >= count }
    }

    /// The last non-empty line of the screen.
    public func lastLine() throws -> String {
        try screen().split(separator: "\n").last.map(String.init) ?? ""
    }

    private func check(_ result: (status: Int32, output: String)) throws {
        guard result.status == 0 else { throw Failure(description: "tmux failed (\(result.status)): \(result.output)") }
    }

    /// Runs tmux on the private server with `posix_spawn` and `waitpid` (Foundation's `Process`
    /// can miss the exit of the short-lived tmux client). Output goes to a file, not a pipe: the
    /// server that `new-session` starts inherits the descriptors and keeps them open.
    private func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let tmuxPath = TmuxSession.executable(named: "tmux") ?? "/usr/bin/tmux"
        let outputPath = home + ".tmux-output-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The tmux server is started from here and lives on: give it (and the program under test)
        // no blocked signals and default dispositions, whatever this test thread had.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = [tmuxPath, "-L", socket] + arguments
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        defer { for arg in cArgs { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmuxPath, &actions, &attributes, cArgs, environ)
        guard spawned == 0 else { throw Failure(description: "could not start tmux: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return (exitStatus, String(decoding: data, as: UTF8.self))
    }

    /// Single-quotes `value` for `/bin/sh`.
    public static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// True in the test process that `scripts/test` starts for the suites that must not share a
/// process with the others (`ATS_ISOLATED_TESTS=1`): the in-process SIGINT tests signal the
/// whole process, and the tmux tests time a real terminal, which parallel suites slow down.
public let runsIsolatedSuites = ProcessInfo.processInfo.environment["ATS_ISOLATED_TESTS"] == "1"
