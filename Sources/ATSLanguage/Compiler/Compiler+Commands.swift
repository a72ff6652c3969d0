// Commands: user functions, the language's built-ins and stages, and host commands, all
// bound the same way from shell form (`stop 5381 --force`) or call form (`stop(5381, force: true)`).

extension Compiler {
    // pipeline := element { '|' command }
    func compilePipeline(_ p: Pipeline) -> (Eval, Bool) {
        var current: Eval
        var isVoid: Bool
        switch p.head {
        case .command(let c): (current, isVoid) = compileCommand(c, input: nil)
        case .expression(let e):
            current = compileExpr(e)
            isVoid = false
        }
        for stage in p.stages {
            (current, isVoid) = compileCommand(stage, input: current)
        }
        return (current, isVoid)
    }

    func compileCommand(_ c: Command, input: Eval?) -> (Eval, Bool) {
        var spec = CallSpec(name: c.name, positional: [], options: [], blocks: [], range: c.range, nameRange: c.nameRange)
        for a in c.arguments {
            switch a {
            case .positional(let e): spec.positional.append(e)
            case .option(let name, let value, _, let range): spec.options.append((name, value, range))
            case .block(let b): spec.blocks.append(b)
            }
        }
        return compileCall(spec, input: input, callForm: false)
    }

    func compileCall(_ spec: CallSpec, input: Eval?, callForm: Bool) -> (Eval, Bool) {
        let name = spec.name
        var resolved = resolve(name)
        // A variable that does not hold a `fn` does not hide a command (`$env` and `env()`).
        if let r = resolved, r.binding.function == nil, isCommandName(name) { resolved = nil }
        if resolved == nil, let stage = StageKind(rawValue: name) {
            guard let input else {
                report(.stageWithoutInput(name), spec.nameRange)
                return (Compiler.const(.null), false)
            }
            return (compileStage(stage, spec, input), false)
        }
        if let r = resolved { return (compileUserCall(r, spec, input), false) }
        if let b = builtins[name] { return compileBuiltin(b, spec, input) }
        if hostSignatures[name] != nil || hostSignatures.keys.contains(where: { $0.hasPrefix(name + " ") }) {
            return (compileHost(spec, input), false)
        }
        if lenient { return (compileDynamicCall(spec, input), false) }
        report(.unknownCommand(name), spec.nameRange, suggestions: suggestions(for: name, among: commandNames))
        return (Compiler.const(.null), false)
    }

    func checkArity(_ sig: CommandSignature, given: Int, _ spec: CallSpec) {
        let required = sig.parameters.filter { $0.arity == .required }.count
        let variadic = sig.parameters.contains { $0.arity == .variadic }
        if given < required {
            report(.tooFewArguments(command: sig.name, expected: required, got: given), spec.range)
        } else if !variadic, given > sig.parameters.count {
            report(.tooManyArguments(command: sig.name, expected: sig.parameters.count, got: given), spec.range)
        }
    }

    func checkOptions(_ sig: CommandSignature, _ spec: CallSpec) {
        for o in spec.options where sig.option(o.name) == nil {
            report(.unknownOption(option: o.name, command: sig.name), o.range,
                   suggestions: suggestions(for: o.name, among: sig.options.map(\.name)).map { "--" + $0 })
        }
    }

    // MARK: - User functions

    func compileUserCall(_ r: Resolved, _ spec: CallSpec, _ input: Eval?) -> Eval {
        let name = spec.name
        var argEvals: [Eval] = (input.map { [$0] } ?? []) + spec.positional.map(compileExpr)
        if let params = r.binding.function {
            var slots: [Eval?] = argEvals.map { Optional($0) }
            if slots.count < params.count { slots += Array(repeating: nil, count: params.count - slots.count) }
            for o in spec.options {
                if let i = params.firstIndex(of: o.name) {
                    slots[i] = o.value.map(compileExpr) ?? Compiler.const(.bool(true))
                } else {
                    report(.unknownOption(option: o.name, command: name), o.range,
                           suggestions: suggestions(for: o.name, among: params).map { "--" + $0 })
                }
            }
            if argEvals.count > params.count {
                report(.tooManyArguments(command: name, expected: params.count, got: argEvals.count), spec.range)
            } else {
                let given = slots.filter { $0 != nil }.count
                if given < params.count {
                    report(.tooFewArguments(command: name, expected: params.count, got: given), spec.range)
                }
            }
            argEvals = slots.prefix(params.count).map { $0 ?? Compiler.const(.null) }
        } else if let o = spec.options.first {
            report(.unknownOption(option: o.name, command: name), o.range)
        }
        return userCall(load(r, name, spec.nameRange), argEvals, name: name, site: site(spec.range))
    }

    func userCall(_ load: @escaping Eval, _ argEvals: [Eval], name: String, site: Site) -> Eval {
        let n = argEvals.count
        let limit = maxCallDepth
        return { f throws(Unwind) in
            let fv = try load(f)
            guard case .function(let fn) = fv, let uf = fn.body as? UserFunction else {
                throw .error(Interpreter.scriptError(.notAFunction(name), at: site))
            }
            let code = uf.code
            guard code.parameters.count == n else {
                throw .error(Interpreter.scriptError(.wrongArgumentCount(name: name, expected: code.parameters.count, got: n), at: site))
            }
            let ctx = f.ctx
            if ctx.depth >= limit { throw .error(Interpreter.scriptError(.recursionTooDeep(limit: limit), at: site)) }
            let frame = Frame(size: code.frameSize, parent: uf.environment, ctx: ctx)
            for i in 0..<n { frame.slots[i] = try argEvals[i](f) }
            ctx.depth += 1
            defer { ctx.depth -= 1 }
            if case .returned(let v) = try code.body(frame) { return v }
            return .null
        }
    }

