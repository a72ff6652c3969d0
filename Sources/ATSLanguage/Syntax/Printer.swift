// `ats fmt`: prints a syntax tree in the canonical layout (four-space indentation, one
// statement per line, spaces around binary operators), keeping comments and single blank
// lines. Printing then parsing gives the same tree.

struct Printer {
    let bytes: [UInt8]
    /// Comments (start, end), in source order.
    let comments: [(Int, Int)]
    var cursor = 0

    init(bytes: [UInt8], comments: [Int: Int]) {
        self.bytes = bytes
        self.comments = comments.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static let unit = "    "

    mutating func print(_ program: Program) -> String {
        var out = statements(program.statements, level: 0, end: bytes.count)
        while out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }

    func commentText(_ c: (Int, Int)) -> String {
        var s = String(decoding: bytes[c.0..<c.1], as: UTF8.self)
        while s.last == " " || s.last == "\t" || s.last == "\r" { s.removeLast() }
        return s
    }

    func hasBlankLine(_ from: Int, _ to: Int) -> Bool {
        guard from < to, to <= bytes.count else { return false }
        var newlines = 0
        var i = from
        while i < to {
            let b = bytes[i]
            if b == 0x0A {
                newlines += 1
                if newlines >= 2 { return true }
            } else if b != 0x20 && b != 0x09 && b != 0x0D {
                newlines = 0
                if b == 0x23 { return false }
            }
            i += 1
        }
        return false
    }

    func sameLine(_ from: Int, _ to: Int) -> Bool {
        guard from <= to else { return false }
        return !bytes[from..<to].contains(0x0A)
    }

    /// Statements at `level`, with the comments before `end` that precede each.
    mutating func statements(_ list: [Stmt], level: Int, end: Int) -> String {
        let indent = String(repeating: Printer.unit, count: level)
        var out = ""
        var previousEnd: Int?
        for s in list {
            var first = true
            while cursor < comments.count, comments[cursor].0 < s.range.start {
                if let p = previousEnd, first, hasBlankLine(p, comments[cursor].0) { out += "\n" }
                out += indent + commentText(comments[cursor]) + "\n"
                previousEnd = comments[cursor].1
                cursor += 1
                first = false
            }
            if let p = previousEnd, hasBlankLine(p, s.range.start) { out += "\n" }
            var line = indent + statement(s, level: level)
            if cursor < comments.count, comments[cursor].0 >= s.range.end, sameLine(s.range.end, comments[cursor].0) {
                line += "  " + commentText(comments[cursor])
                cursor += 1
            } else if line.hasSuffix(" \\") {
                // A bare `\` word that ends the line would read back as a line continuation.
                line += " ;"
            }
            out += line + "\n"
            previousEnd = s.range.end
        }
        while cursor < comments.count, comments[cursor].0 < end {
            if let p = previousEnd, hasBlankLine(p, comments[cursor].0) { out += "\n" }
            out += indent + commentText(comments[cursor]) + "\n"
            previousEnd = comments[cursor].1
            cursor += 1
        }
        return out
    }

    mutating func block(_ b: Block, level: Int) -> String {
        let inner = statements(b.statements, level: level + 1, end: b.range.end)
        if inner.isEmpty { return "{ }" }
        return "{\n" + inner + String(repeating: Printer.unit, count: level) + "}"
    }

    mutating func statement(_ s: Stmt, level: Int) -> String {
        switch s.kind {
        case .pipeline(let p): return pipeline(p, level: level)
        case .letBinding(let name, let value): return "let \(name) = " + pipeline(value, level: level)
        case .assignment(let target, let op, let value):
            return expr(target, level: level) + " \(op.rawValue) " + pipeline(value, level: level)
        case .ifChain(let branches, let otherwise):
            var out = ""
            for (i, b) in branches.enumerated() {
                out += (i == 0 ? "if " : " elif ") + expr(b.condition, level: level) + " " + block(b.body, level: level)
            }
            if let otherwise { out += " else " + block(otherwise, level: level) }
            return out
        case .forLoop(let v, let sequence, let body):
            return "for \(v) in " + expr(sequence, level: level) + " " + block(body, level: level)
        case .whileLoop(let condition, let body):
            return "while " + expr(condition, level: level) + " " + block(body, level: level)
        case .function(let name, let parameters, let body):
            return "fn \(name)(" + parameters.map(\.name).joined(separator: ", ") + ") " + block(body, level: level)
        case .tryCatch(let body, let name, let handler):
            return "try " + block(body, level: level) + " catch " + (name.map { $0 + " " } ?? "") + block(handler, level: level)
        case .returnValue(let value): return value.map { "return " + pipeline($0, level: level) } ?? "return"
        case .breakLoop: return "break"
        case .continueLoop: return "continue"
        case .quiet(let body): return "quiet " + block(body, level: level)
        }
    }

    mutating func pipeline(_ p: Pipeline, level: Int) -> String {
        var out: String
        switch p.head {
        case .command(let c): out = command(c, level: level)
        case .expression(let e): out = expr(e, level: level)
        }
        for s in p.stages { out += " | " + command(s, level: level) }
        return out
    }

    mutating func command(_ c: Command, level: Int) -> String {
        var out = c.name
        for a in c.arguments {
            switch a {
            case .positional(let e): out += " " + expr(e, level: level)
            case .option(let name, let value, let equals, _):
                out += " --" + name
                if let value { out += (equals ? "=" : " ") + expr(value, level: level) }
            case .block(let b): out += " " + block(b, level: level)
            }
        }
        return out
    }

    static func isBareKey(_ k: String) -> Bool {
        let u = Array(k.utf8)
        guard let f = u.first, Parser.isIdentStart(f) else { return false }
        for (i, b) in u.enumerated() where !(Parser.isIdentChar(b) || (b == 0x2D && i + 1 < u.count && Parser.isIdentChar(u[i + 1]) && i > 0)) {
            return false
        }
        return true
    }

    static func isIdentifier(_ k: String) -> Bool {
        let u = Array(k.utf8)
        guard let f = u.first, Parser.isIdentStart(f) else { return false }
        return u.allSatisfy(Parser.isIdentChar)
    }

    static func quote(_ s: String) -> String { "\"" + escape(s, nextIsInterpolation: false) + "\"" }

    static func escape(_ s: String, nextIsInterpolation: Bool) -> String {
        var out = ""
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "$":
                let next: Unicode.Scalar? = i + 1 < scalars.count ? scalars[i + 1] : nil
                if let n = next {
                    if n == "(" || n == "{" || n == "_" || (n.isASCII && (n.properties.isAlphabetic)) { out += "\\$" } else { out += "$" }
                } else {
                    out += nextIsInterpolation ? "\\$" : "$"
                }
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    mutating func expr(_ e: Expr, level: Int) -> String {
        switch e.kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .duration(let ms): return DurationText.format(.milliseconds(ms))
        case .string(let parts):
            var out = "\""
            for (i, part) in parts.enumerated() {
                switch part {
                case .text(let t): out += Printer.escape(t, nextIsInterpolation: i + 1 < parts.count)
                case .path(let p): out += "${" + pathText(p, level: level) + "}"
                case .sub(let p): out += "$(" + pipeline(p, level: level) + ")"
                }
            }
            return out + "\""
        case .rawString(let s): return "'" + s + "'"
        case .word(let w): return w
        case .variable(let name): return "$" + name
        case .itemMember(let name): return "." + name
        case .list(let items):
            if !items.isEmpty, spansLines(e.range) {
                return multiline("[", "]", items.map(\.range), end: e.range.end, level: level) { p, i in
                    p.expr(items[i], level: level + 1)
                }
            }
            return "[" + items.map { expr($0, level: level) }.joined(separator: ", ") + "]"
        case .object(let entries):
            if entries.isEmpty { return "{}" }
            if spansLines(e.range) {
                return multiline("{", "}", entries.map(\.value.range), end: e.range.end, level: level) { p, i in
                    p.entry(entries[i], level: level + 1)
                }
            }
            return "{" + entries.map { entry($0, level: level) }.joined(separator: ", ") + "}"
        case .member(let base, let name):
            return expr(base, level: level) + "." + (Printer.isIdentifier(name) ? name : Printer.quote(name))
        case .index(let base, let index): return expr(base, level: level) + "[" + expr(index, level: level) + "]"
        case .unary(.neg, let operand):
            switch operand.kind {
            case .int, .double, .duration, .unary(.neg, _): return "- " + expr(operand, level: level)
            default: return "-" + expr(operand, level: level)
            }
        case .unary(.not, let operand): return "not " + expr(operand, level: level)
        case .binary(let op, let l, let r):
            if op == .range { return expr(l, level: level) + ".." + expr(r, level: level) }
            return expr(l, level: level) + " \(op.rawValue) " + expr(r, level: level)
        case .call(let name, let arguments, let named):
            let args = arguments.map { expr($0, level: level) } + named.map { "\($0.name): " + expr($0.value, level: level) }
            return name + "(" + args.joined(separator: ", ") + ")"
        case .group(let p): return "(" + pipeline(p, level: level) + ")"
        case .substitution(let p): return "$(" + pipeline(p, level: level) + ")"
        }
    }

    /// `key: value` in an object literal.
    mutating func entry(_ e: ObjectEntry, level: Int) -> String {
        (Printer.isBareKey(e.key) ? e.key : Printer.quote(e.key)) + ": " + expr(e.value, level: level)
    }

    /// Whether the source of `range` has a line break: a literal written over several lines.
    func spansLines(_ range: SourceRange) -> Bool {
        range.end <= bytes.count && bytes[range.start..<range.end].contains(0x0A)
    }

    /// A list or object literal that was written over several lines: one item a line, one
    /// level deeper, each with the comments above it and the one after it on its line; the
    /// comments after the last item stay before the closing bracket (as gofmt and Prettier
    /// keep an expanded literal expanded).
    mutating func multiline(
        _ open: String, _ close: String, _ items: [SourceRange], end: Int, level: Int,
        _ render: (inout Printer, Int) -> String
    ) -> String {
        let indent = String(repeating: Printer.unit, count: level + 1)
        var out = open + "\n"
        for (i, item) in items.enumerated() {
            while cursor < comments.count, comments[cursor].0 < item.start {
                out += indent + commentText(comments[cursor]) + "\n"
                cursor += 1
            }
            var line = indent + render(&self, i) + (i + 1 < items.count ? "," : "")
            let nextStart = i + 1 < items.count ? items[i + 1].start : end
            if cursor < comments.count, comments[cursor].0 >= item.end, comments[cursor].0 < nextStart,
                sameLine(item.end, comments[cursor].0)
            {
                line += "  " + commentText(comments[cursor])
                cursor += 1
            }
            out += line + "\n"
        }
        while cursor < comments.count, comments[cursor].0 < end {
            out += indent + commentText(comments[cursor]) + "\n"
            cursor += 1
        }
        return out + String(repeating: Printer.unit, count: level) + close
    }

    /// A variable path inside `${ }`: the variable without its `$`.
    mutating func pathText(_ e: Expr, level: Int) -> String {
        switch e.kind {
        case .variable(let name): return name
        case .member(let base, let name): return pathText(base, level: level) + "." + name
        case .index(let base, let index): return pathText(base, level: level) + "[" + expr(index, level: level) + "]"
        default: return expr(e, level: level)
        }
    }
}
