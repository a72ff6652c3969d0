import ATSLanguage

/// What a name in a script is bound to.
enum SymbolKind: Equatable {
    case variable, function, parameter, loopVariable, errorVariable
}

/// A name a script declares: `let`, `fn`, a parameter, a `for` variable, a `catch` name.
struct Symbol {
    var name: String
    var kind: SymbolKind
    /// The name where it is declared.
    var nameRange: SourceRange
    /// The whole declaration (the `let` or `fn` statement).
    var declaration: SourceRange
    /// Where the name can be seen: the block it is declared in.
    var scope: SourceRange
    /// From where in `scope` it can be seen (functions and parameters: the whole scope).
    var visibleFrom: Int
    /// A function's parameter names.
    var parameters: [String] = []
    /// Declared in the file's top-level block.
    var isTopLevel: Bool
    /// The function whose body declares it.
    var owner: Int?
}

/// A use of a declared name.
struct Occurrence {
    var range: SourceRange
    var symbol: Int
}

/// A command as written, for hover and completion of its options.
struct CommandSite {
    var name: String
    var nameRange: SourceRange
    var range: SourceRange
    /// The first argument when it is a bare word (`service release`: `release`).
    var firstWord: (text: String, range: SourceRange)?
    var options: [(name: String, range: SourceRange)]
}

/// `source FILE` with a literal path.
struct SourceLink {
    var path: String
    var range: SourceRange
}

/// Declarations and their uses in one document, resolved with the language's scope rules:
/// blocks open scopes, functions are visible in their whole block (they may be called
/// before their definition), a `let` from its statement on, and a name not yet declared
/// when it is read falls back to a later declaration in an enclosing scope (a global
/// defined after the function that reads it).
struct SymbolIndex {
    private(set) var symbols: [Symbol] = []
    private(set) var occurrences: [Occurrence] = []
    private(set) var commands: [CommandSite] = []
    private(set) var sources: [SourceLink] = []
    /// The blocks of commands (`each { … }`, `where { … }`), where `$it` is the item.
    private(set) var itemBlocks: [SourceRange] = []

    private let bytes: [UInt8]
    private var pending: [(name: String, range: SourceRange, chain: Table, isCommand: Bool)] = []

    private final class Table {
        let parent: Table?
        let range: SourceRange
        var names: [String: [Int]] = [:]
        init(parent: Table?, range: SourceRange) {
            self.parent = parent
            self.range = range
        }
    }

    init(_ program: Program, bytes: [UInt8]) {
        self.bytes = bytes
        let global = Table(parent: nil, range: SourceRange(0, bytes.count + 1))
        walk(program.statements, global, owner: nil, topLevel: true)
        for p in pending {
            if let s = Self.lookup(p.name, p.chain, first: true), !p.isCommand || symbols[s].kind == .function {
                occurrences.append(Occurrence(range: p.range, symbol: s))
            }
        }
        pending = []
        occurrences.sort { $0.range.start < $1.range.start }
    }

    // MARK: - Queries

    /// The symbol whose declaration or use is at `offset`.
    func symbol(at offset: Int) -> Int? {
        if let o = occurrences.first(where: { $0.range.start <= offset && offset <= $0.range.end }) { return o.symbol }
        return symbols.indices.first { symbols[$0].nameRange.start <= offset && offset <= symbols[$0].nameRange.end }
    }

    /// Every use of a symbol (without its declaration).
    func uses(of symbol: Int) -> [SourceRange] {
        occurrences.filter { $0.symbol == symbol }.map(\.range)
    }

    /// The variables (and functions) visible at `offset`, innermost first, one per name.
    func visible(at offset: Int) -> [Symbol] {
        var seen: Set<String> = []
        var out: [Symbol] = []
        let candidates = symbols.filter { $0.scope.start <= offset && offset <= $0.scope.end && $0.visibleFrom <= offset }
        for s in candidates.sorted(by: { ($0.scope.end - $0.scope.start, -$0.visibleFrom) < ($1.scope.end - $1.scope.start, -$1.visibleFrom) })
        where seen.insert(s.name).inserted {
            out.append(s)
        }
        return out
    }

    /// The innermost command whose text holds `offset`.
    func command(at offset: Int) -> CommandSite? {
        commands.filter { $0.range.start <= offset && offset <= $0.range.end }
            .min { $0.range.end - $0.range.start < $1.range.end - $1.range.start }
    }