    /// A command not known when compiling (the file uses `source`): looked up when it runs.
    func compileDynamicCall(_ spec: CallSpec, _ input: Eval?) -> Eval {
        let name = spec.name
        for o in spec.options { report(.optionOfLaterCommand(option: o.name, command: name), o.range) }
        let argEvals: [Eval] = (input.map { [$0] } ?? []) + spec.positional.map(compileExpr)
        let site = site(spec.range)
        let call = userCall({ f throws(Unwind) in
            guard let v = f.ctx.interpreter.globalValue(name) else {
                throw .error(Interpreter.scriptError(.unknownCommand(name), at: site))
            }
            return v
        }, argEvals, name: name, site: site)
        return call
    }

    // MARK: - Built-ins

    func compileBuiltin(_ b: Builtin, _ spec: CallSpec, _ input: Eval?) -> (Eval, Bool) {
        let sig = b.signature
        checkOptions(sig, spec)
        checkArity(sig, given: spec.positional.count + (input == nil ? 0 : 1), spec)
        let posEvals: [Eval] = (input.map { [$0] } ?? []) + spec.positional.map(compileExpr)
        let optEvals: [(String, Eval)] = spec.options.map { ($0.name, $0.value.map(compileExpr) ?? Compiler.const(.bool(true))) }
        let site = site(spec.range)
        let run = b.run
        let name = sig.name
        return ({ f throws(Unwind) in
            var args: [Value] = []
            args.reserveCapacity(posEvals.count)
            for e in posEvals { args.append(try e(f)) }
            var opts: [String: Value] = [:]
            for (k, e) in optEvals { opts[k] = try e(f) }
            var call = BuiltinCall(arguments: args, options: opts, input: nil, site: site, frame: f, name: name)
            return try run(&call)
        }, b.isVoid)
    }

    // MARK: - Host commands

    func compileHost(_ original: CallSpec, _ input: Eval?) -> Eval {
        var spec = original
        var sig = hostSignatures[spec.name]
        if let first = spec.positional.first, case .word(let w) = first.kind, let sub = hostSignatures["\(spec.name) \(w)"] {
            sig = sub
            spec.positional.removeFirst()
        }
        guard let sig else {
            let subs = hostSignatures.keys.filter { $0.hasPrefix(spec.name + " ") }.map { String($0.dropFirst(spec.name.count + 1)) }
            var given = ""
            if let first = spec.positional.first, case .word(let w) = first.kind { given = w }
            report(.unknownCommand(given.isEmpty ? spec.name : "\(spec.name) \(given)"), spec.range,
                   suggestions: suggestions(for: given, among: subs).map { "\(spec.name) \($0)" })
            return Compiler.const(.null)
        }
        if input != nil, !sig.takesInput { report(.notAStage(sig.name), spec.nameRange) }
        checkOptions(sig, spec)
        checkArity(sig, given: spec.positional.count, spec)
        let variadicIndex = sig.parameters.firstIndex { $0.arity == .variadic }
        let posEvals = spec.positional.map(compileExpr)
        var optEvals: [(String, OptionKind, Eval?)] = []
        for o in spec.options {
            guard let decl = sig.option(o.name) else { continue }
            optEvals.append((o.name, decl.kind, o.value.map(compileExpr)))
        }
        let site = site(spec.range)
        let location = site.location
        let text = text(spec.range)
        return { f throws(Unwind) in
            var args: [Value] = []
            for (i, e) in posEvals.enumerated() {
                let v = try e(f)
                if let vi = variadicIndex, i >= vi, case .list(let l) = v { args.append(contentsOf: l) } else { args.append(v) }
            }
            var opts: [String: Value] = [:]
            for (name, kind, e) in optEvals {
                switch kind {
                case .flag:
                    let v = try e?(f) ?? .bool(true)
                    if v.isTruthy { opts[name] = .bool(true) } else { opts[name] = nil }
                case .value:
                    opts[name] = try e?(f) ?? .null
                case .repeated:
                    var list: [Value] = []
                    if case .list(let l)? = opts[name] { list = l }
                    let v = try e?(f) ?? .null
                    if case .list(let more) = v { list.append(contentsOf: more) } else { list.append(v) }
                    opts[name] = .list(list)
                }
            }
            let inputValue = try input?(f)
            let interpreter = f.ctx.interpreter
            guard let host = interpreter.host else {
                throw .error(Interpreter.scriptError(.unknownCommand(sig.name), at: site))
            }
            let call = CommandCall(signature: sig, arguments: args, options: opts, input: inputValue, text: text, location: location)
            let context = CommandContext(output: interpreter.output, interrupt: f.ctx.interrupt, isInteractive: interpreter.isInteractive)
            // Ctrl-C while a host command blocks makes the command fail; that failure must end
            // the run (exit 130), not reach a script's `catch`.
            let flag = f.ctx.interrupt
            let result: Result<Value, ErrorValue>
            do throws(ErrorValue) {
                result = .success(try host.run(call, context: context))
            } catch {
                result = .failure(error)
            }
            if flag.isRaised { throw .interrupted }
            switch result {
            case .success(let value):
                return value
            case .failure(var e):
                if e.location == nil { e.location = location }
                if e.command == nil { e.command = text }
                throw .error(e)
            }
        }
    }
}
