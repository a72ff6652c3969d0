/// Is a (possibly multi-line) input ready to run?
public enum ParseResult: Sendable {
    case complete
    /// An open block, string or bracket, or a trailing `|` or operator: read another line.
    case needsMoreInput
    case failed([Diagnostic])
}

/// The language's entry points for the shell, the REPL, `ats check` and `ats fmt`.
///
/// Each runs on an interpreter thread (deep nesting needs the big stack): inline when the
/// caller is on one already (a session's `InterpreterThread`), else on `InterpreterThread.shared`.
public enum Language {
    /// For the REPL: is this input complete, incomplete, or wrong?
    public static func classify(_ source: Source, commands: [CommandSignature]) -> ParseResult {
        let (diagnostics, continued) = InterpreterThread.shared.call { () -> ([Diagnostic], Bool) in
            var parser = Parser(text: source.text, signatures: signatureTable(Builtins.table, hostTable(commands)), shapes: shapes(Builtins.table))
            _ = parser.parseProgram()
            return (parser.diagnostics, parser.endsInContinuation)
        }
        if diagnostics.isEmpty { return continued ? .needsMoreInput : .complete }
        if diagnostics.contains(where: \.isIncompleteInput) { return .needsMoreInput }
        return .failed(diagnostics)
    }

    /// `ats check`: every error in the file (syntax, unknown command or option with
    /// did-you-mean, undefined variable, arity).
    public static func check(_ source: Source, commands: [CommandSignature]) -> [Diagnostic] {
        InterpreterThread.shared.call { checkHere(source, commands: commands) }
    }

    static func checkHere(_ source: Source, commands: [CommandSignature]) -> [Diagnostic] {
        let builtins = Builtins.table
        let hosts = hostTable(commands)
        let (program, diagnostics) = parse(source, signatures: signatureTable(builtins, hosts), shapes: shapes(builtins))
        let global = Scope(parent: nil, kind: .global)
        _ = global.declare("env", range: nil)
        _ = global.declare("args", range: nil)
        let compiler = Compiler(info: SourceInfo(source), global: global, builtins: builtins, hostSignatures: hosts,
                                maxCallDepth: Interpreter.maxCallDepth)
        _ = compiler.compileProgram(program)
        return (diagnostics + compiler.diagnostics).sorted { $0.range.start < $1.range.start }
    }

    /// `ats fmt`: the canonical formatting; throws the syntax errors.
    public static func format(_ source: Source, commands: [CommandSignature]) throws(DiagnosticList) -> String {
        let result: Result<String, DiagnosticList> = InterpreterThread.shared.call {
            let builtins = Builtins.table
            var parser = Parser(text: source.text, signatures: signatureTable(builtins, hostTable(commands)), shapes: shapes(builtins))
            let program = parser.parseProgram()
            if !parser.diagnostics.isEmpty { return .failure(DiagnosticList(diagnostics: parser.diagnostics)) }
            var printer = Printer(bytes: parser.bytes, comments: parser.comments)
            return .success(printer.print(program))
        }
        switch result {
        case .success(let s): return s
        case .failure(let e): throw e
        }
    }

    /// The syntax tree of a source and its syntax errors (every independent one).
    public static func parse(_ source: Source, commands: [CommandSignature]) -> (Program, [Diagnostic]) {
        InterpreterThread.shared.call {
            let builtins = Builtins.table
            return parse(source, signatures: signatureTable(builtins, hostTable(commands)), shapes: shapes(builtins))
        }
    }

    /// Signatures of the language's own commands and stages (for help and completion).
    /// The reserved words, which no variable or function may be named, sorted.
    public static let reservedWords: [String] = Parser.keywords.sorted()

    /// The statement forms that start with a word and are not reserved (`quiet { … }`).
    public static let statementWords: [String] = ["quiet"]

    public static var builtinSignatures: [CommandSignature] {
        let stages = StageKind.allCases.map { Builtins.stageSignatures[$0]!.0 }
        return Builtins.table.values.map(\.signature).sorted { $0.name < $1.name } + stages
    }

    // MARK: - Internal

    static func parse(_ source: Source, signatures: [String: CommandSignature], shapes: [String: CommandShape]) -> (Program, [Diagnostic]) {
        var parser = Parser(text: source.text, signatures: signatures, shapes: shapes)
        let program = parser.parseProgram()
        return (program, parser.diagnostics)
    }

    static func hostTable(_ commands: [CommandSignature]) -> [String: CommandSignature] {
        let own = Set(Builtins.table.keys).union(StageKind.allCases.map(\.rawValue))
        var table: [String: CommandSignature] = [:]
        for c in commands where !own.contains(c.name) { table[c.name] = c }
        return table
    }

    static func signatureTable(_ builtins: [String: Builtin], _ hosts: [String: CommandSignature]) -> [String: CommandSignature] {
        var table = hosts
        for (k, b) in builtins { table[k] = b.signature }
        for (k, v) in Builtins.stageSignatures { table[k.rawValue] = v.0 }
        return table
    }

    static func shapes(_ builtins: [String: Builtin]) -> [String: CommandShape] {
        var table: [String: CommandShape] = [:]
        for (k, b) in builtins where b.shape != .words { table[k] = b.shape }
        for (k, v) in Builtins.stageSignatures where v.1 != .words { table[k.rawValue] = v.1 }
        return table
    }
}

extension Language {
    /// `text` as a string literal of the language (`"a \"b\""`), as `ats fmt` writes it.
    public static func stringLiteral(_ text: String) -> String { Printer.quote(text) }
}