    /// The `source` path at `offset`.
    func sourceLink(at offset: Int) -> SourceLink? {
        sources.first { $0.range.start <= offset && offset <= $0.range.end }
    }

    // MARK: - The walk

    private static func lookup(_ name: String, _ table: Table, first: Bool = false) -> Int? {
        var t: Table? = table
        while let current = t {
            if let list = current.names[name], let s = first ? list.first : list.last { return s }
            t = current.parent
        }
        return nil
    }

    private mutating func declare(_ symbol: Symbol, in table: Table) -> Int {
        symbols.append(symbol)
        table.names[symbol.name, default: []].append(symbols.count - 1)
        return symbols.count - 1
    }

    private mutating func use(_ name: String, _ range: SourceRange, _ table: Table, isCommand: Bool = false) {
        if let s = Self.lookup(name, table), !isCommand || symbols[s].kind == .function {
            occurrences.append(Occurrence(range: range, symbol: s))
        } else if Self.lookup(name, table) == nil {
            pending.append((name, range, table, isCommand))
        }
    }

    // block := stmt* — functions first (they are visible in the whole block), then in order.
    private mutating func walk(_ statements: [Stmt], _ table: Table, owner: Int?, topLevel: Bool) {
        var functions: [Int: Int] = [:]
        for stmt in statements {
            guard case .function(let name, let parameters, let body) = stmt.kind else { continue }
            let range = nameRange(name, after: "fn", in: stmt.range)
            functions[stmt.range.start] = declare(
                Symbol(name: name, kind: .function, nameRange: range, declaration: SourceRange(stmt.range.start, body.range.start),
                       scope: table.range, visibleFrom: table.range.start, parameters: parameters.map(\.name),
                       isTopLevel: topLevel, owner: owner),
                in: table)
        }
        for stmt in statements { walk(stmt, table, owner: owner, topLevel: topLevel, functions: functions) }
    }

    private mutating func walk(_ stmt: Stmt, _ table: Table, owner: Int?, topLevel: Bool, functions: [Int: Int]) {
        switch stmt.kind {
        case .pipeline(let p):
            walk(p, table)
        case .letBinding(let name, let value):
            walk(value, table)
            _ = declare(
                Symbol(name: name, kind: .variable, nameRange: nameRange(name, after: "let", in: stmt.range), declaration: stmt.range,
                       scope: table.range, visibleFrom: stmt.range.end, isTopLevel: topLevel, owner: owner),
                in: table)
        case .assignment(let target, _, let value):
            walk(target, table)
            walk(value, table)
        case .ifChain(let branches, let otherwise):
            for b in branches {
                walk(b.condition, table)
                walk(b.body, table, owner: owner)
            }
            if let otherwise { walk(otherwise, table, owner: owner) }
        case .forLoop(let variable, let sequence, let body):
            walk(sequence, table)
            let inner = Table(parent: table, range: body.range)
            _ = declare(
                Symbol(name: variable, kind: .loopVariable, nameRange: nameRange(variable, after: "for", in: stmt.range),
                       declaration: SourceRange(stmt.range.start, body.range.start), scope: body.range,
                       visibleFrom: body.range.start, isTopLevel: false, owner: owner),
                in: inner)
            walk(body.statements, inner, owner: owner, topLevel: false)
        case .whileLoop(let condition, let body):
            walk(condition, table)
            walk(body, table, owner: owner)
        case .function(_, let parameters, let body):
            let me = functions[stmt.range.start]
            let inner = Table(parent: table, range: body.range)
            for p in parameters {
                _ = declare(
                    Symbol(name: p.name, kind: .parameter, nameRange: p.range, declaration: SourceRange(stmt.range.start, body.range.start),
                           scope: body.range, visibleFrom: body.range.start, isTopLevel: false, owner: me),
                    in: inner)
            }
            walk(body.statements, inner, owner: me, topLevel: false)
        case .tryCatch(let body, let errorName, let handler):
            walk(body, table, owner: owner)
            let inner = Table(parent: table, range: handler.range)
            if let errorName {
                let between = SourceRange(body.range.end, handler.range.start)
                _ = declare(
                    Symbol(name: errorName, kind: .errorVariable, nameRange: nameRange(errorName, after: "catch", in: between),
                           declaration: SourceRange(stmt.range.start, handler.range.start), scope: handler.range,
                           visibleFrom: handler.range.start, isTopLevel: false, owner: owner),
                    in: inner)
            }
            walk(handler.statements, inner, owner: owner, topLevel: false)
        case .returnValue(let p):
            if let p { walk(p, table) }
        case .breakLoop, .continueLoop:
            break
        case .quiet(let block):
            walk(block, table, owner: owner)
        }
    }

