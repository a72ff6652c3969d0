// Expressions, with integer fast paths for arithmetic and comparison.

typealias Cond = (Frame) throws(Unwind) -> Bool

extension Compiler {
    func compileExpr(_ e: Expr) -> Eval {
        switch e.kind {
        case .null: return Compiler.const(.null)
        case .bool(let b): return Compiler.const(.bool(b))
        case .int(let i): return Compiler.const(.int(i))
        case .double(let d): return Compiler.const(.double(d))
        case .duration(let ms): return Compiler.const(.duration(.milliseconds(ms)))
        case .rawString(let s), .word(let s): return Compiler.const(.string(s))
        case .string(let parts): return compileString(parts)
        case .variable(let name): return compileVariable(name, e.range)
        case .itemMember(let name):
            guard let r = resolve("it") else {
                report(.undefinedVariable("it"), e.range)
                return Compiler.const(.null)
            }
            let base = load(r, "it", e.range)
            return { f throws(Unwind) in Interpreter.member(try base(f), name) }
        case .list(let items):
            let evals = items.map(compileExpr)
            return { f throws(Unwind) in
                var out: [Value] = []
                out.reserveCapacity(evals.count)
                for ev in evals { out.append(try ev(f)) }
                return .list(out)
            }
        case .object(let entries):
            let evals = entries.map { ($0.key, compileExpr($0.value)) }
            return { f throws(Unwind) in
                var o = ValueObject()
                for (k, ev) in evals { o[k] = try ev(f) }
                return .object(o)
            }
        case .member(let base, let name):
            let b = compileExpr(base)
            return { f throws(Unwind) in Interpreter.member(try b(f), name) }
        case .index(let base, let index):
            let b = compileExpr(base)
            let i = compileExpr(index)
            let site = site(e.range)
            return { f throws(Unwind) in
                switch Interpreter.index(try b(f), try i(f)) {
                case .success(let v): return v
                case .failure(let err): throw .error(Interpreter.scriptError(err, at: site))
                }
            }
        case .unary(.neg, let operand):
            let x = compileExpr(operand)
            let site = site(e.range)
            return { f throws(Unwind) in try Compiler.check(Arithmetic.negate(try x(f)), site) }
        case .unary(.not, _):
            let c = compileCondition(e)
            return { f throws(Unwind) in .bool(try c(f)) }
        case .binary(let op, let l, let r):
            return compileBinary(op, l, r, e)
        case .call(let name, let arguments, let named):
            let spec = CallSpec(name: name, positional: arguments, options: named.map { ($0.name, $0.value, $0.value.range) },
                                blocks: [], range: e.range, nameRange: SourceRange(e.range.start, e.range.start + name.utf8.count))
            return compileCall(spec, input: nil, callForm: true).0
        case .group(let p), .substitution(let p):
            return compilePipeline(p).0
        }
    }

    static func check(_ r: Result<Value, RuntimeError>, _ site: Site) throws(Unwind) -> Value {
        switch r {
        case .success(let v): return v
        case .failure(let e): throw .error(Interpreter.scriptError(e, at: site))
        }
    }

    func compileString(_ parts: [StringPart]) -> Eval {
        enum Piece { case text(String), value(Eval) }
        var pieces: [Piece] = []
        for part in parts {
            switch part {
            case .text(let t): pieces.append(.text(t))
            case .path(let e): pieces.append(.value(compileExpr(e)))
            case .sub(let p): pieces.append(.value(compilePipeline(p).0))
            }
        }
        if pieces.isEmpty { return Compiler.const(.string("")) }
        if pieces.count == 1, case .text(let t) = pieces[0] { return Compiler.const(.string(t)) }
        return { f throws(Unwind) in
            var s = ""
            for piece in pieces {
                switch piece {
                case .text(let t): s += t
                case .value(let ev): s += try ev(f).text
                }
            }
            return .string(s)
        }
    }

