// Resolves names and compiles the syntax tree into closures (one per node), reporting
// every problem `ats check` knows about: unknown commands and options (with did-you-mean),
// undefined variables, arity, misplaced `break`/`return`, functions that redefine commands.

/// A call before it is bound to what it calls: from shell form or call form.
struct CallSpec {
    var name: String
    var positional: [Expr]
    var options: [(name: String, value: Expr?, range: SourceRange)]
    var blocks: [Block]
    var range: SourceRange
    var nameRange: SourceRange
}

final class Compiler {
    let info: SourceInfo
    var diagnostics: [Diagnostic] = []
    var scope: Scope
    let builtins: [String: Builtin]
    let hostSignatures: [String: CommandSignature]
    /// The file has `source`: names may come from another file at run time.
    var lenient = false
    /// Names declared at the top level anywhere in the file (functions may read them before).
    var topLevelNames: Set<String> = []
    var functionCodes: [Int: FunctionCode] = [:]
    let maxCallDepth: Int

    init(info: SourceInfo, global: Scope, builtins: [String: Builtin], hostSignatures: [String: CommandSignature], maxCallDepth: Int) {
        self.info = info
        self.scope = global
        self.builtins = builtins
        self.hostSignatures = hostSignatures
        self.maxCallDepth = maxCallDepth
    }

    // MARK: - Helpers

    func report(_ m: DiagnosticMessage, _ r: SourceRange, notes: [DiagnosticNote] = [], suggestions: [String] = []) {
        diagnostics.append(Diagnostic(m, at: r, notes: notes, suggestions: suggestions))
    }

    func site(_ r: SourceRange) -> Site { Site(info: info, range: r) }

    /// The range of `name` after the keyword that starts `range` (`fn NAME(`).
    func nameRange(of name: String, in range: SourceRange) -> SourceRange {
        let bytes = info.map.bytes
        let n = Array(name.utf8)
        var i = range.start + 2
        while i + n.count <= min(range.end, bytes.count) {
            if Array(bytes[i..<(i + n.count)]) == n { return SourceRange(i, i + n.count) }
            i += 1
        }
        return range
    }

    func text(_ r: SourceRange) -> String {
        let bytes = info.map.bytes
        guard r.start >= 0, r.end <= bytes.count, r.start <= r.end else { return "" }
        return String(decoding: bytes[r.start..<r.end], as: UTF8.self)
    }

    static func const(_ v: Value) -> Eval { { _ throws(Unwind) in v } }

    var globalScope: Scope {
        var s = scope
        while let p = s.parent { s = p }
        return s
    }

    func resolve(_ name: String) -> Resolved? {
        var s: Scope? = scope
        var depth = 0
        var crosses = false
        while let cur = s {
            if let b = cur.lookupLocal(name) { return Resolved(depth: depth, binding: b, scope: cur, crossesParallel: crosses) }
            if cur.isParallelStage { crosses = true }
            s = cur.parent
            depth += 1
        }
        return nil
    }

    var visibleNames: [String] {
        var names: [String] = []
        var s: Scope? = scope
        while let cur = s {
            for b in cur.blocks { names.append(contentsOf: b.keys) }
            s = cur.parent
        }
        return names
    }

    var commandNames: [String] {
        var names = Array(builtins.keys) + StageKind.allCases.map(\.rawValue)
        names += hostSignatures.keys.filter { !$0.contains(" ") }
        var s: Scope? = scope
        while let cur = s {
            for b in cur.blocks { for (k, v) in b where v.function != nil { names.append(k) } }
            s = cur.parent
        }
        return names
    }

    func isCommandName(_ name: String) -> Bool {
        builtins[name] != nil || hostSignatures[name] != nil || StageKind(rawValue: name) != nil
    }

    /// A global created by a read before its declaration.
    func lazyGlobal(_ name: String) -> Resolved {
        let g = globalScope
        var depth = 0
        var s = scope
        var crosses = false
        while let p = s.parent {
            if s.isParallelStage { crosses = true }
            s = p
            depth += 1
        }
        if let b = g.blocks[0][name] { return Resolved(depth: depth, binding: b, scope: g, crossesParallel: crosses) }
        let b = Binding(slot: g.slotCount, function: nil, range: nil, lazy: true)
        g.slotCount += 1
        g.blocks[0][name] = b
        return Resolved(depth: depth, binding: b, scope: g, crossesParallel: crosses)
    }

    var inFunction: Bool { !scope.isGlobal }

