// Subprocess helpers for the end-to-end tests: run the built `ats` binary and capture what
// it prints; start `ats sim --port 0` and read its port.
import Foundation

/// What a finished process printed and how it exited.
public struct ProcessResult: Sendable, CustomStringConvertible {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32
    /// True when the process was killed after its time limit.
    public var timedOut: Bool

    public var description: String {
        "exit \(exitCode)\(timedOut ? " (timed out)" : "")\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// Where the built products are: the directory of the running test executable.
public enum BuiltProducts {
    public static var directory: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On macOS the test bundle's executable sits in X.xctest/Contents/MacOS.
        while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir
    }

    /// The `ats` executable.
    public static var ats: URL { directory.appendingPathComponent("ats") }
}

/// Collects a pipe's bytes on a background thread (so a full pipe never blocks the child).
final class PipeCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                data.append(chunk)
                lock.unlock()
            }
            done.signal()
        }
    }

    /// What has arrived so far.
    var current: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    func text(waitUpTo seconds: Double = 5) -> String {
        _ = done.wait(timeout: .now() + seconds)
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs an executable with arguments, standard input and environment; kills it after
/// `timeout` seconds.
public func runProcess(
    _ executable: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    inheritEnvironment: Bool = true, directory: URL? = nil, timeout: Double = 60
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = childEnvironment(environment, inherit: inheritEnvironment)
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    let stdoutCollector = PipeCollector(out.fileHandleForReading)
    let stderrCollector = PipeCollector(err.fileHandleForReading)
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    let exited = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        process.waitUntilExit()
        exited.signal()
    }
    var timedOut = false
    if exited.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        process.terminate()
        if exited.wait(timeout: .now() + 5) == .timedOut { kill(process.processIdentifier, SIGKILL) }
    }
    return ProcessResult(
        stdout: stdoutCollector.text(), stderr: stderrCollector.text(),
        exitCode: timedOut ? -1 : process.terminationStatus, timedOut: timedOut)
}

/// The environment of a child process: this process's (unless `inherit` is false) without
/// the `ATS_*` settings and colour switches that would change what `ats` does, plus `extra`.
func childEnvironment(_ extra: [String: String], inherit: Bool = true) -> [String: String] {
    var env = inherit ? ProcessInfo.processInfo.environment : [:]
    for key in ["ATS_URL", "ATS_USER", "ATS_PASSWORD", "ATS_PROFILE", "NO_COLOR", "ATS_FORCE_TTY"] { env[key] = nil }
    for (k, v) in extra { env[k] = v }
    return env
}

/// Runs the built `ats` with arguments and standard input.
public func runATS(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    directory: URL? = nil, timeout: Double = 60
) throws -> ProcessResult {
    try runProcess(BuiltProducts.ats, arguments, stdin: stdin, environment: environment, directory: directory, timeout: timeout)
}

/// The arguments that point `ats` at a server over HTTP as `system`, the password in `$PW`
/// (see `passwordEnvironment`), with an optional `--timeout`.
public func against(_ url: String, timeout: String? = nil) -> [String] {
    ["--url", url, "--user", "system", "--password-env", "PW"] + (timeout.map { ["--timeout", $0] } ?? [])
}

/// The environment holding the simulator's password for `against`.
public let passwordEnvironment = ["PW": "manager"]

/// A temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ats-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes a file in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