    private mutating func walk(_ block: Block, _ table: Table, owner: Int?) {
        walk(block.statements, Table(parent: table, range: block.range), owner: owner, topLevel: false)
    }

    private mutating func walk(_ pipeline: Pipeline, _ table: Table) {
        switch pipeline.head {
        case .command(let c): walk(c, table)
        case .expression(let e): walk(e, table)
        }
        for stage in pipeline.stages { walk(stage, table) }
    }

    private mutating func walk(_ command: Command, _ table: Table) {
        use(command.name, command.nameRange, table, isCommand: true)
        var site = CommandSite(name: command.name, nameRange: command.nameRange, range: command.range, firstWord: nil, options: [])
        for (i, argument) in command.arguments.enumerated() {
            switch argument {
            case .positional(let e):
                if i == 0, case .word(let w) = e.kind { site.firstWord = (w, e.range) }
                if i == 0, command.name == "source", let path = literal(e) {
                    sources.append(SourceLink(path: path, range: e.range))
                }
                walk(e, table)
            case .option(let name, let value, _, let range):
                site.options.append((name, range))
                if let value { walk(value, table) }
            case .block(let b):
                itemBlocks.append(b.range)
                walk(b, table, owner: nil)
            }
        }
        commands.append(site)
    }

    private func literal(_ e: Expr) -> String? {
        switch e.kind {
        case .word(let w), .rawString(let w): return w
        case .string(let parts):
            var out = ""
            for part in parts {
                guard case .text(let t) = part else { return nil }
                out += t
            }
            return out
        default: return nil
        }
    }

    private mutating func walk(_ e: Expr, _ table: Table) {
        switch e.kind {
        case .null, .bool, .int, .double, .duration, .rawString, .word, .itemMember:
            break
        case .variable(let name):
            use(name, variableNameRange(name, e.range), table)
        case .string(let parts):
            for part in parts {
                switch part {
                case .text: break
                case .path(let inner): walk(inner, table)
                case .sub(let p): walk(p, table)
                }
            }
        case .list(let items):
            for item in items { walk(item, table) }
        case .object(let entries):
            for entry in entries { walk(entry.value, table) }
        case .member(let base, _):
            walk(base, table)
        case .index(let base, let index):
            walk(base, table)
            walk(index, table)
        case .unary(_, let operand):
            walk(operand, table)
        case .binary(_, let l, let r):
            walk(l, table)
            walk(r, table)
        case .call(let name, let arguments, let named):
            use(name, SourceRange(e.range.start, e.range.start + name.utf8.count), table, isCommand: true)
            for a in arguments { walk(a, table) }
            for n in named { walk(n.value, table) }
        case .group(let p), .substitution(let p):
            walk(p, table)
        }
    }

    // MARK: - Name ranges (the tree keeps statement ranges; the names are found in the text)

    /// The range of `name` after `keyword` at the start of `range`.
    private func nameRange(_ name: String, after keyword: String, in range: SourceRange) -> SourceRange {
        var i = range.start
        let k = Array(keyword.utf8)
        let end = min(range.end, bytes.count)
        // `catch` follows the try block's `}` and blanks.
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x7D { i += 1 }
        if i + k.count <= end, Array(bytes[i..<i + k.count]) == k { i += k.count }
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x24 { i += 1 }
        let n = Array(name.utf8)
        if i + n.count <= end, Array(bytes[i..<i + n.count]) == n { return SourceRange(i, i + n.count) }
        return SourceRange(range.start, range.start)
    }

    /// `$name`, `${ name.path }`: the range of the name alone.
    private func variableNameRange(_ name: String, _ range: SourceRange) -> SourceRange {
        var i = range.start
        while i < min(range.end, bytes.count), bytes[i] == 0x24 || bytes[i] == 0x7B || bytes[i] == 0x20 { i += 1 }
        return SourceRange(i, min(i + name.utf8.count, max(range.end, i)))
    }
}
