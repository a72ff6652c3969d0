// Helpers for the reliability tests: a misbehaving JP1/AO server (log-in works, then the
// chosen fault), a server-side concurrency count, peak memory of a child process, and a
// scan of text for secrets.
import Foundation

extension TestHTTPServer {
    /// A server that answers the log-in requests `ats` makes on `connect` (`GET /user`,
    /// `GET /configuration/version`) like JP1/AO, and every other request with `fault(request)`.
    public static func misbehaving(_ fault: @escaping @Sendable (Request) -> Reply) async throws -> TestHTTPServer {
        try await TestHTTPServer { request in
            let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
            if request.method == "GET", path.hasSuffix("/Automation/v1/user") {
                return ao(200, #"{"instanceID":1,"name":"system","displayName":"System","mailAddress":"","description":"","groups":[]}"#)
            }
            if request.method == "GET", path.hasSuffix("/Automation/v1/configuration/version") {
                return ao(200, #"{"productName":"JP1/Automatic Operation","productVersion":"12-60-00","apiVersion":"01.01.00"}"#)
            }
            return fault(request)
        }
    }

    /// The requests that were not part of logging in.
    public var faultRequests: [Request] {
        requests.filter { !$0.uri.contains("/Automation/v1/user") && !$0.uri.contains("/configuration/version") }
    }
}

/// A finished child process with its peak resident memory.
public struct MeasuredProcess: Sendable {
    public var result: ProcessResult
    /// The largest `VmHWM` (peak RSS) seen in `/proc/PID/status`, in KiB.
    public var peakKiB: Int
}

/// A numeric field of `/proc/PID/status` (`VmHWM:\t  2028 kB`, `Threads:\t4`): sizes in KiB, counts as they are.
public func procStatusKiB(pid: Int32, field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
    return nil
}

/// The number of open file descriptors of a process (entries of `/proc/PID/fd`).
public func openFileDescriptors(pid: Int32) -> Int? {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count
}

/// Starts the built `ats` with no standard input, collecting its standard output and error.
private func startATS(
    _ arguments: [String], environment: [String: String]
) throws -> (Process, stdout: PipeCollector, stderr: PipeCollector) {
    let process = Process()
    process.executableURL = BuiltProducts.ats
    process.arguments = arguments
    process.environment = childEnvironment(environment)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return (process, PipeCollector(out.fileHandleForReading), PipeCollector(err.fileHandleForReading))
}

/// Runs the built `ats` and samples its peak RSS every 10 ms until it ends.
public func runATSMeasured(
    _ arguments: [String], environment: [String: String] = [:], timeout: Double = 60
) throws -> MeasuredProcess {
    var peak = 0
    let result = try runATSSampling(arguments, environment: environment, timeout: timeout) { pid in
        if let hwm = procStatusKiB(pid: pid, field: "VmHWM") { peak = max(peak, hwm) }
    }
    return MeasuredProcess(result: result, peakKiB: peak)
}

/// Runs the built `ats`, calling `sample` with its pid every 10 ms until it ends; past
/// `timeout` seconds it is killed and the result says `timedOut`.
func runATSSampling(
    _ arguments: [String], environment: [String: String], timeout: Double, sample: (Int32) -> Void
) throws -> ProcessResult {
    let (process, stdout, stderr) = try startATS(arguments, environment: environment)
    let pid = process.processIdentifier
    let exited = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        process.waitUntilExit()
        exited.signal()
    }
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    while exited.wait(timeout: .now() + 0.01) == .timedOut {
        sample(pid)
        if Date() > deadline {
            timedOut = true
            kill(pid, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
            break
        }
    }
    return ProcessResult(
        stdout: stdout.text(), stderr: stderr.text(), exitCode: timedOut ? -1 : process.terminationStatus, timedOut: timedOut)
}

/// Runs the built `ats`, sends it SIGINT (Ctrl-C) once its standard error contains `marker`
/// (checked every 10 ms, up to `timeout` seconds), and returns the result with the seconds
/// from the signal to the process's end (nil when the marker never came).
public func runATSInterrupting(
    _ arguments: [String], environment: [String: String] = [:], when marker: String, timeout: Double = 30
) throws -> (result: ProcessResult, secondsAfterSignal: Double?) {
    try runATSInterrupting(arguments, environment: environment, timeout: timeout) { $0.contains(marker) }
}

/// Runs the built `ats` and sends it SIGINT once `ready` holds (given its standard error so
/// far; checked every 10 ms, up to `timeout` seconds): e.g. once a test server has the request.
public func runATSInterrupting(
    _ arguments: [String], environment: [String: String] = [:], timeout: Double = 30, when ready: (String) -> Bool
) throws -> (result: ProcessResult, secondsAfterSignal: Double?) {
    let (process, stdout, stderr) = try startATS(arguments, environment: environment)
    let exited = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        process.waitUntilExit()
        exited.signal()
    }
    let deadline = Date().addingTimeInterval(timeout)
    var signalled: Date?
    while exited.wait(timeout: .now() + 0.01) == .timedOut {
        if signalled == nil, ready(stderr.current) {
            signalled = Date()
            kill(process.processIdentifier, SIGINT)
        }
        if Date() > deadline {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
            return (ProcessResult(stdout: stdout.text(), stderr: stderr.text(), exitCode: -1, timedOut: true), nil)
        }
    }
    let elapsed = signalled.map { Date().timeIntervalSince($0) }
    return (ProcessResult(stdout: stdout.text(), stderr: stderr.text(), exitCode: process.terminationStatus, timedOut: false), elapsed)
}

/// Finds secrets in text: given literal values, and anything shaped like an HSSO token.
public struct SecretScanner: Sendable {
    /// Literal secrets (a password, a Basic credential, tokens seen on the wire).
    public var literals: [String]