    // MARK: - Variables

    func lookupForRead(_ name: String, _ range: SourceRange) -> Resolved? {
        if let r = resolve(name) { return r }
        if lenient || (inFunction && topLevelNames.contains(name)) { return lazyGlobal(name) }
        report(.undefinedVariable(name), range, suggestions: suggestions(for: name, among: visibleNames).map { "$" + $0 })
        return nil
    }

    func load(_ r: Resolved, _ name: String, _ range: SourceRange) -> Eval {
        let k = r.binding.slot
        let d = r.depth
        if r.binding.lazy {
            let site = site(range)
            return { f throws(Unwind) in
                guard f.ctx.interpreter.isGlobalDefined(k) else {
                    throw .error(Interpreter.scriptError(.undefinedVariable(name), at: site))
                }
                return f.ancestor(d).slots[k]
            }
        }
        switch d {
        case 0: return { f throws(Unwind) in f.slots[k] }
        case 1: return { f throws(Unwind) in f.parent.unsafelyUnwrapped.slots[k] }
        default: return { f throws(Unwind) in f.ancestor(d).slots[k] }
        }
    }

    func compileVariable(_ name: String, _ range: SourceRange) -> Eval {
        guard let r = lookupForRead(name, range) else { return Compiler.const(.null) }
        return load(r, name, range)
    }

    /// A store into a resolved slot; marks lazily created globals as defined.
    func store(_ r: Resolved, markDefined: Bool) -> (Frame, Value) -> Void {
        let k = r.binding.slot
        let d = r.depth
        if markDefined || r.binding.lazy {
            return { f, v in
                f.ancestor(d).slots[k] = v
                f.ctx.interpreter.markGlobalDefined(k)
            }
        }
        switch d {
        case 0: return { f, v in f.slots[k] = v }
        default: return { f, v in f.ancestor(d).slots[k] = v }
        }
    }

    // MARK: - Program and blocks

    func compileProgram(_ program: Program) -> Exec {
        lenient = lenient || Compiler.usesSource(program.statements)
        for s in program.statements {
            switch s.kind {
            case .letBinding(let name, _): topLevelNames.insert(name)
            case .function(let name, _, _): topLevelNames.insert(name)
            default: break
            }
        }
        let hoisted = hoistFunctions(program.statements)
        let execs = hoisted + program.statements.map(compileStatement)
        return Compiler.sequence(execs)
    }

    static func usesSource(_ statements: [Stmt]) -> Bool {
        func inBlock(_ b: Block) -> Bool { usesSource(b.statements) }
        for s in statements {
            switch s.kind {
            case .pipeline(let p):
                if case .command(let c) = p.head, c.name == "source" { return true }
            case .ifChain(let branches, let otherwise):
                if branches.contains(where: { inBlock($0.body) }) || otherwise.map(inBlock) == true { return true }
            case .forLoop(_, _, let body), .whileLoop(_, let body), .function(_, _, let body), .quiet(let body):
                if inBlock(body) { return true }
            case .tryCatch(let body, _, let handler):
                if inBlock(body) || inBlock(handler) { return true }
            case .letBinding, .assignment, .returnValue, .breakLoop, .continueLoop: break
            }
        }
        return false
    }

    static func sequence(_ execs: [Exec]) -> Exec {
        switch execs.count {
        case 0: return { _ throws(Unwind) in .normal }
        case 1: return execs[0]
        case 2:
            let a = execs[0], b = execs[1]
            return { f throws(Unwind) in
                let c = try a(f)
                if case .normal = c { return try b(f) }
                return c
            }
        default:
            return { f throws(Unwind) in
                for e in execs {
                    let c = try e(f)
                    if case .normal = c { continue }
                    return c
                }
                return .normal
            }
        }
    }

    func compileBlock(_ block: Block, declare: ((Scope) -> Void)? = nil) -> Exec {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        declare?(scope)
        let hoisted = hoistFunctions(block.statements)
        return Compiler.sequence(hoisted + block.statements.map(compileStatement))
    }

