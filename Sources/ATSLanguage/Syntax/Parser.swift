import ATSJSON

// A recursive-descent parser that lexes on demand: the same characters read differently
// in command mode (`stop 5381 --force`: bare words, options) and in expression mode
// (`$i < 10`: operators). Each parse function has its grammar rule above it.

/// How a command's arguments are read (declared by the language's own stages).
enum CommandShape: Sendable {
    /// Every argument is a word, a value or an option.
    case words
    /// The first positional argument is an expression (`where .status == "failed"`).
    case expression
    /// The command takes a block (`each { … }`).
    case block
}

/// Thrown inside the parser to unwind to the nearest statement boundary.
struct ParseAbort: Error {}

/// A bracket of the current statement that is open (for "expected `)` to close the `(`
/// opened at line 1:9" when it is never closed).
struct OpenGroup {
    /// Where the construct starts (`$` of `$(`), for the message and the note.
    var open: Int
    /// The offset of the bracket itself.
    var bracket: Int
    var closer: String
    var what: String
    /// A `$(` inside a string: the lines after it are still in the string.
    var inString: Bool
}

struct Parser {
    static let maxNesting = 100

    let bytes: [UInt8]
    let map: LineMap
    let shapes: [String: CommandShape]
    var signatures: [String: CommandSignature]
    var pos = 0
    var diagnostics: [Diagnostic] = []
    var depth = 0
    /// When above zero, newlines are white space (inside brackets and parentheses).
    var newlineSkip = 0
    /// Comments seen, by start offset: their end offsets (for the formatter).
    var comments: [Int: Int] = [:]
    /// The input ends with a `\` continuation (the REPL reads another line).
    var endsInContinuation = false
    /// Brackets of the current statement opened and not yet closed, innermost last.
    var openGroups: [OpenGroup] = []
    /// Each opening bracket's offset and its closing bracket's (see `Parser.matchBrackets`),
    /// computed on the first error inside brackets.
    var closingBrackets: [Int: Int]?

    init(text: String, signatures: [String: CommandSignature], shapes: [String: CommandShape]) {
        bytes = Array(text.utf8)
        map = LineMap(text)
        self.signatures = signatures
        self.shapes = shapes
    }

    // MARK: - Characters

    @inline(__always) func byte(_ offset: Int = 0) -> UInt8 {
        let i = pos + offset
        return i < bytes.count ? bytes[i] : 0
    }
    var atEnd: Bool { pos >= bytes.count }

    static func isIdentStart(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F }
    static func isIdentChar(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// Characters that end a bare word in command mode.
    static func endsWord(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D, 0x7C, 0x3B, 0x28, 0x29, 0x7B, 0x7D, 0x5B, 0x5D, 0x22, 0x27, 0x24, 0x00: return true
        default: return false
        }
    }

