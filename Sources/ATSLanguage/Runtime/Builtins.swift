import ATSJSON

/// The arguments of a call to one of the language's own commands.
struct BuiltinCall {
    var arguments: [Value]
    var options: [String: Value]
    var input: Value?
    let site: Site
    let frame: Frame
    let name: String

    var interpreter: Interpreter { frame.ctx.interpreter }

    func fail(_ e: RuntimeError) -> Unwind { .error(Interpreter.scriptError(e, at: site)) }

    func string(_ i: Int) throws(Unwind) -> String {
        let v = i < arguments.count ? arguments[i] : .null
        switch v {
        case .string(let s): return s
        case .secret: throw fail(.invalidArgument(function: name, detail: "a secret cannot be used as text"))
        default: throw fail(.invalidArgument(function: name, detail: "expected a string, got \(v.typeName)"))
        }
    }
}

/// A command of the language itself.
struct Builtin: Sendable {
    let signature: CommandSignature
    let shape: CommandShape
    /// Produces no value (its statement prints nothing).
    let isVoid: Bool
    let run: @Sendable (inout BuiltinCall) throws(Unwind) -> Value
}

/// The built-in pipeline stages, compiled by the interpreter itself.
enum StageKind: String, CaseIterable, Sendable {
    case `where`, select, sort, first, last, count, each, get, unique, group
}

enum Builtins {
    private static func p(_ name: String, _ arity: ParameterSpec.Arity, _ help: String) -> ParameterSpec {
        ParameterSpec(name, arity, help: help)
    }

    private static func p(_ name: String, _ help: String) -> ParameterSpec {
        ParameterSpec(name, .required, help: help)
    }

    /// Signatures of the stages (for help, completion and the binder).
    static let stageSignatures: [StageKind: (CommandSignature, CommandShape)] = [
        .where: (CommandSignature("where", summary: "keep the items for which the condition holds",
                                  parameters: [p("CONDITION", "an expression; `.field` is the item's field, `$it` the item")],
                                  examples: ["tasks | where .status == \"failed\""], takesInput: true), .expression),
        .select: (CommandSignature("select", summary: "keep only the named fields of each item",
                                   parameters: [p("FIELD", .variadic, "field names")],
                                   examples: ["tasks | select instanceID name status"], takesInput: true), .words),
        .sort: (CommandSignature("sort", summary: "sort the items by a key",
                                 parameters: [p("KEY", .optional, "an expression such as `.submitTime`")],
                                 options: [OptionSpec("desc", help: "largest first")],
                                 examples: ["tasks | sort .submitTime --desc"], takesInput: true), .expression),
        .first: (CommandSignature("first", summary: "the first N items (the first item when N is not given)",
                                  parameters: [p("N", .optional, "how many")], takesInput: true), .words),
        .last: (CommandSignature("last", summary: "the last N items (the last item when N is not given)",
                                 parameters: [p("N", .optional, "how many")], takesInput: true), .words),
        .count: (CommandSignature("count", summary: "the number of items", takesInput: true), .words),
        .each: (CommandSignature("each", summary: "run a block for every item; `$it` and `.field` refer to the item",
                                 parameters: [p("BLOCK", "`{ … }`")],
                                 options: [OptionSpec("parallel", .value(name: "N"), help: "run up to N items at once (for commands that wait on the server)")],
                                 examples: ["tasks --status inProgress | each { stop .instanceID --force }"], takesInput: true), .block),
        .get: (CommandSignature("get", summary: "a path into the input (on a list, into each item)",
                                parameters: [p("PATH", "e.g. `.data[0].name`")], takesInput: true), .expression),
        .unique: (CommandSignature("unique", summary: "drop items whose key was already seen",
                                   parameters: [p("KEY", .optional, "an expression; the item itself when omitted")], takesInput: true), .expression),
        .group: (CommandSignature("group", summary: "an object from each key to the list of items with that key",
                                  parameters: [p("KEY", "an expression such as `.status`")], takesInput: true), .expression),
    ]

    /// Every built-in command by name.
    static let table: [String: Builtin] = makeTable()