    func compileBinary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ e: Expr) -> Eval {
        let site = site(e.range)
        switch op {
        case .eq, .ne, .lt, .le, .gt, .ge, .and, .or, .in, .match:
            let c = compileCondition(e)
            return { f throws(Unwind) in .bool(try c(f)) }
        case .coalesce:
            let lf = compileExpr(l), rf = compileExpr(r)
            return { f throws(Unwind) in
                let v = try lf(f)
                if case .null = v { return try rf(f) }
                return v
            }
        case .range:
            let lf = compileExpr(l), rf = compileExpr(r)
            return { f throws(Unwind) in
                guard case .int(let lo) = try lf(f), case .int(let hi) = try rf(f) else {
                    throw .error(Interpreter.scriptError(.invalidArgument(function: "..", detail: "a range needs two integers"), at: site))
                }
                if lo > hi { return .list([]) }
                guard hi - lo < 50_000_000 else {
                    throw .error(Interpreter.scriptError(.invalidArgument(function: "..", detail: "the range is too large"), at: site))
                }
                return .list((lo...hi).map(Value.int))
            }
        case .add, .sub, .mul, .div, .mod:
            let lf = compileExpr(l)
            if case .int(let c) = r.kind {
                switch op {
                case .add:
                    return { f throws(Unwind) in
                        let a = try lf(f)
                        if case .int(let x) = a { let (s, o) = x.addingReportingOverflow(c); if !o { return .int(s) } }
                        return try Compiler.check(Arithmetic.add(a, .int(c)), site)
                    }
                case .sub:
                    return { f throws(Unwind) in
                        let a = try lf(f)
                        if case .int(let x) = a { let (s, o) = x.subtractingReportingOverflow(c); if !o { return .int(s) } }
                        return try Compiler.check(Arithmetic.subtract(a, .int(c)), site)
                    }
                case .mul:
                    return { f throws(Unwind) in
                        let a = try lf(f)
                        if case .int(let x) = a { let (s, o) = x.multipliedReportingOverflow(by: c); if !o { return .int(s) } }
                        return try Compiler.check(Arithmetic.multiply(a, .int(c)), site)
                    }
                case .mod where c > 0:
                    return { f throws(Unwind) in
                        let a = try lf(f)
                        if case .int(let x) = a { return .int(x % c) }
                        return try Compiler.check(Arithmetic.remainder(a, .int(c)), site)
                    }
                default: break
                }
            }
            let rf = compileExpr(r)
            switch op {
            case .add:
                return { f throws(Unwind) in
                    let a = try lf(f), b = try rf(f)
                    if case .int(let x) = a, case .int(let y) = b { let (s, o) = x.addingReportingOverflow(y); if !o { return .int(s) } }
                    return try Compiler.check(Arithmetic.add(a, b), site)
                }
            case .sub:
                return { f throws(Unwind) in
                    let a = try lf(f), b = try rf(f)
                    if case .int(let x) = a, case .int(let y) = b { let (s, o) = x.subtractingReportingOverflow(y); if !o { return .int(s) } }
                    return try Compiler.check(Arithmetic.subtract(a, b), site)
                }
            case .mul:
                return { f throws(Unwind) in
                    let a = try lf(f), b = try rf(f)
                    if case .int(let x) = a, case .int(let y) = b { let (s, o) = x.multipliedReportingOverflow(by: y); if !o { return .int(s) } }
                    return try Compiler.check(Arithmetic.multiply(a, b), site)
                }
            case .div:
                return { f throws(Unwind) in try Compiler.check(Arithmetic.divide(try lf(f), try rf(f)), site) }
            default:
                return { f throws(Unwind) in
                    let a = try lf(f), b = try rf(f)
                    if case .int(let x) = a, case .int(let y) = b, y > 0 { return .int(x % y) }
                    return try Compiler.check(Arithmetic.remainder(a, b), site)
                }
            }
        }
    }

    /// An expression evaluated for its truth, without building a boolean value.
    func compileCondition(_ e: Expr) -> Cond {
        let site = site(e.range)
        switch e.kind {
        case .unary(.not, let operand):
            let c = compileCondition(operand)
            return { f throws(Unwind) in try !c(f) }
        case .binary(.and, let l, let r):
            let a = compileCondition(l), b = compileCondition(r)
            return { f throws(Unwind) in
                if try !a(f) { return false }
                return try b(f)
            }
        case .binary(.or, let l, let r):
            let a = compileCondition(l), b = compileCondition(r)
            return { f throws(Unwind) in
                if try a(f) { return true }
                return try b(f)
            }
        case .binary(.in, let l, let r):
            let a = compileExpr(l), b = compileExpr(r)
            return { f throws(Unwind) in
                let item = try a(f)
                switch Arithmetic.contains(try b(f), item) {
                case .success(let r): return r
                case .failure(let err): throw .error(Interpreter.scriptError(err, at: site))
                }
            }
        case .binary(.match, let l, let r):
            let a = compileExpr(l), b = compileExpr(r)
            return { f throws(Unwind) in
                let subject = try a(f), pattern = try b(f)
                guard case .string(let s) = subject, case .string(let p) = pattern else {
                    throw .error(Interpreter.scriptError(.typeMismatch(op: "=~", left: subject.typeName, right: pattern.typeName), at: site))
                }
                guard let regex = f.ctx.interpreter.regexCache.regex(p) else { throw .error(Interpreter.scriptError(.invalidRegex(p), at: site)) }
                return s.contains(regex)
            }
        case .binary(let op, let l, let r) where [.eq, .ne, .lt, .le, .gt, .ge].contains(op):
            let a = compileExpr(l)
            if case .int(let c) = r.kind {
                switch op {
                case .lt: return { f throws(Unwind) in
                    let x = try a(f)
                    if case .int(let i) = x { return i < c }
                    return try Compiler.compareSlow(op, x, .int(c), site)
                }
                case .le: return { f throws(Unwind) in
                    let x = try a(f)
                    if case .int(let i) = x { return i <= c }
                    return try Compiler.compareSlow(op, x, .int(c), site)
                }
                case .gt: return { f throws(Unwind) in
                    let x = try a(f)
                    if case .int(let i) = x { return i > c }
                    return try Compiler.compareSlow(op, x, .int(c), site)
                }
                case .ge: return { f throws(Unwind) in
                    let x = try a(f)
                    if case .int(let i) = x { return i >= c }
                    return try Compiler.compareSlow(op, x, .int(c), site)
                }
                case .eq: return { f throws(Unwind) in
                    let x = try a(f)
                    if case .int(let i) = x { return i == c }
                    return Value.equal(x, .int(c))
                }
                default: return { f throws(Unwind) in
                    let x = try a(f)
                    if case .int(let i) = x { return i != c }
                    return !Value.equal(x, .int(c))
                }
                }
            }
            let b = compileExpr(r)
            return { f throws(Unwind) in
                let x = try a(f), y = try b(f)
                if case .int(let i) = x, case .int(let j) = y {
                    switch op {
                    case .lt: return i < j
                    case .le: return i <= j
                    case .gt: return i > j
                    case .ge: return i >= j
                    case .eq: return i == j
                    default: return i != j
                    }
                }
                return try Compiler.compareSlow(op, x, y, site)
            }
        default:
            let ev = compileExpr(e)
            return { f throws(Unwind) in try ev(f).isTruthy }
        }
    }

    static func compareSlow(_ op: BinaryOp, _ a: Value, _ b: Value, _ site: Site) throws(Unwind) -> Bool {
        switch op {
        case .eq: return Value.equal(a, b)
        case .ne: return !Value.equal(a, b)
        default: break
        }
        guard let c = Value.compare(a, b) else {
            throw .error(Interpreter.scriptError(.typeMismatch(op: op.rawValue, left: a.typeName, right: b.typeName), at: site))
        }
        switch op {
        case .lt: return c < 0
        case .le: return c <= 0
        case .gt: return c > 0
        default: return c >= 0
        }
    }
}
