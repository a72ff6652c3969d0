// The built-in pipeline stages. Their expressions and blocks run in a small scope of
// their own where `$it` (and `.field`) is the current item.

extension Compiler {
    func withItemScope<T>(parallel: Bool = false, _ body: () -> T) -> (T, Int) {
        let s = Scope(parent: scope, kind: .stage(parallel: parallel))
        _ = s.declare("it", range: nil)
        let saved = scope
        scope = s
        let result = body()
        scope = saved
        return (result, s.slotCount)
    }

    static func items(_ v: Value) -> [Value] {
        switch v {
        case .list(let l): return l
        case .null: return []
        default: return [v]
        }
    }

    static func isItemPath(_ e: Expr) -> Bool {
        switch e.kind {
        case .itemMember: return true
        case .member(let base, _), .index(let base, _): return isItemPath(base)
        default: return false
        }
    }

    func compileStage(_ kind: StageKind, _ spec: CallSpec, _ input: @escaping Eval) -> Eval {
        let (sig, _) = Builtins.stageSignatures[kind]!
        checkOptions(sig, spec)
        if kind != .each { checkArity(sig, given: spec.positional.count, spec) }
        let site = site(spec.range)
        switch kind {
        case .where:
            guard let e = spec.positional.first else { return input }
            let (cond, size) = withItemScope { compileCondition(e) }
            return { f throws(Unwind) in
                let items = Compiler.items(try input(f))
                let frame = Frame(size: size, parent: f, ctx: f.ctx)
                var out: [Value] = []
                let flag = f.ctx.interrupt
                for item in items {
                    if flag.isRaised { throw .interrupted }
                    frame.slots[0] = item
                    if try cond(frame) { out.append(item) }
                }
                return .list(out)
            }

        case .select:
            var fields: [Eval] = []
            for e in spec.positional {
                switch e.kind {
                case .word(let w):
                    for part in w.split(separator: ",") { fields.append(Compiler.const(.string(String(part)))) }
                case .itemMember(let name): fields.append(Compiler.const(.string(name)))
                default: fields.append(compileExpr(e))
                }
            }
            return { f throws(Unwind) in
                var names: [String] = []
                for e in fields { names.append(try e(f).text) }
                func pick(_ v: Value) -> Value {
                    var o = ValueObject()
                    for n in names { o.appendUnchecked(n, Interpreter.member(v, n)) }
                    return .object(o)
                }
                let v = try input(f)
                if case .object = v { return pick(v) }
                return .list(Compiler.items(v).map(pick))
            }

        case .sort, .unique, .group:
            var key: Eval?
            var size = 1
            if let e = spec.positional.first { (key, size) = withItemScope { compileExpr(e) } }
            let descending = spec.options.contains { $0.name == "desc" }
            let keyFn = key
            return { f throws(Unwind) in
                let items = Compiler.items(try input(f))
                var keys: [Value] = []
                keys.reserveCapacity(items.count)
                if let keyFn {
                    let frame = Frame(size: size, parent: f, ctx: f.ctx)
                    for item in items {
                        frame.slots[0] = item
                        keys.append(try keyFn(frame))
                    }
                } else {
                    keys = items
                }
                switch kind {
                case .sort:
                    let order = items.indices.sorted { a, b in
                        let c = Value.sortComparison(keys[a], keys[b])
                        if c != 0 { return (c < 0) != descending }
                        return a < b
                    }
                    return .list(order.map { items[$0] })
                case .unique:
                    var seen: Set<String> = []
                    var out: [Value] = []
                    for (i, item) in items.enumerated() where seen.insert(Compiler.identity(keys[i])).inserted { out.append(item) }
                    return .list(out)
                default:
                    var groups = ValueObject()
                    var order: [String] = []
                    var members: [String: [Value]] = [:]
                    for (i, item) in items.enumerated() {
                        let k = keys[i].text
                        if members[k] == nil { order.append(k) }
                        members[k, default: []].append(item)
                    }
                    for k in order { groups.appendUnchecked(k, .list(members[k]!)) }
                    return .object(groups)
                }
            }

        case .first, .last:
            let n = spec.positional.first.map(compileExpr)
            let isFirst = kind == .first
            return { f throws(Unwind) in
                let items = Compiler.items(try input(f))
                guard let n else { return (isFirst ? items.first : items.last) ?? .null }
                guard case .int(let count) = try n(f), count >= 0 else {
                    throw .error(Interpreter.scriptError(.invalidArgument(function: isFirst ? "first" : "last", detail: "expected a count"), at: site))
                }
                return .list(Array(isFirst ? items.prefix(count) : items.suffix(count)))
            }

        case .count:
            return { f throws(Unwind) in .int(Compiler.items(try input(f)).count) }

        case .get:
            guard let e = spec.positional.first else { return input }
            let (path, size) = withItemScope { compileExpr(e) }
            let maps = Compiler.isItemPath(e)
            return { f throws(Unwind) in
                let v = try input(f)
                let frame = Frame(size: size, parent: f, ctx: f.ctx)
                if maps, case .list(let items) = v {
                    var out: [Value] = []
                    out.reserveCapacity(items.count)
                    for item in items {
                        frame.slots[0] = item
                        out.append(try path(frame))
                    }
                    return .list(out)
                }
                frame.slots[0] = v
                return try path(frame)
            }

        case .each:
            return compileEach(spec, input, site)
        }
    }