    /// Skips blanks, comments, `\`-newline continuations, and newlines when inside brackets.
    mutating func skipSpace() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x20 || b == 0x09 || b == 0x0D {
                pos += 1
            } else if b == 0x5C, let end = continuationEnd(pos) {
                if end >= bytes.count { endsInContinuation = true }
                pos = end
            } else if b == 0x23 {
                let start = pos
                while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
                comments[start] = pos
            } else if b == 0x0A, newlineSkip > 0 {
                pos += 1
            } else {
                return
            }
        }
    }

    /// A line continuation: a `\` that starts a token and is followed by nothing but blanks up to
    /// the end of the line (or of the input). Returns the offset after its newline. A `\` inside
    /// a word (`C:\temp\`) is part of the word.
    func continuationEnd(_ at: Int) -> Int? {
        var i = at + 1
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
        if i >= bytes.count { return i }
        return bytes[i] == 0x0A ? i + 1 : nil
    }

    /// The identifier at `pos` (no `-`), or nil.
    func identifier(at p: Int? = nil) -> String? {
        var i = p ?? pos
        guard i < bytes.count, Parser.isIdentStart(bytes[i]) else { return nil }
        let start = i
        while i < bytes.count, Parser.isIdentChar(bytes[i]) { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// A command name at `pos`: an identifier that may contain `-` (`dry-run`).
    func commandName() -> String? {
        var i = pos
        guard i < bytes.count, Parser.isIdentStart(bytes[i]) else { return nil }
        while i < bytes.count, Parser.isIdentChar(bytes[i]) || (bytes[i] == 0x2D && i + 1 < bytes.count && Parser.isIdentChar(bytes[i + 1])) { i += 1 }
        return String(decoding: bytes[pos..<i], as: UTF8.self)
    }

    func atKeyword(_ word: String) -> Bool {
        guard let id = identifier() else { return false }
        return id == word
    }

    mutating func expectKeyword(_ word: String) throws(ParseAbort) {
        skipSpace()
        guard atKeyword(word) else { throw fail(.expected("`\(word)`", found: describeHere())) }
        pos += word.utf8.count
    }

    /// The signature of a user function: its parameters, also usable as `--name value`.
    static func signature(function name: String, parameters: [String]) -> CommandSignature {
        CommandSignature(name, summary: "function defined in the script",
                         parameters: parameters.map { ParameterSpec($0, help: "") },
                         options: parameters.map { OptionSpec($0, .value(name: $0.uppercased()), help: "") })
    }

    static let keywords: Set<String> = [
        "let", "if", "elif", "else", "for", "while", "fn", "try", "catch", "return", "break", "continue",
        "true", "false", "null", "not", "and", "or", "in",
    ]

    func describeHere() -> String {
        if atEnd { return "end of input" }
        let b = byte()
        if b == 0x0A { return "end of line" }
        if let name = commandName() { return "`\(name)`" }
        var end = pos + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "`\(String(decoding: bytes[pos..<end], as: UTF8.self))`"
    }

    // MARK: - Errors

    /// Records a diagnostic at the current position (an incomplete-input one at the end).
    mutating func fail(_ message: DiagnosticMessage, at range: SourceRange? = nil, notes: [DiagnosticNote] = []) -> ParseAbort {
        let r = range ?? SourceRange(pos, min(bytes.count, pos + 1))
        diagnostics.append(Diagnostic(message, at: r, notes: notes))
        return ParseAbort()
    }

    /// Expected `what`, found something else: at the end of input this is "needs more input".
    mutating func failExpected(_ what: String) -> ParseAbort {
        if atEnd { return fail(.unexpectedEnd(expected: what)) }
        return fail(.expected(what, found: describeHere()))
    }

    mutating func failUnclosed(_ closer: String, _ what: String, openedAt open: Int) -> ParseAbort {
        let note = DiagnosticNote(.openedHere(what), at: SourceRange(open, open + 1))
        let (line, column) = (map.line(of: open), map.column(of: open))
        if atEnd {
            return fail(.unexpectedEnd(expected: "`\(closer)` to close the \(what) opened at line \(line):\(column)"), notes: [note])
        }
        return fail(.unclosed(closer: closer, what: what, line: line, column: column), notes: [note])
    }

    mutating func openGroup(_ open: Int, bracket: Int? = nil, closer: String, what: String, inString: Bool = false) {
        openGroups.append(OpenGroup(open: open, bracket: bracket ?? open, closer: closer, what: what, inString: inString))
    }

    mutating func closeGroup() { openGroups.removeLast() }

    /// After a syntax error in a statement (diagnostics from `count` on are its own): when
    /// the error lies inside brackets opened on an earlier line and never closed, and the
    /// line that went wrong starts with the offending token, the diagnostic says which
    /// bracket is open (Lua's `check_match`) and parsing resumes at that line (returns true,
    /// `pos` at the newline before it). When the brackets close later, `pos` moves past them
    /// so that their rest does not cascade. An error at the end of the input gets a note
    /// where the innermost bracket was opened.
    mutating func recover(since count: Int) -> Bool {
        newlineSkip = 0
        let groups = openGroups
        openGroups = []
        guard diagnostics.count > count, let innermost = groups.last else { return false }
        let k = diagnostics.count - 1
        let d = diagnostics[k]
        if d.isIncompleteInput {
            if d.notes.isEmpty {
                diagnostics[k].notes = [DiagnosticNote(.openedHere(innermost.what), at: SourceRange(innermost.open, innermost.open + 1))]
            }
            return false
        }
        if closingBrackets == nil { closingBrackets = Parser.matchBrackets(bytes) }
        let closing = closingBrackets ?? [:]
        let errorLine = map.line(of: d.range.start)
        if !groups.contains(where: \.inString), let g = groups.last(where: { closing[$0.bracket] == nil && map.line(of: $0.open) < errorLine }) {
            let lineStart = map.lineStarts[errorLine - 1]
            guard bytes[lineStart..<d.range.start].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return false }
            if case .unclosed = d.message {} else {
                let note = DiagnosticNote(.openedHere(g.what), at: SourceRange(g.open, g.open + 1))
                diagnostics[k] = Diagnostic(.unclosed(closer: g.closer, what: g.what, line: map.line(of: g.open), column: map.column(of: g.open)),
                                            at: d.range, notes: [note])
            }
            pos = lineStart - 1
            return true
        }
        if let outer = groups.first, let close = closing[outer.bracket], close >= pos { pos = close + 1 }
        return false
    }

    /// For each opening bracket `(`, `[`, `{` (and the `(` of `$(` in a string), the offset of
    /// the bracket that closes it; unclosed ones are absent. Strings, raw strings and comments
    /// are skipped; a closer that does not match the innermost opener closes the nearest one it
    /// matches, leaving those inside it unclosed.
    static func matchBrackets(_ b: [UInt8]) -> [Int: Int] {
        var stack: [(byte: UInt8, offset: Int, interpolation: Bool)] = []
        var result: [Int: Int] = [:]
        var inString = false
        var i = 0
        func closes(_ closer: UInt8, _ opener: UInt8) -> Bool {
            (closer == 0x29 && opener == 0x28) || (closer == 0x5D && opener == 0x5B) || (closer == 0x7D && opener == 0x7B)
        }
        while i < b.count {
            let c = b[i]
            if inString {
                switch c {
                case 0x5C: i += 1
                case 0x22: inString = false
                case 0x24 where i + 1 < b.count && b[i + 1] == 0x28:
                    i += 1
                    stack.append((0x28, i, true))
                    inString = false
                case 0x24 where i + 1 < b.count && b[i + 1] == 0x7B:
                    while i < b.count, b[i] != 0x7D, b[i] != 0x22 { i += 1 }
                    if i < b.count, b[i] == 0x22 { inString = false }
                default: break
                }
                i += 1
                continue
            }
            switch c {
            case 0x22: inString = true
            case 0x27:
                i += 1
                while i < b.count, b[i] != 0x27 { i += 1 }
            case 0x23 where i == 0 || [0x20, 0x09, 0x0A, 0x0D, 0x3B, 0x28, 0x5B, 0x7B, 0x7C].contains(b[i - 1]):
                while i < b.count, b[i] != 0x0A { i += 1 }
                continue
            case 0x28, 0x5B, 0x7B: stack.append((c, i, false))
            case 0x29, 0x5D, 0x7D:
                var j = stack.count - 1
                while j >= 0, !closes(c, stack[j].byte), !stack[j].interpolation { j -= 1 }
                if j >= 0, closes(c, stack[j].byte) {
                    result[stack[j].offset] = i
                    if stack[j].interpolation { inString = true }
                    stack.removeSubrange(j...)
                }
            default: break
            }
            i += 1
        }
        return result
    }

    mutating func enter() throws(ParseAbort) {
        depth += 1
        if depth > Parser.maxNesting {
            throw fail(.nestingTooDeep(limit: Parser.maxNesting))
        }
    }

    /// Skips to the next statement boundary after an error (jlox's `synchronize`).
    mutating func synchronize() {
        var level = 0
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case 0x0A, 0x3B:
                if level <= 0 { return }
                pos += 1
            case 0x7B, 0x28, 0x5B:
                level += 1
                pos += 1
            case 0x7D:
                if level <= 0 { return }
                level -= 1
                pos += 1
            case 0x29, 0x5D:
                level = max(0, level - 1)
                pos += 1
            case 0x22, 0x27:
                let quote = b
                pos += 1
                while pos < bytes.count, bytes[pos] != quote {
                    if bytes[pos] == 0x5C { pos += 1 }
                    pos += 1
                }
                pos += 1
            case 0x23:
                while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
            default:
                pos += 1
            }
        }
        pos = min(pos, bytes.count)
    }

    // MARK: - Statements

    // program := { statement ( NEWLINE | ';' ) } EOF
    mutating func parseProgram() -> Program {
        var statements: [Stmt] = []
        parseStatements(into: &statements, closing: nil)
        return Program(statements: statements)
    }

    /// Parses statements until `}` (when `closing` is set) or the end.
    mutating func parseStatements(into statements: inout [Stmt], closing: Int?) {
        let savedSkip = newlineSkip
        let savedGroups = openGroups
        newlineSkip = 0
        openGroups = []
        defer {
            newlineSkip = savedSkip
            openGroups = savedGroups
        }
        while true {
            skipSpace()
            while byte() == 0x0A || byte() == 0x3B {
                pos += 1
                skipSpace()
            }
            if atEnd { return }
            if byte() == 0x7D {
                if closing != nil { return }
                _ = fail(.unexpectedCharacter("}"))
                pos += 1
                continue
            }
            let savedDepth = depth
            let savedCount = diagnostics.count
            do throws(ParseAbort) {
                let s = try parseStatement()
                statements.append(s)
                skipSpace()
                let b = byte()
                if !(atEnd || b == 0x0A || b == 0x3B || (b == 0x7D && closing != nil)) {
                    throw fail(.expected("end of statement", found: describeHere()))
                }
            } catch {
                depth = savedDepth
                if recover(since: savedCount) { continue }
                if atEnd { return }
                let before = pos
                synchronize()
                // Always make progress, whatever stopped the synchronization.
                if pos == before, byte() != 0x0A, byte() != 0x3B, !(byte() == 0x7D && closing != nil) { pos += 1 }
            }
        }
    }

    // block := '{' { statement } '}'
    mutating func parseBlock(_ what: String = "block") throws(ParseAbort) -> Block {
        skipSpace()
        guard byte() == 0x7B else { throw failExpected("`{` to open the \(what)") }
        let open = pos
        pos += 1
        try enter()
        defer { depth -= 1 }
        var statements: [Stmt] = []
        parseStatements(into: &statements, closing: open)
        skipSpace()
        guard byte() == 0x7D else {
            // An inner construct already said the input ends too early: no cascade.
            if diagnostics.contains(where: { $0.range.start >= open && $0.isIncompleteInput }) { throw ParseAbort() }
            throw failUnclosed("}", what, openedAt: open)
        }
        pos += 1
        return Block(statements: statements, range: SourceRange(open, pos))
    }

    // statement := 'let' NAME '=' pipeline | 'if' … | 'for' … | 'while' … | 'fn' … | 'try' …
    //            | 'return' [pipeline] | 'break' | 'continue' | 'quiet' block
    //            | target ASSIGNOP pipeline | pipeline
    mutating func parseStatement() throws(ParseAbort) -> Stmt {
        skipSpace()
        let start = pos
        try enter()
        defer { depth -= 1 }
        if let word = identifier() {
            let after = pos + word.utf8.count
            let next = after < bytes.count ? bytes[after] : 0
            let wordEnds = !(next == 0x2D && after + 1 < bytes.count && Parser.isIdentChar(bytes[after + 1]))
            if wordEnds {
                switch word {
                case "let": return try parseLet()
                case "if": return try parseIf()
                case "for": return try parseFor()
                case "while": return try parseWhile()
                case "fn": return try parseFunction()
                case "try": return try parseTry()
                case "return":
                    pos = after
                    skipSpace()
                    let b = byte()
                    if atEnd || b == 0x0A || b == 0x3B || b == 0x7D {
                        return Stmt(kind: .returnValue(nil), range: SourceRange(start, after))
                    }
                    let value = try parsePipeline()
                    return Stmt(kind: .returnValue(value), range: SourceRange(start, pos))
                case "break":
                    pos = after
                    return Stmt(kind: .breakLoop, range: SourceRange(start, pos))
                case "continue":
                    pos = after
                    return Stmt(kind: .continueLoop, range: SourceRange(start, pos))
                case "quiet":
                    var p = after
                    while p < bytes.count, bytes[p] == 0x20 || bytes[p] == 0x09 { p += 1 }
                    if p < bytes.count, bytes[p] == 0x7B {
                        pos = after
                        let body = try parseBlock()
                        return Stmt(kind: .quiet(body), range: SourceRange(start, pos))
                    }
                case "elif", "else", "catch":
                    throw fail(.expected("a statement", found: "`\(word)` without a matching `\(word == "catch" ? "try" : "if")`"),
                               at: SourceRange(start, after))
                default: break
                }
            }
        }
        let pipeline = try parsePipeline()
        skipSpace()
        if let (op, length) = assignmentOperator() {
            guard case .expression(let target) = pipeline.head, pipeline.stages.isEmpty, Parser.isAssignable(target) else {
                throw fail(.invalidAssignmentTarget, at: pipeline.range)
            }
            pos += length
            skipNewlines()
            let value = try parsePipeline()
            return Stmt(kind: .assignment(target: target, op: op, value: value), range: SourceRange(start, pos))
        }
        return Stmt(kind: .pipeline(pipeline), range: pipeline.range)
    }

    static func isAssignable(_ e: Expr) -> Bool {
        switch e.kind {
        case .variable: return true
        case .member(let base, _): return isAssignable(base)
        case .index(let base, _): return isAssignable(base)
        default: return false
        }
    }

    func assignmentOperator() -> (AssignOp, Int)? {
        let b = byte()
        let n = byte(1)
        switch b {
        case 0x3D where n != 0x3D && n != 0x7E: return (.set, 1)
        case 0x2B where n == 0x3D: return (.add, 2)
        case 0x2D where n == 0x3D: return (.sub, 2)
        case 0x2A where n == 0x3D: return (.mul, 2)
        case 0x2F where n == 0x3D: return (.div, 2)
        default: return nil
        }
    }

    /// Blanks and newlines: after a binary operator, `|` or `=` the expression may continue on
    /// the next line, and `elif`, `else` or `catch` may start one.
    mutating func skipNewlines() {
        skipSpace()
        while byte() == 0x0A {
            pos += 1
            skipSpace()
        }
    }

    // let := 'let' NAME '=' pipeline
    mutating func parseLet() throws(ParseAbort) -> Stmt {
        let start = pos
        pos += 3
        skipSpace()
        guard let name = identifier() else { throw failExpected("a variable name after `let`") }
        pos += name.utf8.count
        skipSpace()
        guard byte() == 0x3D, byte(1) != 0x3D else { throw failExpected("`=` after `let \(name)`") }
        pos += 1
        skipNewlines()
        let value: Pipeline
        let savedCount = diagnostics.count
        do throws(ParseAbort) {
            value = try parsePipeline()
        } catch {
            // Keep the name declared so later uses do not cascade into "undefined variable".
            if atEnd { throw error }
            if !recover(since: savedCount) { synchronize() }
            value = Pipeline(head: .expression(Expr(.null, SourceRange(start, pos))), stages: [], range: SourceRange(start, pos))
        }
        return Stmt(kind: .letBinding(name: name, value: value), range: SourceRange(start, pos))
    }

    // if := 'if' expression block { 'elif' expression block } [ 'else' block ]
    mutating func parseIf() throws(ParseAbort) -> Stmt {
        let start = pos
        pos += 2
        var branches: [ConditionalBlock] = []
        var otherwise: Block?
        var keyword = (name: "if", start: start)
        while true {
            let condition = try parseCondition(after: keyword.name, at: keyword.start)
            let body = try parseBlock()
            branches.append(ConditionalBlock(condition: condition, body: body))
            // `elif`/`else` may follow on the same line or the next.
            let save = pos
            skipNewlines()
            if atKeyword("elif") {
                keyword = ("elif", pos)
                pos += 4
                continue
            }
            if atKeyword("else") {
                pos += 4
                skipSpace()
                if atKeyword("if") {
                    keyword = ("if", pos)
                    pos += 2
                    continue
                }
                otherwise = try parseBlock()
                break
            }
            pos = save
            break
        }
        return Stmt(kind: .ifChain(branches, otherwise: otherwise), range: SourceRange(start, pos))
    }

    // condition := expression
    // A `{` right after the keyword is an object literal when a block follows it
    // (`if {a: 1} { … }`); otherwise it opens the block and the condition is missing
    // (`if {` and the block on the next lines): that is reported at the keyword, and the block
    // is still parsed so its lines raise nothing more.
    mutating func parseCondition(after keyword: String, at start: Int) throws(ParseAbort) -> Expr {
        skipSpace()
        guard byte() == 0x7B else { return try parseExpression() }
        var trial = self
        if let e = try? trial.parseExpression() {
            var after = trial
            after.skipSpace()
            if after.byte() == 0x7B {
                self = trial
                return e
            }
        }
        let range = SourceRange(start, start + keyword.utf8.count)
        _ = fail(.missingCondition(after: keyword), at: range)
        return Expr(.null, range)
    }

    // for := 'for' NAME 'in' expression block
    mutating func parseFor() throws(ParseAbort) -> Stmt {
        let start = pos
        pos += 3
        skipSpace()
        guard let name = identifier(), !Parser.keywords.contains(name) else { throw failExpected("a variable name after `for`") }
        pos += name.utf8.count
        try expectKeyword("in")
        let sequence = try parseExpression()
        let body = try parseBlock("loop")
        return Stmt(kind: .forLoop(variable: name, sequence: sequence, body: body), range: SourceRange(start, pos))
    }

    // while := 'while' expression block
    mutating func parseWhile() throws(ParseAbort) -> Stmt {
        let start = pos
        pos += 5
        let condition = try parseCondition(after: "while", at: start)
        let body = try parseBlock("loop")
        return Stmt(kind: .whileLoop(condition: condition, body: body), range: SourceRange(start, pos))
    }

    // fn := 'fn' NAME '(' [ NAME { ',' NAME } ] ')' block
    mutating func parseFunction() throws(ParseAbort) -> Stmt {
        let start = pos
        pos += 2
        skipSpace()
        guard let name = commandName(), !Parser.keywords.contains(name) else { throw failExpected("a function name after `fn`") }
        pos += name.utf8.count
        skipSpace()
        guard byte() == 0x28 else { throw failExpected("`(` to list the parameters of `\(name)`") }
        let open = pos
        pos += 1
        newlineSkip += 1
        openGroup(open, closer: ")", what: "parameter list")
        var parameters: [Parameter] = []
        while true {
            skipSpace()
            if byte() == 0x29 { break }
            guard let p = identifier(), !Parser.keywords.contains(p) else {
                newlineSkip -= 1
                if atEnd { throw failUnclosed(")", "parameter list", openedAt: open) }
                throw failExpected("a parameter name")
            }
            parameters.append(Parameter(name: p, range: SourceRange(pos, pos + p.utf8.count)))
            pos += p.utf8.count
            skipSpace()
            if byte() == 0x2C { pos += 1; continue }
            if byte() == 0x29 { break }
            newlineSkip -= 1
            if atEnd { throw failUnclosed(")", "parameter list", openedAt: open) }
            throw failExpected("`,` or `)` in the parameter list")
        }
        newlineSkip -= 1
        closeGroup()
        pos += 1
        if signatures[name] == nil {
            // Later commands know the function's options take values (`add --b 10`).
            signatures[name] = Parser.signature(function: name, parameters: parameters.map(\.name))
        }
        let body = try parseBlock("function body")
        return Stmt(kind: .function(name: name, parameters: parameters, body: body), range: SourceRange(start, pos))
    }

    // try := 'try' block 'catch' [ NAME ] block
    mutating func parseTry() throws(ParseAbort) -> Stmt {
        let start = pos
        pos += 3
        let body = try parseBlock()
        skipNewlines()
        guard atKeyword("catch") else { throw failExpected("`catch` after the `try` block") }
        pos += 5
        skipSpace()
        var name: String?
        if let n = identifier(), !Parser.keywords.contains(n) {
            name = n
            pos += n.utf8.count
        }
        let handler = try parseBlock()
        return Stmt(kind: .tryCatch(body: body, errorName: name, handler: handler), range: SourceRange(start, pos))
    }

    // MARK: - Pipelines and commands

    // pipeline := element { '|' command }
    // element  := command | expression        (a command starts with a name not followed by '(')
    mutating func parsePipeline() throws(ParseAbort) -> Pipeline {
        skipSpace()
        let start = pos
        let head: PipelineHead
        if startsCommand() {
            head = .command(try parseCommand())
        } else {
            head = .expression(try parseExpression())
        }
        var stages: [Command] = []
        while true {
            let beforeSpace = pos
            skipSpace()
            guard byte() == 0x7C, byte(1) != 0x7C else {
                pos = beforeSpace
                break
            }
            pos += 1
            skipNewlines()
            guard commandName() != nil else { throw failExpected("a command after `|`") }
            stages.append(try parseCommand())
        }
        return Pipeline(head: head, stages: stages, range: SourceRange(start, pos))
    }

    func startsCommand() -> Bool {
        guard let name = commandName() else { return false }
        if name == "true" || name == "false" || name == "null" || name == "not" { return false }
        let after = pos + name.utf8.count
        return !(after < bytes.count && bytes[after] == 0x28)
    }

    func shape(of name: String) -> CommandShape { shapes[name] ?? .words }

    // command  := NAME { argument }
    // argument := '--' NAME [ '=' value | value ] | block | value
    mutating func parseCommand() throws(ParseAbort) -> Command {
        let start = pos
        guard let name = commandName() else { throw failExpected("a command") }
        pos += name.utf8.count
        let nameRange = SourceRange(start, pos)
        var arguments: [Argument] = []
        var shape = shape(of: name)
        var signature = signatures[name]
        var sawPositional = false
        while true {
            let beforeSpace = pos
            skipSpace()
            let b = byte()
            if atEnd || b == 0x0A || b == 0x3B || b == 0x7C || b == 0x29 || b == 0x7D || b == 0x5D || b == 0x2C {
                pos = beforeSpace
                break
            }
            if b == 0x2D, byte(1) == 0x2D, Parser.isIdentStart(byte(2)) {
                let optStart = pos
                pos += 2
                var end = pos
                while end < bytes.count, Parser.isIdentChar(bytes[end]) || bytes[end] == 0x2D { end += 1 }
                let option = String(decoding: bytes[pos..<end], as: UTF8.self)
                pos = end
                if byte() == 0x3D {
                    pos += 1
                    let value = try parseCommandValue()
                    arguments.append(.option(name: option, value: value, equals: true, range: SourceRange(optStart, pos)))
                    continue
                }
                let takesValue: Bool
                switch signature?.option(option)?.kind {
                case .value?, .repeated?: takesValue = true
                case .flag?, nil: takesValue = false
                }
                if takesValue {
                    skipSpace()
                    let v = byte()
                    if atEnd || v == 0x0A || v == 0x3B || v == 0x7C || v == 0x29 || v == 0x7D {
                        throw fail(.optionNeedsValue(option: option, command: name), at: SourceRange(optStart, pos))
                    }
                    let value = try parseCommandValue()
                    arguments.append(.option(name: option, value: value, equals: false, range: SourceRange(optStart, pos)))
                } else {
                    arguments.append(.option(name: option, value: nil, equals: false, range: SourceRange(optStart, pos)))
                }
                continue
            }
            if shape == .block, b == 0x7B {
                arguments.append(.block(try parseBlock()))
                continue
            }
            if shape == .expression, !sawPositional {
                sawPositional = true
                arguments.append(.positional(try parseExpression()))
                continue
            }
            let value = try parseCommandValue()
            // `history delete 5`: a subcommand is bound by its first bare word.
            if !sawPositional, case .word(let w) = value.kind, let sub = signatures["\(name) \(w)"] {
                signature = sub
                shape = shapes["\(name) \(w)"] ?? .words
            }
            sawPositional = true
            arguments.append(.positional(value))
        }
        return Command(name: name, nameRange: nameRange, arguments: arguments, range: SourceRange(start, pos))
    }

    // value := STRING | RAWSTRING | '$' path | '$(' pipeline ')' | '(' pipeline ')' | list | object
    //        | '.' NAME path | WORD      (a word that reads as a number, duration, true, false or null is one)
    mutating func parseCommandValue() throws(ParseAbort) -> Expr {
        skipSpace()
        let b = byte()
        switch b {
        case 0x22, 0x27, 0x28, 0x5B, 0x7B:
            return try parsePostfix()
        case 0x24:
            return try parsePostfix()
        case 0x2E where Parser.isIdentStart(byte(1)):
            return try parsePostfix()
        default:
            break
        }
        let start = pos
        while pos < bytes.count, !Parser.endsWord(bytes[pos]) { pos += 1 }
        if pos == start { throw failExpected("an argument") }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        return Expr(Parser.classifyWord(text), SourceRange(start, pos))
    }

    /// What a bare word means: a number, a duration, `true`/`false`/`null`, or a string.
    static func classifyWord(_ text: String) -> ExprKind {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        let u = Array(text.utf8)
        var i = 0
        if i < u.count, u[i] == 0x2D { i += 1 }
        let digitsStart = i
        while i < u.count, isDigit(u[i]) { i += 1 }
        if i == digitsStart { return .word(text) }
        if i == u.count { return Int(text).map(ExprKind.int) ?? .word(text) }
        if u[i] == 0x2E, i + 1 < u.count, isDigit(u[i + 1]) {
            var j = i + 1
            while j < u.count, isDigit(u[j]) { j += 1 }
            if j == u.count { return Double(text).map(ExprKind.double) ?? .word(text) }
            return .word(text)
        }
        if u[0] != 0x2D, let ms = parseDuration(u, 0).flatMap({ $0.1 == u.count ? $0.0 : nil }) { return .duration(ms) }
        return .word(text)
    }

    /// `10s`, `500ms`, `1h30m` starting at `start`: milliseconds and the end offset; nil when
    /// a word character follows (`10sec` is a word).
    static func parseDuration(_ u: [UInt8], _ start: Int) -> (Int64, Int)? {
        guard let (total, end) = DurationSyntax.scan(u, from: start), end == u.count || !isIdentChar(u[end]) else { return nil }
        return (total, end)
    }

    // MARK: - Expressions

    // expression := binary(1)
    mutating func parseExpression() throws(ParseAbort) -> Expr {
        try parseBinary(1)
    }

    /// The binary operator at `pos` and its length.
    func binaryOperator() -> (BinaryOp, Int)? {
        let b = byte()
        let n = byte(1)
        switch b {
        case 0x2B: return n == 0x3D ? nil : (.add, 1)
        case 0x2D: return n == 0x3D || (n == 0x2D && Parser.isIdentStart(byte(2))) ? nil : (.sub, 1)
        case 0x2A: return n == 0x3D ? nil : (.mul, 1)
        case 0x2F: return n == 0x3D ? nil : (.div, 1)
        case 0x25: return (.mod, 1)
        case 0x3D: return n == 0x3D ? (.eq, 2) : n == 0x7E ? (.match, 2) : nil
        case 0x21: return n == 0x3D ? (.ne, 2) : nil
        case 0x3C: return n == 0x3D ? (.le, 2) : (.lt, 1)
        case 0x3E: return n == 0x3D ? (.ge, 2) : (.gt, 1)
        case 0x3F: return n == 0x3F ? (.coalesce, 2) : nil
        case 0x2E: return n == 0x2E ? (.range, 2) : nil
        default:
            guard let id = identifier() else { return nil }
            switch id {
            case "and": return (.and, 3)
            case "or": return (.or, 2)
            case "in": return (.in, 2)
            default: return nil
            }
        }
    }

    // binary(p) := [ 'not' binary(3) if p <= 3 ] unary { OP binary(prec(OP) + 1) }    (OP with prec(OP) >= p)
    mutating func parseBinary(_ minPrec: Int) throws(ParseAbort) -> Expr {
        try enter()
        defer { depth -= 1 }
        skipSpace()
        let start = pos
        var left: Expr
        if minPrec <= 3, atKeyword("not") {
            pos += 3
            let operand = try parseBinary(3)
            left = Expr(.unary(.not, operand), SourceRange(start, operand.range.end))
        } else {
            left = try parseUnary()
        }
        while true {
            let beforeSpace = pos
            skipSpace()
            guard let (op, length) = binaryOperator(), op.precedence >= minPrec else {
                pos = beforeSpace
                break
            }
            let opStart = pos
            pos += length
            skipNewlines()
            if atEnd { throw fail(.unexpectedEnd(expected: "an expression after `\(op.rawValue)`"), at: SourceRange(opStart, pos)) }
            let right = try parseBinary(op.precedence + 1)
            left = Expr(.binary(op, left, right), SourceRange(start, right.range.end))
        }
        return left
    }

    // unary := '-' unary | postfix
    mutating func parseUnary() throws(ParseAbort) -> Expr {
        skipSpace()
        if byte() == 0x2D, !Parser.isDigit(byte(1)) {
            let start = pos
            pos += 1
            try enter()
            defer { depth -= 1 }
            let operand = try parseUnary()
            return Expr(.unary(.neg, operand), SourceRange(start, operand.range.end))
        }
        return try parsePostfix()
    }

    // postfix := primary { '.' NAME | '[' expression ']' }      (no space before '.' or '[')
    mutating func parsePostfix() throws(ParseAbort) -> Expr {
        var e = try parsePrimary()
        while true {
            if byte() == 0x2E, byte(1) != 0x2E {
                let save = pos
                pos += 1
                if let name = identifier() {
                    pos += name.utf8.count
                    e = Expr(.member(e, name), SourceRange(e.range.start, pos))
                } else if byte() == 0x22 {
                    let keyExpr = try parseString()
                    guard case .string(let parts) = keyExpr.kind, parts.count <= 1 else {
                        throw fail(.expected("a member name", found: "an interpolated string"), at: keyExpr.range)
                    }
                    var key = ""
                    if case .text(let t)? = parts.first { key = t }
                    e = Expr(.member(e, key), SourceRange(e.range.start, pos))
                } else {
                    pos = save
                    break
                }
            } else if byte() == 0x5B {
                let open = pos
                pos += 1
                newlineSkip += 1
                openGroup(open, closer: "]", what: "index")
                let index = try parseExpression()
                skipSpace()
                newlineSkip -= 1
                guard byte() == 0x5D else { throw failUnclosed("]", "index", openedAt: open) }
                closeGroup()
                pos += 1
                e = Expr(.index(e, index), SourceRange(e.range.start, pos))
            } else {
                break
            }
        }
        return e
    }

    // primary := NUMBER | DURATION | STRING | RAWSTRING | 'true' | 'false' | 'null'
    //          | '$' NAME | '$(' pipeline ')' | '${' NAME path '}' | '.' NAME
    //          | '(' pipeline ')' | '[' [ expression { ',' expression } ] ']'
    //          | '{' [ key ':' expression { ',' key ':' expression } ] '}' | NAME '(' arguments ')'
    mutating func parsePrimary() throws(ParseAbort) -> Expr {
        skipSpace()
        let start = pos
        let b = byte()
        switch b {
        case 0x22:
            return try parseString()
        case 0x27:
            pos += 1
            while pos < bytes.count, bytes[pos] != 0x27 { pos += 1 }
            guard pos < bytes.count else { throw fail(.unterminatedString, at: SourceRange(start, start + 1)) }
            pos += 1
            return Expr(.rawString(String(decoding: bytes[(start + 1)..<(pos - 1)], as: UTF8.self)), SourceRange(start, pos))
        case 0x24:
            return try parseDollar(inString: false)
        case 0x2E:
            if let name = identifier(at: pos + 1) {
                pos += 1 + name.utf8.count
                return Expr(.itemMember(name), SourceRange(start, pos))
            }
            throw failExpected("an expression")
        case 0x28:
            pos += 1
            let inner = try parseParenthesized(open: start, what: "`(`")
            return Expr(.group(inner), SourceRange(start, pos))
        case 0x5B:
            return try parseList()
        case 0x7B:
            return try parseObject()
        case 0x2D, 0x30...0x39:
            return try parseNumber()
        default:
            break
        }
        if let name = identifier() {
            switch name {
            case "true": pos += 4; return Expr(.bool(true), SourceRange(start, pos))
            case "false": pos += 5; return Expr(.bool(false), SourceRange(start, pos))
            case "null": pos += 4; return Expr(.null, SourceRange(start, pos))
            default: break
            }
            let full = commandName() ?? name
            let after = pos + full.utf8.count
            if after < bytes.count, bytes[after] == 0x28 {
                pos = after + 1
                return try parseCallArguments(name: full, start: start)
            }
            throw fail(.bareNameInExpression(full), at: SourceRange(start, after))
        }
        if atEnd { throw fail(.unexpectedEnd(expected: "an expression")) }
        throw fail(.expectedExpression(found: describeHere()))
    }

    /// After `(`: a pipeline then `)`. Newlines inside are white space.
    mutating func parseParenthesized(open: Int, what: String, inString: Bool = false) throws(ParseAbort) -> Pipeline {
        try enter()
        defer { depth -= 1 }
        newlineSkip += 1
        openGroup(open, bracket: pos - 1, closer: ")", what: what, inString: inString)
        let inner = try parsePipeline()
        skipSpace()
        newlineSkip -= 1
        guard byte() == 0x29 else { throw failUnclosed(")", what, openedAt: open) }
        closeGroup()
        pos += 1
        return inner
    }

    // number := '-'? DIGITS [ '.' DIGITS ] [ UNIT { DIGITS UNIT } ]
    mutating func parseNumber() throws(ParseAbort) -> Expr {
        let start = pos
        if byte() == 0x2D { pos += 1 }
        while Parser.isDigit(byte()) { pos += 1 }
        if let (ms, end) = Parser.parseDuration(bytes, byte(0) == 0x2D ? start + 1 : start), bytes[start] != 0x2D {
            pos = end
            return Expr(.duration(ms), SourceRange(start, pos))
        }
        var isDouble = false
        if byte() == 0x2E, Parser.isDigit(byte(1)) {
            isDouble = true
            pos += 1
            while Parser.isDigit(byte()) { pos += 1 }
        }
        if (byte() == 0x65 || byte() == 0x45), Parser.isDigit(byte(1)) || ((byte(1) == 0x2D || byte(1) == 0x2B) && Parser.isDigit(byte(2))) {
            isDouble = true
            pos += 2
            while Parser.isDigit(byte()) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if Parser.isIdentChar(byte()) {
            while Parser.isIdentChar(byte()) { pos += 1 }
            throw fail(.expectedExpression(found: "`\(String(decoding: bytes[start..<pos], as: UTF8.self))`"), at: SourceRange(start, pos))
        }
        if isDouble {
            guard let d = Double(text) else { throw fail(.numberOutOfRange(text), at: SourceRange(start, pos)) }
            return Expr(.double(d), SourceRange(start, pos))
        }
        guard let i = Int(text) else { throw fail(.numberOutOfRange(text), at: SourceRange(start, pos)) }
        return Expr(.int(i), SourceRange(start, pos))
    }

    // dollar := '$' NAME | '$(' pipeline ')' | '${' NAME path '}'
    mutating func parseDollar(inString: Bool) throws(ParseAbort) -> Expr {
        let start = pos
        pos += 1
        if byte() == 0x28 {
            pos += 1
            let inner = try parseParenthesized(open: start, what: "`$(`", inString: inString)
            return Expr(.substitution(inner), SourceRange(start, pos))
        }
        if byte() == 0x7B {
            pos += 1
            skipSpace()
            guard let name = identifier() else { throw failExpected("a variable name after `${`") }
            pos += name.utf8.count
            var e = Expr(.variable(name), SourceRange(start, pos))
            let inner = try parsePathTail(e)
            e = inner
            skipSpace()
            guard byte() == 0x7D else { throw failUnclosed("}", "`${`", openedAt: start) }
            pos += 1
            return Expr(e.kind, SourceRange(start, pos))
        }
        guard let name = identifier() else {
            throw failExpected("a variable name after `$`")
        }
        pos += name.utf8.count
        return Expr(.variable(name), SourceRange(start, pos))
    }

    /// `.name` and `[index]` after a braced variable.
    mutating func parsePathTail(_ base: Expr) throws(ParseAbort) -> Expr {
        var e = base
        while true {
            if byte() == 0x2E, let name = identifier(at: pos + 1) {
                pos += 1 + name.utf8.count
                e = Expr(.member(e, name), SourceRange(e.range.start, pos))
            } else if byte() == 0x5B {
                let open = pos
                pos += 1
                let index = try parseExpression()
                skipSpace()
                guard byte() == 0x5D else { throw failUnclosed("]", "index", openedAt: open) }
                pos += 1
                e = Expr(.index(e, index), SourceRange(e.range.start, pos))
            } else {
                return e
            }
        }
    }

    // string := '"' { CHAR | ESCAPE | '$' NAME { '.' NAME } | '${' path '}' | '$(' pipeline ')' } '"'
    mutating func parseString() throws(ParseAbort) -> Expr {
        let start = pos
        pos += 1
        try enter()
        defer { depth -= 1 }
        var parts: [StringPart] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty {
                parts.append(.text(String(decoding: text, as: UTF8.self)))
                text.removeAll()
            }
        }
        while true {
            guard pos < bytes.count else {
                throw fail(.unterminatedString, at: SourceRange(start, start + 1))
            }
            let b = bytes[pos]
            if b == 0x22 {
                pos += 1
                break
            }
            if b == 0x5C {
                let e = byte(1)
                switch e {
                case 0x6E: text.append(0x0A)
                case 0x74: text.append(0x09)
                case 0x72: text.append(0x0D)
                case 0x22, 0x5C, 0x24: text.append(e)
                case 0x0A: break
                case 0: throw fail(.unterminatedString, at: SourceRange(start, start + 1))
                default:
                    diagnostics.append(Diagnostic(.invalidEscape(String(UnicodeScalar(e))), at: SourceRange(pos, pos + 2)))
                    text.append(e)
                }
                pos += 2
                continue
            }
            if b == 0x24 {
                let n = byte(1)
                if n == 0x28 {
                    flush()
                    let e = try parseDollar(inString: true)
                    guard case .substitution(let p) = e.kind else { continue }
                    parts.append(.sub(p))
                    continue
                }
                if n == 0x7B {
                    flush()
                    let e = try parseDollar(inString: true)
                    parts.append(.path(e))
                    continue
                }
                if Parser.isIdentStart(n) {
                    flush()
                    let vstart = pos
                    pos += 1
                    let name = identifier()!
                    pos += name.utf8.count
                    var e = Expr(.variable(name), SourceRange(vstart, pos))
                    while byte() == 0x2E, let m = identifier(at: pos + 1) {
                        pos += 1 + m.utf8.count
                        e = Expr(.member(e, m), SourceRange(vstart, pos))
                    }
                    parts.append(.path(e))
                    continue
                }
            }
            text.append(b)
            pos += 1
        }
        flush()
        return Expr(.string(parts), SourceRange(start, pos))
    }

    // list := '[' [ expression { ',' expression } [ ',' ] ] ']'
    mutating func parseList() throws(ParseAbort) -> Expr {
        let start = pos
        pos += 1
        try enter()
        defer { depth -= 1 }
        newlineSkip += 1
        openGroup(start, closer: "]", what: "list")
        var items: [Expr] = []
        while true {
            skipSpace()
            if byte() == 0x5D { break }
            if atEnd { newlineSkip -= 1; throw failUnclosed("]", "list", openedAt: start) }
            items.append(try parseExpression())
            skipSpace()
            if byte() == 0x2C { pos += 1; continue }
            if byte() == 0x5D { break }
            newlineSkip -= 1
            if atEnd { throw failUnclosed("]", "list", openedAt: start) }
            throw failExpected("`,` or `]` in the list")
        }
        newlineSkip -= 1
        closeGroup()
        pos += 1
        return Expr(.list(items), SourceRange(start, pos))
    }

    // object := '{' [ key ':' expression { ',' key ':' expression } [ ',' ] ] '}'     key := NAME | STRING
    mutating func parseObject() throws(ParseAbort) -> Expr {
        let start = pos
        pos += 1
        try enter()
        defer { depth -= 1 }
        newlineSkip += 1
        openGroup(start, closer: "}", what: "object")
        var entries: [ObjectEntry] = []
        while true {
            skipSpace()
            if byte() == 0x7D { break }
            if atEnd { newlineSkip -= 1; throw failUnclosed("}", "object", openedAt: start) }
            let key: String
            if let name = commandName() {
                key = name
                pos += name.utf8.count
            } else if byte() == 0x22 || byte() == 0x27 {
                let k = try parsePrimary()
                switch k.kind {
                case .rawString(let s): key = s
                case .string(let parts) where parts.count <= 1:
                    if case .text(let t)? = parts.first { key = t } else { key = "" }
                default:
                    newlineSkip -= 1
                    throw fail(.expected("a plain key", found: "an interpolated string"), at: k.range)
                }
            } else {
                newlineSkip -= 1
                throw failExpected("a key in the object")
            }
            skipSpace()
            guard byte() == 0x3A else { newlineSkip -= 1; throw failExpected("`:` after the key `\(key)`") }
            pos += 1
            let value = try parseExpression()
            entries.append(ObjectEntry(key: key, value: value))
            skipSpace()
            if byte() == 0x2C { pos += 1; continue }
            if byte() == 0x7D { break }
            newlineSkip -= 1
            if atEnd { throw failUnclosed("}", "object", openedAt: start) }
            throw failExpected("`,` or `}` in the object")
        }
        newlineSkip -= 1
        closeGroup()
        pos += 1
        return Expr(.object(entries), SourceRange(start, pos))
    }

    // arguments := [ argument { ',' argument } [ ',' ] ] ')'      argument := [ NAME ':' ] expression
    mutating func parseCallArguments(name: String, start: Int) throws(ParseAbort) -> Expr {
        try enter()
        defer { depth -= 1 }
        let open = pos - 1
        newlineSkip += 1
        openGroup(open, closer: ")", what: "call")
        var positional: [Expr] = []
        var named: [NamedArgument] = []
        while true {
            skipSpace()
            if byte() == 0x29 { break }
            if atEnd { newlineSkip -= 1; throw failUnclosed(")", "call", openedAt: open) }
            if let label = identifier(), byte(label.utf8.count) == 0x3A, byte(label.utf8.count + 1) != 0x3A {
                pos += label.utf8.count + 1
                named.append(NamedArgument(name: label, value: try parseExpression()))
            } else {
                positional.append(try parseExpression())
            }
            skipSpace()
            if byte() == 0x2C { pos += 1; continue }
            if byte() == 0x29 { break }
            newlineSkip -= 1
            if atEnd { throw failUnclosed(")", "call", openedAt: open) }
            throw failExpected("`,` or `)` in the call of `\(name)`")
        }
        newlineSkip -= 1
        closeGroup()
        pos += 1
        return Expr(.call(name: name, arguments: positional, named: named), SourceRange(start, pos))
    }
}
