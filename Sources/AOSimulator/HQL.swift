import Foundation
/// Why an `HQL::filter` or `HQL::sortBy` value was refused (messages in Messages.swift).
enum HQLError: Error, Equatable {
    /// An unexpected character at `offset`.
    case unexpectedCharacter(Character, offset: Int)
    /// A quoted string was not closed.
    case unterminatedString(offset: Int)
    /// Something else was expected at `offset` (`found` is the token text, or "end of filter").
    case expected(String, found: String, offset: Int)
    /// The member cannot be filtered or sorted on for this resource.
    case unknownMember(String, valid: [String])
    /// The value's type does not fit the member (e.g. a string for a number member).
    case typeMismatch(member: String, expected: String, found: String)
    /// `starts`/`ends` on a member that is not a string.
    case notAString(member: String, operation: String)
    /// A date literal that is not complete (`yyyy-mm-ddThh:mm:ss.mmm+hh:mm`).
    case badDate(member: String, value: String, reason: DateInputError)
    /// A bad sort direction.
    case badDirection(String)
}

/// A literal of the HQL grammar (reference §1.8).
enum HQLLiteral: Equatable {
    case string(String)
    case number(Int)
    case bool(Bool)

    var typeName: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .bool: return "Boolean"
        }
    }
}

enum HQLOperator: Equatable {
    case eq, ne, gt, lt, ge, le, starts, ends
}

/// The syntax tree of a filter.
indirect enum HQLExpression: Equatable {
    case and(HQLExpression, HQLExpression)
    case or(HQLExpression, HQLExpression)
    case compare(member: String, HQLOperator, HQLLiteral)
    case tuple(member: String, negated: Bool, [HQLLiteral])
}

/// Lexer and recursive-descent parser for `HQL::filter`.
struct HQLParser {
    enum Token: Equatable {
        case name(String)  // bare word or [bracketed]
        case string(String)
        case number(Int)
        case symbol(String)  // ( ) [ ] , = <> != > < >= <=
        case end
    }

    private var tokens: [(Token, Int)] = []
    private var position = 0

    static func parse(_ text: String) throws(HQLError) -> HQLExpression {
        var p = HQLParser()
        p.tokens = try lex(text)
        let e = try p.parseOr()
        guard case .end = p.current else { throw p.expected("'and', 'or' or the end of the filter") }
        return e
    }

