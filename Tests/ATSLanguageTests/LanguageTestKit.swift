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

/// A small host for the language's own tests. It has no API commands: those, and every
/// script that calls them, run against the simulator in the shell's tests
/// (`Tests/ATSShellTests/CLIGolden/language`). These commands exist only to exercise the
/// language: how a call binds its arguments and options, a command of two words, a fixed
/// table to feed pipelines, a command that fails, one that takes time, one that reads its
/// input.
final class TestHost: Host, @unchecked Sendable {
    /// The table `sample` returns: five records, fixed, for pipelines and loops.
    static let records: [Value] = [
        record(1, "backup", "done", "2015-08-07T19:00:40.025+0900"),
        record(2, "restart", "failed", "2015-08-07T19:10:00.000+0900"),
        record(3, "rotate", "running", "2015-08-07T20:00:00.000+09:00"),
        record(4, "ask", "waiting", "2015-08-07T08:00:00Z"),
        record(5, "check", "failed", "2015-08-08T01:00:00.000+0900"),
    ]

    static func record(_ id: Int, _ name: String, _ state: String, _ start: String) -> Value {
        .object(ValueObject([("id", .int(id)), ("name", .string(name)), ("state", .string(state)), ("start", .string(start))]))
    }

    static let filters = [
        OptionSpec("state", .value(name: "S"), help: "only records in these states (comma-separated)"),
        OptionSpec("limit", .value(name: "N"), help: "at most N"),
    ]

    let signatures: [CommandSignature] = [
        CommandSignature("call", summary: "returns its arguments and options as it received them",
                         parameters: [ParameterSpec("ARG", .variadic, help: "anything")],
                         options: [OptionSpec("force", help: "a flag"), OptionSpec("name", .value(name: "N"), help: "a value"),
                                   OptionSpec("param", .repeated(name: "K=V"), help: "a repeated value")] + TestHost.filters),
        CommandSignature("sample", summary: "the fixed table of five records", options: TestHost.filters),
        CommandSignature("sample drop", summary: "a command of two words", parameters: [ParameterSpec("ID", .variadic, help: "")]),
        CommandSignature("one", summary: "one record of the table", parameters: [ParameterSpec("ID", help: "its id")]),
        CommandSignature("fail", summary: "fails with CODE", parameters: [ParameterSpec("CODE", help: "")]),
        CommandSignature("slow", summary: "waits 20 ms, returns its argument", parameters: [ParameterSpec("X", help: "")]),
        CommandSignature("json", summary: "print the input as JSON", takesInput: true),
    ]

    func run(_ call: CommandCall, context: CommandContext) throws(ErrorValue) -> Value {
        switch call.signature.name {
        case "call":
            var options = ValueObject()
            for (name, value) in call.options.sorted(by: { $0.key < $1.key }) { options[name] = value }
            return .object(ValueObject([("arguments", .list(call.arguments)), ("options", .object(options))]))
        case "sample":
            var list = TestHost.records
            if case .string(let s)? = call.options["state"] {
                let wanted = s.split(separator: ",").map(String.init)
                list = list.filter { if case .object(let o) = $0, case .string(let st)? = o["state"] { return wanted.contains(st) }; return false }
            }
            if case .int(let n)? = call.options["limit"] { list = Array(list.prefix(n)) }
            return .list(list)
        case "sample drop":
            return .object(ValueObject([("dropped", .list(call.arguments))]))
        case "one":
            let found = TestHost.records.first { r in
                if case .object(let o) = r, let i = o["id"], let id = call.arguments.first { return Value.equal(i, id) }
                return false
            }
            guard let found else { throw fail(call, code: 404) }
            return found
        case "fail":
            guard case .int(let code)? = call.arguments.first else { throw ErrorValue(kind: .script, summary: "fail needs a number") }
            throw fail(call, code: code)
        case "slow":
            var ts = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            nanosleep(&ts, nil)
            return call.arguments.first ?? .null
        case "json":
            context.output.write(JSONWriter.pretty.string((call.input ?? .null).toJSON()) + "\n")
            return .null
        default:
            throw ErrorValue(kind: .script, summary: "not implemented")
        }
    }

    private func fail(_ call: CommandCall, code: Int) -> ErrorValue {
        ErrorValue(kind: .script, summary: "failed with \(code)", details: ["the test host was asked to fail"],
                   command: call.text, fields: ValueObject([("code", .int(code))]))
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