    /// Declares the block's functions before its statements (so they may call each other).
    func hoistFunctions(_ statements: [Stmt]) -> [Exec] {
        var execs: [Exec] = []
        var declaredHere: [String: SourceRange] = [:]
        for s in statements {
            guard case .function(let name, let parameters, _) = s.kind else { continue }
            if isCommandName(name) {
                report(.redefinesCommand(name), nameRange(of: name, in: s.range))
                continue
            }
            let isGlobalDict = scope.isGlobal && scope.blocks.count == 1
            if let previous = declaredHere[name] {
                report(.duplicateFunction(name), nameRange(of: name, in: s.range),
                       notes: [DiagnosticNote(.definedHere(name), at: nameRange(of: name, in: previous))])
                continue
            }
            declaredHere[name] = s.range
            let b = scope.declare(name, range: s.range, function: parameters.map(\.name))
            let code = FunctionCode(name: name, parameters: parameters.map(\.name))
            functionCodes[s.range.start] = code
            let k = b.slot
            let mark = isGlobalDict
            let exec: Exec = { f throws(Unwind) in
                f.slots[k] = .function(FunctionValue(name: name, body: UserFunction(code: code, environment: f)))
                if mark { f.ctx.interpreter.markGlobalDefined(k) }
                return .normal
            }
            execs.append(exec)
        }
        return execs
    }

    // MARK: - Statements

    func compileStatement(_ s: Stmt) -> Exec {
        switch s.kind {
        case .pipeline(let p):
            let (e, isVoid) = compilePipeline(p)
            let isTop = scope.isGlobal && scope.blocks.count == 1
            if isVoid {
                if isTop {
                    return { f throws(Unwind) in
                        f.ctx.interpreter.lastValue = nil
                        _ = try e(f)
                        return .normal
                    }
                }
                return { f throws(Unwind) in
                    _ = try e(f)
                    return .normal
                }
            }
            return { f throws(Unwind) in
                let v = try e(f)
                let interpreter = f.ctx.interpreter
                if isTop { interpreter.lastValue = v }
                if f.ctx.quiet == 0 { interpreter.output.emit(v) }
                return .normal
            }

        case .letBinding(let name, let value):
            let (e, _) = compilePipeline(value)
            let isGlobalDict = scope.isGlobal && scope.blocks.count == 1
            let b = scope.declare(name, range: s.range)
            let r = Resolved(depth: 0, binding: b, scope: scope, crossesParallel: false)
            let st = store(r, markDefined: isGlobalDict)
            return { f throws(Unwind) in
                st(f, try e(f))
                return .normal
            }

        case .assignment(let target, let op, let value):
            return compileAssignment(target, op, value, s.range)

        case .ifChain(let branches, let otherwise):
            let conditions = branches.map { compileCondition($0.condition) }
            let bodies = branches.map { compileBlock($0.body) }
            let elseBody = otherwise.map { compileBlock($0) }
            if conditions.count == 1 {
                let c = conditions[0], b = bodies[0]
                if let e = elseBody {
                    return { f throws(Unwind) in try c(f) ? try b(f) : try e(f) }
                }
                return { f throws(Unwind) in try c(f) ? try b(f) : .normal }
            }
            return { f throws(Unwind) in
                for i in 0..<conditions.count where try conditions[i](f) {
                    return try bodies[i](f)
                }
                if let e = elseBody { return try e(f) }
                return .normal
            }

        case .whileLoop(let condition, let body):
            let c = compileCondition(condition)
            scope.loopDepth += 1
            let b = compileBlock(body)
            scope.loopDepth -= 1
            return { f throws(Unwind) in
                let flag = f.ctx.interrupt
                while true {
                    if flag.isRaised { throw .interrupted }
                    guard try c(f) else { break }
                    switch try b(f) {
                    case .normal, .continueLoop: continue
                    case .breakLoop: return .normal
                    case .returned(let v): return .returned(v)
                    }
                }
                return .normal
            }

        case .forLoop(let variable, let sequence, let body):
            return compileFor(variable, sequence, body, s.range)

        case .function(_, let parameters, let body):
            guard let code = functionCodes[s.range.start] else { return { _ throws(Unwind) in .normal } }
            let fnScope = Scope(parent: scope, kind: .function)
            var seen: Set<String> = []
            for p in parameters {
                if !seen.insert(p.name).inserted { report(.duplicateParameter(p.name), p.range) }
                _ = fnScope.declare(p.name, range: p.range)
            }
            let saved = scope
            scope = fnScope
            let exec = compileBlock(body)
            scope = saved
            code.body = exec
            code.frameSize = fnScope.slotCount
            return { _ throws(Unwind) in .normal }

        case .tryCatch(let body, let errorName, let handler):
            let b = compileBlock(body)
            var slot: ((Frame, Value) -> Void)?
            let h = compileBlock(handler) { sc in
                if let errorName {
                    let binding = sc.declare(errorName, range: s.range)
                    slot = self.store(Resolved(depth: 0, binding: binding, scope: sc, crossesParallel: false), markDefined: false)
                }
            }
            let st = slot
            return { f throws(Unwind) in
                do throws(Unwind) {
                    return try b(f)
                } catch {
                    switch error {
                    case .error(let e):
                        st?(f, .error(e))
                        return try h(f)
                    case .exit, .interrupted:
                        throw error
                    }
                }
            }

        case .returnValue(let value):
            if !scope.isFunction {
                report(.returnOutsideFunction, s.range)
                return { _ throws(Unwind) in .normal }
            }
            guard let value else { return { _ throws(Unwind) in .returned(.null) } }
            let (e, _) = compilePipeline(value)
            return { f throws(Unwind) in .returned(try e(f)) }

        case .breakLoop:
            if scope.loopDepth == 0 { report(.outsideLoop("break"), s.range) }
            return { _ throws(Unwind) in .breakLoop }

        case .continueLoop:
            if scope.loopDepth == 0 { report(.outsideLoop("continue"), s.range) }
            return { _ throws(Unwind) in .continueLoop }

        case .quiet(let body):
            let b = compileBlock(body)
            return { f throws(Unwind) in
                f.ctx.quiet += 1
                defer { f.ctx.quiet -= 1 }
                return try b(f)
            }
        }
    }

