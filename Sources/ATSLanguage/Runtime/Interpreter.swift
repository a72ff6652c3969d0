import ATSJSON

/// How a run ended.
public enum RunOutcome: Sendable {
    /// Ran to the end; the last top-level statement's value, if it had one.
    case finished(Value?)
    /// `exit N`.
    case exited(Int32)
    /// An uncaught runtime error (it carries its location).
    case failed(ErrorValue)
    /// The source did not parse or check; nothing ran.
    case syntaxError([Diagnostic])
    /// Ctrl-C (the `InterruptFlag` was raised).
    case interrupted

    /// The process exit code: 0, N, 1, 2 or 130.
    public var exitCode: Int32 {
        switch self {
        case .finished: return 0
        case .exited(let n): return n
        case .failed: return 1
        case .syntaxError: return 2
        case .interrupted: return 130
        }
    }
}

/// Runs scripts: keeps the global scope across `run` calls (the REPL runs line by line).
public final class Interpreter: @unchecked Sendable {
    /// How deep user functions may call each other before the run fails cleanly.
    public static let maxCallDepth = 1000
    /// The stack size of `onInterpreterThread`.
    public static let stackSize = 64 << 20

    let host: (any Host)?
    let output: any OutputSink
    let interrupt: InterruptFlag
    let isInteractive: Bool
    let arguments: [String]
    let environment: [String: String]
    /// Where `now()` and `sleep` read and spend time.
    let clock: any WallClock
    /// Where `read_file`, `write_file` and `source` find files.
    let files: any FileSystem
    let builtins: [String: Builtin]
    let hostSignatures: [String: CommandSignature]
    let globalScope = Scope(parent: nil, kind: .global)
    /// The compiled patterns of `=~`.
    let regexCache = RegexCache(capacity: 128)
    private var mainContext: ExecContext!
    private(set) var globalFrame: Frame!
    private var globalDefined: [Bool] = []
    var lastValue: Value?
    private(set) var sources: [Source] = []
    private var sourceNesting = 0

    public init(host: (any Host)?, output: any OutputSink, interrupt: InterruptFlag, isInteractive: Bool,
                arguments: [String] = [], environment: [String: String] = [:],
                clock: any WallClock = MachineClock(), files: any FileSystem = LocalFileSystem()) {
        self.clock = clock
        self.files = files
        self.host = host
        self.output = output
        self.interrupt = interrupt
        self.isInteractive = isInteractive
        self.arguments = arguments
        self.environment = environment
        self.builtins = Builtins.table
        self.hostSignatures = Language.hostTable(host?.signatures ?? [])
        mainContext = ExecContext(interpreter: self, interrupt: interrupt, parallel: false)
        globalFrame = Frame(size: 64, parent: nil, ctx: mainContext)
        var env = ValueObject()
        for k in environment.keys.sorted() { env.appendUnchecked(k, .string(environment[k]!)) }
        define("env", .object(env))
        define("args", .list(arguments.map(Value.string)))
    }

    private func define(_ name: String, _ value: Value) {
        let b = globalScope.declare(name, range: nil)
        globalFrame.ensure(globalScope.slotCount)
        globalFrame.slots[b.slot] = value
        markGlobalDefined(b.slot)
    }

    func isGlobalDefined(_ slot: Int) -> Bool { slot < globalDefined.count && globalDefined[slot] }

    func markGlobalDefined(_ slot: Int) {
        if slot >= globalDefined.count { globalDefined += Array(repeating: false, count: slot + 1 - globalDefined.count) }
        globalDefined[slot] = true
    }

    /// Parses and compiles `source` in the global scope, knowing the functions defined so far.
    /// On errors the scope is left as it was, so no later statement sees a name from a failed compile.
    private func compile(_ source: Source, lenient: Bool) -> Result<Exec, DiagnosticList> {
        var table = Language.signatureTable(builtins, hostSignatures)
        for s in userFunctionSignatures where table[s.name] == nil { table[s.name] = s }
        let (program, parseDiagnostics) = Language.parse(source, signatures: table, shapes: Language.shapes(builtins))
        if !parseDiagnostics.isEmpty { return .failure(DiagnosticList(diagnostics: parseDiagnostics)) }
        let savedBlocks = globalScope.blocks
        let savedCount = globalScope.slotCount
        let compiler = Compiler(info: SourceInfo(source), global: globalScope, builtins: builtins, hostSignatures: hostSignatures,
                                maxCallDepth: Interpreter.maxCallDepth)
        compiler.lenient = lenient
        let exec = compiler.compileProgram(program)
        if compiler.diagnostics.contains(where: { $0.severity == .error }) {
            globalScope.blocks = savedBlocks
            globalScope.slotCount = savedCount
            return .failure(DiagnosticList(diagnostics: compiler.diagnostics))
        }
        sources.append(source)
        globalFrame.ensure(globalScope.slotCount)
        return .success(exec)
    }

