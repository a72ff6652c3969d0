import ATSJSON
import ATSLanguage
#if canImport(Glibc)
import Glibc
#endif

/// Collects what a script prints: values as compact JSON lines (null prints nothing, as in
/// the shell), text as written, and standard error.
final class CollectingSink: OutputSink, @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var _out = ""
    private var _err = ""
    /// Called (outside the lock) with each text written to standard output: a test's event
    /// that the script got that far.
    var onWrite: (@Sendable (String) -> Void)?

    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    var stdout: String { locked { _out } }
    var stderr: String { locked { _err } }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return body()
    }

    func emit(_ value: Value) {
        if case .null = value { return }
        let text = JSONWriter.compact.string(value.toJSON())
        locked { _out += text + "\n" }
    }

    func write(_ text: String) {
        locked { _out += text }
        onWrite?(text)
    }
    func writeError(_ text: String) { locked { _err += text } }
}

/// A small host for the language's tests: a few API-like commands returning canned objects.
/// (The language knows no HTTP; the real commands live in the shell.)
final class TestHost: Host, @unchecked Sendable {
    static let tasks: [Value] = [
        task(5381, "Backup Database", "completed", "2015-08-07T19:00:40.025+0900"),
        task(5382, "Restart Web", "failed", "2015-08-07T19:10:00.000+0900"),
        task(5383, "Rotate Logs", "inProgress", "2015-08-07T20:00:00.000+09:00"),
        task(5384, "Ask Operator", "waitingResponse", "2015-08-07T08:00:00Z"),
        task(5385, "Check Disk", "failed", "2015-08-08T01:00:00.000+0900"),
    ]

    static func task(_ id: Int, _ name: String, _ status: String, _ start: String) -> Value {
        .object(ValueObject([
            ("instanceID", .int(id)), ("name", .string(name)), ("status", .string(status)), ("startTime", .string(start)),
        ]))
    }

    let signatures: [CommandSignature] = [
        CommandSignature("tasks", summary: "list tasks",
                         options: [OptionSpec("status", .value(name: "S"), help: "filter by status"),
                                   OptionSpec("limit", .value(name: "N"), help: "at most N")]),
        CommandSignature("task", summary: "one task", parameters: [ParameterSpec("ID", help: "task id")]),
        CommandSignature("stop", summary: "stop tasks", parameters: [ParameterSpec("ID", .variadic, help: "task ids")],
                         options: [OptionSpec("force", help: "force stop")], isDestructive: true),
        CommandSignature("submit", summary: "submit a service", parameters: [ParameterSpec("SERVICE", help: "")],
                         options: [OptionSpec("param", .repeated(name: "K=V"), help: ""), OptionSpec("name", .value(name: "N"), help: "")]),
        CommandSignature("history", summary: "task histories", options: [OptionSpec("from", .value(name: "DATE"), help: "")]),
        CommandSignature("history delete", summary: "delete histories", parameters: [ParameterSpec("ID", .variadic, help: "")]),
        CommandSignature("slow", summary: "waits 20 ms, returns its argument", parameters: [ParameterSpec("X", help: "")]),
        CommandSignature("json", summary: "print the input as JSON", takesInput: true),
        CommandSignature("dry-run", summary: "switch", parameters: [ParameterSpec("ON", help: "")]),
    ]