    func compileFor(_ variable: String, _ sequence: Expr, _ body: Block, _ range: SourceRange) -> Exec {
        let site = site(sequence.range)
        var slot = 0
        scope.loopDepth += 1
        let seqRange: (Eval, Eval)?
        if case .binary(.range, let lo, let hi) = sequence.kind {
            seqRange = (compileExpr(lo), compileExpr(hi))
        } else {
            seqRange = nil
        }
        let seq = seqRange == nil ? compileExpr(sequence) : Compiler.const(.null)
        let b = compileBlock(body) { sc in slot = sc.declare(variable, range: range).slot }
        scope.loopDepth -= 1
        let k = slot
        if let (loF, hiF) = seqRange {
            return { f throws(Unwind) in
                guard case .int(let lo) = try loF(f), case .int(let hi) = try hiF(f) else {
                    throw .error(Interpreter.scriptError(.invalidArgument(function: "..", detail: "a range needs two integers"), at: site))
                }
                if lo > hi { return .normal }
                let flag = f.ctx.interrupt
                for i in lo...hi {
                    if flag.isRaised { throw .interrupted }
                    f.slots[k] = .int(i)
                    switch try b(f) {
                    case .normal, .continueLoop: continue
                    case .breakLoop: return .normal
                    case .returned(let v): return .returned(v)
                    }
                }
                return .normal
            }
        }
        return { f throws(Unwind) in
            let items: [Value]
            switch try seq(f) {
            case .list(let l): items = l
            case .object(let o): items = o.keys.map(Value.string)
            case .null: items = []
            case let v: throw .error(Interpreter.scriptError(.notIterable(v.typeName), at: site))
            }
            let flag = f.ctx.interrupt
            for item in items {
                if flag.isRaised { throw .interrupted }
                f.slots[k] = item
                switch try b(f) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned(let v): return .returned(v)
                }
            }
            return .normal
        }
    }

    // MARK: - Assignment

    enum PathStep {
        case member(String)
        case index(Eval)
    }

    func compileAssignment(_ target: Expr, _ op: AssignOp, _ value: Pipeline, _ range: SourceRange) -> Exec {
        let (v, _) = compilePipeline(value)
        var steps: [PathStep] = []
        var root = target
        while true {
            switch root.kind {
            case .member(let base, let name):
                steps.insert(.member(name), at: 0)
                root = base
                continue
            case .index(let base, let index):
                steps.insert(.index(compileExpr(index)), at: 0)
                root = base
                continue
            default: break
            }
            break
        }
        guard case .variable(let name) = root.kind else {
            report(.invalidAssignmentTarget, target.range)
            return { _ throws(Unwind) in .normal }
        }
        let resolved: Resolved
        if let r = resolve(name) {
            resolved = r
        } else if lenient {
            resolved = lazyGlobal(name)
        } else {
            report(.undefinedVariable(name), root.range, suggestions: suggestions(for: name, among: visibleNames).map { "$" + $0 })
            return { _ throws(Unwind) in .normal }
        }
        if resolved.crossesParallel {
            report(.assignmentInParallel(name), target.range)
        }
        let k = resolved.binding.slot
        let d = resolved.depth
        let site = site(range)
        let lazy = resolved.binding.lazy
        let checkParallel = d > 0
        let combine: (Value, Value) -> Result<Value, RuntimeError>
        switch op {
        case .set: combine = { _, new in .success(new) }
        case .add: combine = Arithmetic.add
        case .sub: combine = Arithmetic.subtract
        case .mul: combine = Arithmetic.multiply
        case .div: combine = Arithmetic.divide
        }
        if steps.isEmpty {
            if op == .set {
                return { f throws(Unwind) in
                    let new = try v(f)
                    if checkParallel, f.ctx.parallel { throw .error(Interpreter.scriptError(.assignmentInParallel(name), at: site)) }
                    f.ancestor(d).slots[k] = new
                    if lazy { f.ctx.interpreter.markGlobalDefined(k) }
                    return .normal
                }
            }
            let isAdd = op == .add
            return { f throws(Unwind) in
                let rhs = try v(f)
                if checkParallel, f.ctx.parallel { throw .error(Interpreter.scriptError(.assignmentInParallel(name), at: site)) }
                if lazy, !f.ctx.interpreter.isGlobalDefined(k) {
                    throw .error(Interpreter.scriptError(.undefinedVariable(name), at: site))
                }
                let p = f.ancestor(d).slots + k
                if isAdd {
                    if case .int(let x) = p.pointee, case .int(let y) = rhs {
                        let (s, o) = x.addingReportingOverflow(y)
                        if !o {
                            p.pointee = .int(s)
                            return .normal
                        }
                    }
                    if p.pointee.appendInPlace(rhs) { return .normal }
                }
                switch combine(p.pointee, rhs) {
                case .success(let r): p.pointee = r
                case .failure(let e): throw .error(Interpreter.scriptError(e, at: site))
                }
                return .normal
            }
        }
        return { f throws(Unwind) in
            let rhs = try v(f)
            if checkParallel, f.ctx.parallel { throw .error(Interpreter.scriptError(.assignmentInParallel(name), at: site)) }
            var keys: [Value] = []
            for step in steps {
                switch step {
                case .member(let m): keys.append(.string(m))
                case .index(let e): keys.append(try e(f))
                }
            }
            let p = f.ancestor(d).slots + k
            if let e = Compiler.assign(&p.pointee, keys[...], rhs, combine) {
                throw .error(Interpreter.scriptError(e, at: site))
            }
            return .normal
        }
    }

    /// Sets `value[keys…]`, creating objects for missing members; nil on success.
    static func assign(_ value: inout Value, _ keys: ArraySlice<Value>, _ rhs: Value,
                       _ combine: (Value, Value) -> Result<Value, RuntimeError>) -> RuntimeError? {
        guard let key = keys.first else {
            switch combine(value, rhs) {
            case .success(let r):
                value = r
                return nil
            case .failure(let e): return e
            }
        }
        let rest = keys.dropFirst()
        switch (value, key) {
        case (.object(var o), .string(let name)):
            value = .null
            var inner = o[name] ?? .null
            o[name] = .null
            let e = assign(&inner, rest, rhs, combine)
            o[name] = inner
            value = .object(o)
            return e
        case (.null, .string(let name)):
            var inner = Value.null
            let e = assign(&inner, rest, rhs, combine)
            value = .object(ValueObject([(name, inner)]))
            return e
        case (.list(var l), .int(let i)):
            let index = i < 0 ? l.count + i : i
            guard index >= 0, index < l.count else { return .badIndex(container: "a list of \(l.count) items", index: String(i)) }
            value = .null
            var inner = l[index]
            l[index] = .null
            let e = assign(&inner, rest, rhs, combine)
            l[index] = inner
            value = .list(l)
            return e
        default:
            return .cannotAssign(container: value.typeName)
        }
    }
}

extension Value {
    /// `$xs += [x]` and `$s += "t"` without copying: the payload is uniquely referenced
    /// once the enum no longer holds it.
    mutating func appendInPlace(_ other: Value) -> Bool {
        if case .list(let b) = other {
            guard case .list(var a) = self else { return false }
            self = .null
            a.append(contentsOf: b)
            self = .list(a)
            return true
        }
        if case .string(let b) = other {
            guard case .string(var a) = self else { return false }
            self = .null
            a += b
            self = .string(a)
            return true
        }
        return false
    }
}