    /// Tokens with their offsets, in Unicode scalars: a quote followed by a combining mark is
    /// still a quote (as Swift's `Character` would not have it), as it is to the server.
    private static func lex(_ text: String) throws(HQLError) -> [(Token, Int)] {
        let chars = Array(text.unicodeScalars)
        var out: [(Token, Int)] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.properties.isWhitespace { i += 1; continue }
            let start = i
            switch c {
            case "'":
                var s = ""
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == "'" {
                        if i + 1 < chars.count && chars[i + 1] == "'" { s.unicodeScalars.append("'"); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    s.unicodeScalars.append(chars[i])
                    i += 1
                }
                guard closed else { throw .unterminatedString(offset: start) }
                out.append((.string(s), start))
            case "(", ")", ",":
                out.append((.symbol(String(Character(c))), start))
                i += 1
            case "[":
                // `[name]` is a name expression; `[` before values opens a tuple.
                var j = i + 1
                var word = ""
                while j < chars.count, isNameScalar(chars[j]) {
                    word.unicodeScalars.append(chars[j])
                    j += 1
                }
                if !word.isEmpty, j < chars.count, chars[j] == "]", !["true", "false"].contains(word.lowercased()),
                    !isDigit(word.unicodeScalars.first!)
                {
                    out.append((.name(word), start))
                    i = j + 1
                } else {
                    out.append((.symbol("["), start))
                    i += 1
                }
            case "]":
                out.append((.symbol("]"), start))
                i += 1
            case "=":
                out.append((.symbol("="), start))
                i += 1
            case "!":
                guard i + 1 < chars.count, chars[i + 1] == "=" else { throw .unexpectedCharacter(Character(c), offset: i) }
                out.append((.symbol("!="), start))
                i += 2
            case "<":
                if i + 1 < chars.count, chars[i + 1] == ">" { out.append((.symbol("<>"), start)); i += 2 }
                else if i + 1 < chars.count, chars[i + 1] == "=" { out.append((.symbol("<="), start)); i += 2 }
                else { out.append((.symbol("<"), start)); i += 1 }
            case ">":
                if i + 1 < chars.count, chars[i + 1] == "=" { out.append((.symbol(">="), start)); i += 2 }
                else { out.append((.symbol(">"), start)); i += 1 }
            default:
                if isDigit(c) || (c == "-" && i + 1 < chars.count && isDigit(chars[i + 1])) {
                    var s = String(Character(c))
                    i += 1
                    while i < chars.count, isDigit(chars[i]) { s.unicodeScalars.append(chars[i]); i += 1 }
                    guard let n = Int(s) else { throw .expected("a number", found: s, offset: start) }
                    out.append((.number(n), start))
                } else if c.properties.isAlphabetic || c == "_" {
                    var s = ""
                    while i < chars.count, isNameScalar(chars[i]) {
                        s.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    out.append((.name(s), start))
                } else {
                    throw .unexpectedCharacter(Character(c), offset: i)
                }
            }
        }
        out.append((.end, chars.count))
        return out
    }

    /// `[0-9]`, the digits of the grammar's number-expression.
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// A scalar that may continue a property name.
    private static func isNameScalar(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || isDigit(c) || c == "_" || c == "."
    }

    private var current: Token { tokens[position].0 }
    private var offset: Int { tokens[position].1 }

    private func describe(_ t: Token) -> String {
        switch t {
        case .name(let s): return "'\(s)'"
        case .string(let s): return "'\(s)' (a string)"
        case .number(let n): return "\(n)"
        case .symbol(let s): return "'\(s)'"
        case .end: return "the end of the filter"
        }
    }

    private func expected(_ what: String) -> HQLError {
        .expected(what, found: describe(current), offset: offset)
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .name(let s) = current, s.lowercased() == word { return true }
        return false
    }

    // expression ::= term ("or" term)*
    private mutating func parseOr() throws(HQLError) -> HQLExpression {
        var left = try parseAnd()
        while isKeyword("or") {
            position += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    // term ::= primary ("and" primary)*
    private mutating func parseAnd() throws(HQLError) -> HQLExpression {
        var left = try parsePrimary()
        while isKeyword("and") {
            position += 1
            left = .and(left, try parsePrimary())
        }
        return left
    }

    // primary ::= "(" expression ")" | name-expression compare-operation value | tuple-expression
    private mutating func parsePrimary() throws(HQLError) -> HQLExpression {
        if current == .symbol("(") {
            position += 1
            let e = try parseOr()
            guard current == .symbol(")") else { throw expected("')'") }
            position += 1
            return e
        }
        guard case .name(let member) = current else { throw expected("a member name or '('") }
        position += 1
        // tuple-expression ::= name ("in" | "not in") "[" value ("," value)* "]"
        var negated = false
        if isKeyword("not") {
            position += 1
            guard isKeyword("in") else { throw expected("'in' after 'not'") }
            negated = true
        }
        if isKeyword("in") {
            position += 1
            guard current == .symbol("[") else { throw expected("'[' to open the list of values") }
            position += 1
            var values = [try parseValue()]
            while current == .symbol(",") {
                position += 1
                values.append(try parseValue())
            }
            guard current == .symbol("]") else { throw expected("',' or ']' to close the list of values") }
            position += 1
            return .tuple(member: member, negated: negated, values)
        }
        let op: HQLOperator
        switch current {
        case .symbol("="): op = .eq
        case .symbol("<>"), .symbol("!="): op = .ne
        case .symbol(">"): op = .gt
        case .symbol("<"): op = .lt
        case .symbol(">="): op = .ge
        case .symbol("<="): op = .le
        case .name(let w):
            switch w.lowercased() {
            case "eq": op = .eq
            case "ne": op = .ne
            case "gt": op = .gt
            case "lt": op = .lt
            case "ge": op = .ge
            case "le": op = .le
            case "starts": op = .starts
            case "ends": op = .ends
            default: throw expected("an operator (eq, ne, gt, lt, ge, le, starts, ends, in, not in) after '\(member)'")
            }
        case .string, .number, .symbol, .end:
            throw expected("an operator (eq, ne, gt, lt, ge, le, starts, ends, in, not in) after '\(member)'")
        }
        position += 1
        return .compare(member: member, op, try parseValue())
    }

    // value-expression ::= string | number | "true" | "false"
    private mutating func parseValue() throws(HQLError) -> HQLLiteral {
        switch current {
        case .string(let s): position += 1; return .string(s)
        case .number(let n): position += 1; return .number(n)
        case .name(let w) where w.lowercased() == "true": position += 1; return .bool(true)
        case .name(let w) where w.lowercased() == "false": position += 1; return .bool(false)
        case .name, .symbol, .end:
            throw expected("a value (a 'quoted string', a number, true or false)")
        }
    }
}

/// A filter bound to the members of one resource, ready to test objects.
struct HQLPredicate<R: SimResource> {
    private indirect enum Node {
        case and(Node, Node)
        case or(Node, Node)
        case compare(R.Member, HQLOperator, Operand)
        case tuple(R.Member, Bool, [Operand])
    }

    /// A literal converted for comparison with a member's values.
    enum Operand {
        case string(String)
        case int(Int)
        case bool(Bool)
        case date(Int64)
    }

    private let root: Node

    /// Binds `expression` to the members' types: `kindOf` gives a non-null value of a member
    /// (from the objects at hand), or nil when none is known (then any literal is accepted).
    init(_ expression: HQLExpression, kindOf: (R.Member) -> FieldValue?) throws(HQLError) {
        root = try Self.bind(expression, kindOf: kindOf)
    }

    static func member(_ name: String) throws(HQLError) -> R.Member {
        if let m = R.Member.allCases.first(where: { $0.rawValue == name }) { return m }
        if let m = R.Member.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) { return m }
        throw .unknownMember(name, valid: R.Member.allCases.map(\.rawValue))
    }

    private static func bind(_ e: HQLExpression, kindOf: (R.Member) -> FieldValue?) throws(HQLError) -> Node {
        switch e {
        case .and(let l, let r): return .and(try bind(l, kindOf: kindOf), try bind(r, kindOf: kindOf))
        case .or(let l, let r): return .or(try bind(l, kindOf: kindOf), try bind(r, kindOf: kindOf))
        case .compare(let name, let op, let lit):
            let m = try member(name)
            let kind = kindOf(m)
            if op == .starts || op == .ends {
                if let kind, !kindIsString(kind, name: m.rawValue) { throw .notAString(member: name, operation: op == .starts ? "starts" : "ends") }
                guard case .string = lit else { throw .typeMismatch(member: name, expected: "string", found: lit.typeName) }
            }
            return .compare(m, op, try operand(lit, member: m, kind: kind))
        case .tuple(let name, let negated, let lits):
            let m = try member(name)
            let kind = kindOf(m)
            var ops: [Operand] = []
            for l in lits { ops.append(try operand(l, member: m, kind: kind)) }
            return .tuple(m, negated, ops)
        }
    }

    private static func kindIsString(_ v: FieldValue, name: String) -> Bool {
        switch v {
        case .string, .null: return true
        case .int, .bool, .date: return false
        }
    }

    private static func operand(_ lit: HQLLiteral, member m: R.Member, kind: FieldValue?) throws(HQLError) -> Operand {
        switch (lit, kind) {
        case (.string(let s), .some(.date)):
            switch SimTime.parseInput(s, defaultOffsetSeconds: 0, requireComplete: true) {
            case .success(let ms): return .date(ms)
            case .failure(let reason): throw .badDate(member: m.rawValue, value: s, reason: reason)
            }
        case (.string(let s), .some(.int)), (.string(let s), .some(.bool)):
            throw .typeMismatch(member: m.rawValue, expected: kind.map { Self.typeName($0) } ?? "?", found: "string '\(s)'")
        case (.number, .some(.string)), (.number, .some(.bool)), (.number, .some(.date)),
            (.bool, .some(.string)), (.bool, .some(.int)), (.bool, .some(.date)):
            throw .typeMismatch(member: m.rawValue, expected: kind.map { Self.typeName($0) } ?? "?", found: lit.typeName)
        case (.string(let s), _): return .string(s)
        case (.number(let n), _): return .int(n)
        case (.bool(let b), _): return .bool(b)
        }
    }

    private static func typeName(_ v: FieldValue) -> String {
        switch v {
        case .string, .null: return "a quoted string"
        case .int: return "a number"
        case .bool: return "true or false"
        case .date: return "a complete date 'yyyy-mm-ddThh:mm:ss.mmm+hh:mm'"
        }
    }

    func matches(_ item: R, _ ctx: RenderContext) -> Bool { eval(root, item, ctx) }

    private func eval(_ n: Node, _ item: R, _ ctx: RenderContext) -> Bool {
        switch n {
        case .and(let l, let r): return eval(l, item, ctx) && eval(r, item, ctx)
        case .or(let l, let r): return eval(l, item, ctx) || eval(r, item, ctx)
        case .compare(let m, let op, let operand):
            let v = item.value(m, ctx)
            switch op {
            case .starts, .ends:
                guard case .string(let s) = v, case .string(let p) = operand else { return false }
                // Scalars, as the server compares: `'e'` starts `e◌́` (Swift's Character would not).
                return op == .starts
                    ? s.unicodeScalars.starts(with: p.unicodeScalars)
                    : s.unicodeScalars.reversed().starts(with: p.unicodeScalars.reversed())
            case .eq: return Self.compare(v, operand) == 0
            case .ne: return Self.compare(v, operand) != 0
            case .gt: return Self.compare(v, operand).map { $0 > 0 } ?? false
            case .lt: return Self.compare(v, operand).map { $0 < 0 } ?? false
            case .ge: return Self.compare(v, operand).map { $0 >= 0 } ?? false
            case .le: return Self.compare(v, operand).map { $0 <= 0 } ?? false
            }
        case .tuple(let m, let negated, let operands):
            let v = item.value(m, ctx)
            let found = operands.contains { Self.compare(v, $0) == 0 }
            return found != negated
        }
    }

    /// -1, 0, 1, or nil when the values cannot be compared (null, or different kinds).
    private static func compare(_ v: FieldValue, _ o: Operand) -> Int? {
        switch (v, o) {
        case (.string(let a), .string(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.date(let a), .date(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        default: return nil
        }
    }
}

/// `HQL::sortBy`: `member [ASC|DESC][, member [ASC|DESC]…]`.
struct HQLSort<R: SimResource> {
    var keys: [(R.Member, ascending: Bool)]

    init(_ text: String) throws(HQLError) {
        keys = []
        for part in text.split(separator: ",") {
            let words = part.split(separator: " ").map(String.init)
            guard let name = words.first else { continue }
            let member = try HQLPredicate<R>.member(name.trimmingBrackets)
            var ascending = true
            if words.count > 1 {
                switch words[1].uppercased() {
                case "ASC": ascending = true
                case "DESC": ascending = false
                default: throw .badDirection(words[1])
                }
            }
            if words.count > 2 { throw .badDirection(words[2...].joined(separator: " ")) }
            keys.append((member, ascending))
        }
    }

    /// Orders `a` before `b`? Nulls sort first in ascending order.
    func precedes(_ a: R, _ b: R, _ ctx: RenderContext) -> Bool {
        for (m, asc) in keys {
            let c = Self.order(a.value(m, ctx), b.value(m, ctx))
            if c != 0 { return asc ? c < 0 : c > 0 }
        }
        return false
    }

    private static func order(_ a: FieldValue, _ b: FieldValue) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.string(let x), .string(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        default: return 0
        }
    }
}

extension String {
    /// `[name]` → `name`.
    var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