    func run(_ call: CommandCall, context: CommandContext) throws(ErrorValue) -> Value {
        switch call.signature.name {
        case "tasks":
            var list = TestHost.tasks
            if case .string(let s)? = call.options["status"] {
                let wanted = s.split(separator: ",").map(String.init)
                list = list.filter { if case .object(let o) = $0, case .string(let st)? = o["status"] { return wanted.contains(st) }; return false }
            }
            if case .int(let n)? = call.options["limit"] { list = Array(list.prefix(n)) }
            return .list(list)
        case "task":
            guard let t = find(call.arguments.first) else { throw notFound(call) }
            return t
        case "stop":
            var out: [Value] = []
            for id in call.arguments {
                guard find(id) != nil else { throw notFound(call) }
                out.append(.object(ValueObject([("instanceID", id), ("stopped", .bool(true)), ("force", .bool(call.flag("force")))])))
            }
            return out.count == 1 ? out[0] : .list(out)
        case "submit":
            var o = ValueObject([("service", call.arguments.first ?? .null)])
            o["params"] = call.options["param"] ?? .list([])
            if let n = call.options["name"] { o["name"] = n }
            return .object(o)
        case "history":
            return .list([.object(ValueObject([("from", call.options["from"] ?? .null)]))])
        case "history delete":
            return .object(ValueObject([("deleted", .list(call.arguments))]))
        case "slow":
            var ts = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            nanosleep(&ts, nil)
            return call.arguments.first ?? .null
        case "json":
            context.output.write(JSONWriter.pretty.string((call.input ?? .null).toJSON()) + "\n")
            return .null
        case "dry-run":
            return .null
        default:
            throw ErrorValue(kind: .script, summary: "not implemented")
        }
    }

    private func find(_ id: Value?) -> Value? {
        TestHost.tasks.first { t in
            if case .object(let o) = t, let i = o["instanceID"], let id { return Value.equal(i, id) }
            return false
        }
    }

    private func notFound(_ call: CommandCall) -> ErrorValue {
        ErrorValue(kind: .http, summary: "404 Not Found", details: ["server: KNAE02102-E The task does not exist."],
                   command: call.text,
                   fields: ValueObject([("status", .int(404)), ("reason", .string("Not Found")), ("messageID", .string("KNAE02102-E"))]))
    }
}

/// The result of running a script the way `ats FILE` would.
struct ScriptRun {
    var stdout: String
    var stderr: String
    var code: Int32
}

enum Harness {
    static let host = TestHost()

    /// Runs `text` with the test host on a big-stack thread; errors rendered as the shell would.
    static func run(_ text: String, name: String = "test.ats", arguments: [String] = [], interrupt: InterruptFlag = InterruptFlag()) -> ScriptRun {
        let sink = CollectingSink()
        let outcome = Interpreter.onInterpreterThread {
            let interpreter = Interpreter(host: host, output: sink, interrupt: interrupt, isInteractive: false,
                                          arguments: arguments, environment: ["HOME": "/home/op", "ATS_TEST": "1"])
            return interpreter.run(Source(name: name, text: text))
        }
        var err = sink.stderr
        let renderer = DiagnosticRenderer(color: false)
        switch outcome {
        case .syntaxError(let d): err += renderer.render(d, in: Source(name: name, text: text))
        case .failed(let e): err += renderer.render(e, sources: [Source(name: name, text: text)])
        case .interrupted: err += "interrupted\n"
        case .finished, .exited: break
        }
        return ScriptRun(stdout: sink.stdout, stderr: err, code: outcome.exitCode)
    }

    /// Every `.ats` file under `Scripts/`, as `feature/name`.
    static func goldenScripts() -> [String] {
        let root = scriptsRoot
        var out: [String] = []
        for dir in listDirectory(root).sorted() {
            for file in listDirectory(root + "/" + dir).sorted() where file.hasSuffix(".ats") {
                out.append(dir + "/" + String(file.dropLast(4)))
            }
        }
        return out
    }

    static var scriptsRoot: String {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Scripts"
    }

    static var repositoryRoot: String {
        let file = #filePath
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    static func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n > 0 { bytes += buffer[0..<n] }
            if n < buffer.count { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let commands: [CommandSignature] = host.signatures

    static func write(_ path: String, _ text: String) {
        guard let f = fopen(path, "wb") else { return }
        _ = Array(text.utf8).withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }
}

/// A deterministic pseudo-random generator (SplitMix64) for the fuzz test.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