    /// Parses and runs `source` in the global scope, which persists across calls.
    /// Runs on the calling thread: call it from `onInterpreterThread` so deep recursion has room.
    public func run(_ source: Source) -> RunOutcome {
        let exec: Exec
        switch compile(source, lenient: false) {
        case .success(let e): exec = e
        case .failure(let list): return .syntaxError(list.diagnostics)
        }
        lastValue = nil
        mainContext.depth = 0
        mainContext.quiet = 0
        do {
            _ = try exec(globalFrame)
            return .finished(lastValue)
        } catch {
            switch error {
            case .error(let e): return .failed(e)
            case .exit(let n): return .exited(n)
            case .interrupted: return .interrupted
            }
        }
    }

    /// `source FILE`: runs another file in the global scope.
    func runSourced(path given: String, site: Site, ctx: ExecContext) throws(Unwind) {
        // A relative path is looked up next to the sourcing file first, then in the working directory.
        var path = given
        let from = site.info.source.name
        if !given.hasPrefix("/"), let slash = from.lastIndex(of: "/") {
            let candidate = String(from[...slash]) + given
            if files.exists(candidate) { path = candidate }
        }
        let text: String
        do throws(FileError) {
            text = try files.readText(path)
        } catch {
            throw .error(Interpreter.scriptError(.fileError(path: error.path, reason: error.reason), at: site))
        }
        guard sourceNesting < 64 else {
            throw .error(Interpreter.scriptError(.invalidArgument(function: "source", detail: "files source each other too deeply"), at: site))
        }
        let source = Source(name: path, text: text)
        let exec: Exec
        switch compile(source, lenient: true) {
        case .success(let e): exec = e
        case .failure(let list):
            let rendered = DiagnosticRenderer(color: false).render(list.diagnostics, in: source)
            throw .error(ErrorValue(kind: "script", summary: "\(path) has errors", details: rendered.split(separator: "\n").map(String.init),
                                    command: "source \(path)", fields: ValueObject([("message", .string("\(path) has errors"))]),
                                    location: site.location))
        }
        sourceNesting += 1
        defer { sourceNesting -= 1 }
        _ = try exec(globalFrame)
    }

    /// Runs `body` on a dedicated thread with a large stack (64 MB) and waits for it.
    public static func onInterpreterThread<T: Sendable>(_ body: @Sendable @escaping () -> T) -> T {
        let result = ResultBox<T>()
        System.runOnThread(stackSize: stackSize) { result.value = body() }
        return result.value!
    }

    /// Variables and functions of the global scope, for completion and `vars`.
    public var globalNames: [String] {
        globalScope.blocks[0].filter { isGlobalDefined($0.value.slot) }.sorted { $0.value.slot < $1.value.slot }.map(\.key)
    }

    /// The commands a line may use: the language's own, the host's, and the user's functions.
    public var commandSignatures: [CommandSignature] {
        Language.builtinSignatures + (host?.signatures ?? []) + userFunctionSignatures
    }

    var userFunctionSignatures: [CommandSignature] {
        var out: [CommandSignature] = []
        for (name, b) in globalScope.blocks[0].sorted(by: { $0.value.slot < $1.value.slot }) {
            guard let params = b.function, isGlobalDefined(b.slot) else { continue }
            out.append(Parser.signature(function: name, parameters: params))
        }
        return out
    }

    /// The value of a global variable or function, if defined.
    public func globalValue(_ name: String) -> Value? {
        guard let b = globalScope.blocks[0][name], isGlobalDefined(b.slot) else { return nil }
        return globalFrame.slots[b.slot]
    }

    /// The sources run so far (for rendering errors).
    public var sourcesRun: [Source] { sources }

    func globalsObject() -> ValueObject {
        var o = ValueObject()
        for name in globalNames where name != "env" && name != "args" {
            if let v = globalValue(name) { o.appendUnchecked(name, v) }
        }
        return o
    }

    // MARK: - Shared helpers

    static func scriptError(_ e: RuntimeError, at site: Site) -> ErrorValue {
        let summary = e.summary
        return ErrorValue(kind: "script", summary: summary, fields: ValueObject([("message", .string(summary))]), location: site.location)
    }

    /// `value.name`: objects' members, errors' fields; `null` otherwise (as in jq).
    static func member(_ v: Value, _ name: String) -> Value {
        switch v {
        case .object(let o): return o[name] ?? .null
        case .error(let e): return e.allFields[name] ?? .null
        default: return .null
        }
    }

    /// `value[index]`: lists by integer (negative from the end), objects by key, strings by character.
    static func index(_ v: Value, _ i: Value) -> Result<Value, RuntimeError> {
        switch (v, i) {
        case (.null, _): return .success(.null)
        case (.list(let l), .int(let n)):
            let k = n < 0 ? l.count + n : n
            return .success(k >= 0 && k < l.count ? l[k] : .null)
        case (.object, .string(let key)), (.error, .string(let key)): return .success(member(v, key))
        case (.string(let s), .int(let n)):
            let k = n < 0 ? s.count + n : n
            guard k >= 0, k < s.count else { return .success(.null) }
            return .success(.string(String(s[s.index(s.startIndex, offsetBy: k)])))
        default: return .failure(.badIndex(container: v.typeName, index: i.typeName))
        }
    }
}

final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