    public init(literals: [String]) { self.literals = literals.filter { !$0.isEmpty } }

    /// The secrets found in `text`, described (never the secret itself in full).
    public func findings(in text: String, place: String) -> [String] {
        var found: [String] = []
        for literal in literals where text.contains(literal) {
            found.append("\(place): a secret (\(literal.prefix(3))…, \(literal.count) chars)")
        }
        for token in Self.hssoTokens(in: text) {
            found.append("\(place): an HSSO token (\(token.prefix(6))…_V0810)")
        }
        return found
    }

    /// Substrings shaped like an HSSO token: `<hex>_<base64>=_V0810` (reference §1.5).
    public static func hssoTokens(in text: String) -> [String] {
        var tokens: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "_V0810") {
            var start = r.lowerBound
            while start > rest.startIndex {
                let previous = rest.index(before: start)
                let c = rest[previous]
                guard c.isLetter || c.isNumber || c == "_" || c == "=" || c == "+" || c == "/" else { break }
                start = previous
            }
            let candidate = String(rest[start..<r.upperBound])
            // A masked value (`********_V0810`) or the bare suffix is not a token.
            if candidate.count > 20 { tokens.append(candidate) }
            rest = rest[r.upperBound...]
        }
        return tokens
    }
}

/// What `/proc/PID` showed when a script reached one of its checkpoints.
public struct ResourceSample: Sendable, CustomStringConvertible {
    /// Resident memory (`VmRSS`), KiB.
    public var rssKiB: Int
    /// Open file descriptors.
    public var fds: Int
    /// Threads (`Threads`).
    public var threads: Int

    public var description: String { "RSS \(rssKiB) KiB, \(fds) fds, \(threads) threads" }
}

/// Runs the built `ats` on a script that announces checkpoints by creating files (e.g.
/// `write_file "DIR/warm" "x"` and then `sleep 2s`). From the moment a checkpoint's file
/// appears until the next one's does (or the process ends), the process's RSS, fds and
/// threads are sampled every 10 ms, and the checkpoint keeps the lowest of each: the settled
/// value, once connections that were closing have closed. A leak stays in every sample.
/// Returns the result and the settled sample of each checkpoint.
public func runATSWithCheckpoints(
    _ arguments: [String], checkpoints: [String], environment: [String: String] = [:], timeout: Double = 120
) throws -> (ProcessResult, [String: ResourceSample]) {
    var samples: [String: ResourceSample] = [:]
    var current = -1
    let result = try runATSSampling(arguments, environment: environment, timeout: timeout) { pid in
        while current + 1 < checkpoints.count, FileManager.default.fileExists(atPath: checkpoints[current + 1]) { current += 1 }
        guard current >= 0 else { return }
        let now = ResourceSample(
            rssKiB: procStatusKiB(pid: pid, field: "VmRSS") ?? 0, fds: openFileDescriptors(pid: pid) ?? 0,
            threads: procStatusKiB(pid: pid, field: "Threads") ?? 0)
        // A read of /proc that failed (0) is not a sample.
        guard now.rssKiB > 0, now.fds > 0, now.threads > 0 else { return }
        let name = checkpoints[current]
        guard let kept = samples[name] else {
            samples[name] = now
            return
        }
        samples[name] = ResourceSample(
            rssKiB: min(kept.rssKiB, now.rssKiB), fds: min(kept.fds, now.fds), threads: min(kept.threads, now.threads))
    }
    return (result, samples)
}