    private static func makeTable() -> [String: Builtin] {
        var table: [String: Builtin] = [:]
        func add(_ sig: CommandSignature, shape: CommandShape = .words, void: Bool = false,
                 _ run: @escaping @Sendable (inout BuiltinCall) throws(Unwind) -> Value) {
            table[sig.name] = Builtin(signature: sig, shape: shape, isVoid: void, run: run)
        }
        add(CommandSignature("echo", summary: "print the arguments as text, separated by spaces",
                             parameters: [p("VALUE", .variadic, "strings or values")], examples: ["echo \"hello\" $name"]), void: true) { c throws(Unwind) in
            c.interpreter.output.write(c.arguments.map(\.text).joined(separator: " ") + "\n")
            return .null
        }
        add(CommandSignature("print", summary: "print a value the way the shell shows results",
                             parameters: [p("VALUE", "any expression")]), shape: .expression, void: true) { c throws(Unwind) in
            c.interpreter.output.emit(c.arguments.first ?? .null)
            return .null
        }
        add(CommandSignature("sleep", summary: "wait for a duration (Ctrl-C interrupts)",
                             parameters: [p("DURATION", "e.g. `500ms`, `2s`")]), void: true) { c throws(Unwind) in
            let ms: Int64
            switch c.arguments.first ?? .null {
            case .duration(let d): ms = d.milliseconds
            case .int(let n): ms = Int64(n) * 1000
            case .double(let d): ms = Int64(d * 1000)
            case let v: throw c.fail(.invalidArgument(function: "sleep", detail: "expected a duration such as 2s, got \(v.typeName)"))
            }
            if !c.interpreter.clock.sleep(milliseconds: ms, interrupt: c.frame.ctx.interrupt) { throw .interrupted }
            return .null
        }
        add(CommandSignature("assert", summary: "fail the script (exit 1) unless the condition holds",
                             parameters: [p("CONDITION", "an expression"), p("MESSAGE", .optional, "what to say")]),
            shape: .expression, void: true) { c throws(Unwind) in
            if !(c.arguments.first ?? .null).isTruthy {
                throw c.fail(.assertionFailed(c.arguments.count > 1 ? c.arguments[1].text : nil))
            }
            return .null
        }
        add(CommandSignature("exit", summary: "end the script with an exit code", parameters: [p("CODE", .optional, "0 when omitted")]),
            void: true) { c throws(Unwind) in
            switch c.arguments.first ?? .int(0) {
            case .int(let n): throw .exit(Int32(truncatingIfNeeded: n))
            case let v: throw c.fail(.invalidArgument(function: "exit", detail: "expected an integer, got \(v.typeName)"))
            }
        }
        add(CommandSignature("source", summary: "run another script in the global scope",
                             parameters: [ParameterSpec("FILE", help: "a .ats file", completion: .files)]), void: true) { c throws(Unwind) in
            let path = try c.string(0)
            try c.interpreter.runSourced(path: path, site: c.site, ctx: c.frame.ctx)
            return .null
        }
        add(CommandSignature("vars", summary: "the global variables and their values")) { c throws(Unwind) in
            .object(c.interpreter.globalsObject())
        }
        add(CommandSignature("now", summary: "the current time")) { c throws(Unwind) in .time(c.interpreter.clock.now()) }
        add(CommandSignature("len", summary: "the length of a string, list or object", parameters: [p("VALUE", "")])) { c throws(Unwind) in
            switch c.arguments.first ?? .null {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.count)
            case .object(let o): return .int(o.count)
            case .null: return .int(0)
            case let v: throw c.fail(.invalidArgument(function: "len", detail: "\(v.typeName) has no length"))
            }
        }
        add(CommandSignature("keys", summary: "the keys of an object", parameters: [p("OBJECT", "")])) { c throws(Unwind) in
            switch c.arguments.first ?? .null {
            case .object(let o): return .list(o.keys.map(Value.string))
            case .error(let e): return .list(e.allFields.keys.map(Value.string))
            case let v: throw c.fail(.invalidArgument(function: "keys", detail: "expected an object, got \(v.typeName)"))
            }
        }
        add(CommandSignature("str", summary: "a value as text", parameters: [p("VALUE", "")])) { c throws(Unwind) in
            .string((c.arguments.first ?? .null).text)
        }
        add(CommandSignature("int", summary: "a value as an integer", parameters: [p("VALUE", "")])) { c throws(Unwind) in
            let v = c.arguments.first ?? .null
            switch v {
            case .int: return v
            case .double(let d):
                guard d.isFinite, abs(d) < 9.2e18 else { throw c.fail(.invalidNumber(v.text)) }
                return .int(Int(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let s):
                let t = s.trimmingSpaces
                if let i = Int(t) { return .int(i) }
                if let d = Double(t), d.isFinite, abs(d) < 9.2e18 { return .int(Int(d)) }
                throw c.fail(.invalidNumber(s))
            case .duration(let d): return .int(Int(d.milliseconds / 1000))
            case .time(let t): return .int(Int(t.millisecondsSinceEpoch / 1000))
            default: throw c.fail(.invalidNumber(v.text))
            }
        }
        add(CommandSignature("num", summary: "a value as a number", parameters: [p("VALUE", "")])) { c throws(Unwind) in
            let v = c.arguments.first ?? .null
            switch v {
            case .int, .double: return v
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let s):
                let t = s.trimmingSpaces
                if let i = Int(t) { return .int(i) }
                if let d = Double(t) { return .double(d) }
                throw c.fail(.invalidNumber(s))
            default: throw c.fail(.invalidNumber(v.text))
            }
        }
        add(CommandSignature("upper", summary: "text in upper case", parameters: [p("TEXT", "")])) { c throws(Unwind) in
            .string(try c.string(0).uppercased())
        }
        add(CommandSignature("lower", summary: "text in lower case", parameters: [p("TEXT", "")])) { c throws(Unwind) in
            .string(try c.string(0).lowercased())
        }
        add(CommandSignature("split", summary: "split text at a separator (at white space when none is given)",
                             parameters: [p("TEXT", ""), p("SEPARATOR", .optional, "")])) { c throws(Unwind) in
            let s = try c.string(0)
            if c.arguments.count < 2 {
                return .list(s.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
            }
            let sep = try c.string(1)
            if sep.isEmpty { return .list(s.map { .string(String($0)) }) }
            return .list(s.splitting(by: sep).map(Value.string))
        }
        add(CommandSignature("join", summary: "join a list into text", parameters: [p("LIST", ""), p("SEPARATOR", .optional, "")])) { c throws(Unwind) in
            guard case .list(let items) = c.arguments.first ?? .null else {
                throw c.fail(.invalidArgument(function: "join", detail: "expected a list, got \((c.arguments.first ?? .null).typeName)"))
            }
            let sep = c.arguments.count > 1 ? try c.string(1) : ""
            return .string(items.map(\.text).joined(separator: sep))
        }
        add(CommandSignature("replace", summary: "replace every occurrence of a text",
                             parameters: [p("TEXT", ""), p("OLD", ""), p("NEW", "")])) { c throws(Unwind) in
            let s = try c.string(0)
            let old = try c.string(1)
            let new = try c.string(2)
            if old.isEmpty { return .string(s) }
            return .string(s.splitting(by: old).joined(separator: new))
        }
        add(CommandSignature("date", summary: "a time from ISO 8601 text (`+0900`, `+09:00` and `Z` offsets)",
                             parameters: [p("TEXT", "")])) { c throws(Unwind) in
            if case .time = c.arguments.first ?? .null { return c.arguments[0] }
            if case .int(let n) = c.arguments.first ?? .null {
                return .time(TimeValue(millisecondsSinceEpoch: Int64(n) * 1000, utcOffsetSeconds: 0))
            }
            let s = try c.string(0)
            guard let t = DateText.parse(s) else { throw c.fail(.invalidDate(s)) }
            return .time(t)
        }
        add(CommandSignature("parse_json", summary: "the value of JSON text", parameters: [p("TEXT", "")])) { c throws(Unwind) in
            var s = try c.string(0)
            do throws(JSONParseError) {
                let json = try JSONParser.parse(s)
                // Let the text go before converting: the text, the document and its value
                // need not all be in memory at once.
                c.arguments = []
                s = ""
                return Value.releasing(json)
            } catch {
                throw c.fail(.invalidJSON(error.description))
            }
        }
        add(CommandSignature("to_json", summary: "a value as compact JSON text", parameters: [p("VALUE", "")])) { c throws(Unwind) in
            .string(JSONWriter.compact.string((c.arguments.first ?? .null).toJSON()))
        }
        add(CommandSignature("read_file", summary: "the text of a file",
                             parameters: [ParameterSpec("PATH", help: "", completion: .files)])) { c throws(Unwind) in
            let path = try c.string(0)
            do throws(FileError) {
                return .string(try c.interpreter.files.readText(path))
            } catch {
                throw c.fail(.fileError(path: error.path, reason: error.reason))
            }
        }
        add(CommandSignature("write_file", summary: "write text (or a value as JSON) to a file",
                             parameters: [ParameterSpec("PATH", help: "", completion: .files), p("VALUE", "")]), void: true) { c throws(Unwind) in
            let path = try c.string(0)
            let v = c.arguments.count > 1 ? c.arguments[1] : .null
            let text: String
            switch v {
            case .string(let s): text = s
            default: text = JSONWriter.pretty.string(v.toJSON()) + "\n"
            }
            do throws(FileError) {
                try c.interpreter.files.write(path, Array(text.utf8))
            } catch {
                throw c.fail(.fileError(path: error.path, reason: error.reason))
            }
            return .null
        }
        add(CommandSignature("env", summary: "an environment variable, or null", parameters: [p("NAME", "")])) { c throws(Unwind) in
            let name = try c.string(0)
            return c.interpreter.environment[name].map(Value.string) ?? .null
        }
        add(CommandSignature("secret", summary: "a string that prints as ******** everywhere", parameters: [p("TEXT", "")])) { c throws(Unwind) in
            switch c.arguments.first ?? .null {
            case .secret: return c.arguments[0]
            default: return .secret(Secret(try c.string(0)))
            }
        }
        return table
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// Splits at every occurrence of a non-empty separator (keeps empty pieces), matching
    /// scalar by scalar as Python and jq do: `"\n"` splits `"a\r\nb"`, where Swift's
    /// `Character` matching would see one `\r\n` and no `\n`.
    func splitting(by separator: String) -> [String] {
        unicodeScalars.split(separator: separator.unicodeScalars, omittingEmptySubsequences: false).map(String.init)
    }

    /// Whether `part` occurs in the string, matching scalar by scalar (see `splitting(by:)`).
    func containsScalars(_ part: String) -> Bool {
        part.isEmpty || unicodeScalars.contains(part.unicodeScalars)
    }
}