    /// `true` and `"true"` differ; `1` and `1.0` do not.
    static func identity(_ v: Value) -> String {
        switch v {
        case .string(let s): return "s" + s
        case .double(let d) where d == d.rounded() && abs(d) < 9e18: return "n" + String(Int(d))
        case .int(let i): return "n" + String(i)
        default: return "j" + v.text
        }
    }

    func compileEach(_ spec: CallSpec, _ input: @escaping Eval, _ site: Site) -> Eval {
        guard let block = spec.blocks.first else {
            report(.needsBlock("each"), spec.nameRange)
            return input
        }
        let parallelOption = spec.options.first { $0.name == "parallel" }
        let parallelCount = parallelOption?.value.map(compileExpr)
        let ((body, last), size) = withItemScope(parallel: parallelOption != nil) { () -> (Exec, Eval?) in
            scope.loopDepth = 1
            var statements = block.statements
            var last: Eval?
            let hoisted = hoistFunctions(statements)
            if case .pipeline(let p)? = statements.last?.kind {
                statements.removeLast()
                let execs = hoisted + statements.map(compileStatement)
                last = compilePipeline(p).0
                return (Compiler.sequence(execs), last)
            }
            return (Compiler.sequence(hoisted + statements.map(compileStatement)), nil)
        }
        func runOne(_ frame: Frame) throws(Unwind) -> (Value, Completion) {
            let c = try body(frame)
            if case .normal = c, let last { return (try last(frame), .normal) }
            return (.null, c)
        }
        return { f throws(Unwind) in
            let items = Compiler.items(try input(f))
            if items.isEmpty { return .list([]) }
            var threads = 1
            if let parallelCount {
                guard case .int(let n) = try parallelCount(f), n >= 1 else {
                    throw .error(Interpreter.scriptError(.invalidArgument(function: "each", detail: "--parallel needs a positive count"), at: site))
                }
                threads = min(n, items.count, 64)
            }
            var results: [Value]
            if threads <= 1 {
                results = []
                results.reserveCapacity(items.count)
                let flag = f.ctx.interrupt
                for item in items {
                    if flag.isRaised { throw .interrupted }
                    let frame = Frame(size: size, parent: f, ctx: f.ctx)
                    frame.slots[0] = item
                    let (v, c) = try runOne(frame)
                    if case .breakLoop = c { break }
                    results.append(v)
                }
            } else {
                results = try Compiler.runParallel(items, threads: threads, size: size, f) { frame throws(Unwind) in try runOne(frame).0 }
            }
            if results.allSatisfy({ if case .null = $0 { return true } else { return false } }) { return .null }
            return .list(results)
        }
    }

    /// Runs `body` for each item on up to `threads` threads; the first error (by item order) wins.
    static func runParallel(_ items: [Value], threads: Int, size: Int, _ f: Frame, _ body: @escaping (Frame) throws(Unwind) -> Value) throws(Unwind) -> [Value] {
        let count = items.count
        let state = ParallelState(count: count)
        let parentCtx = f.ctx
        System.runThreads(threads) {
            let ctx = ExecContext(interpreter: parentCtx.interpreter, interrupt: parentCtx.interrupt, parallel: true,
                                  depth: parentCtx.depth, quiet: parentCtx.quiet)
            while let i = state.next() {
                if ctx.interrupt.isRaised {
                    state.fail(i, .interrupted)
                    break
                }
                let frame = Frame(size: size, parent: f, ctx: ctx)
                frame.slots[0] = items[i]
                do throws(Unwind) {
                    let v = try body(frame)
                    state.set(i, v)
                } catch {
                    state.fail(i, error)
                }
            }
        }
        if parentCtx.interrupt.isRaised { throw .interrupted }
        if let e = state.firstError { throw e }
        return state.results
    }
}
