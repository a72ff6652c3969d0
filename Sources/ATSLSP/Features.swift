import ATSJSON
import ATSLanguage
import ATSShell

/// One analysed version of a document: `ats check`'s diagnostics at once, the syntax tree
/// and its symbols when a request first needs them.
final class Analysis {
    let document: TextDocument
    let catalog: Catalog
    let diagnostics: [Diagnostic]
    private var cachedIndex: SymbolIndex?

    init(_ document: TextDocument, catalog: Catalog) {
        self.document = document
        self.catalog = catalog
        diagnostics = Language.check(document.source, commands: catalog.hostCommands)
    }

    var index: SymbolIndex {
        if let cachedIndex { return cachedIndex }
        let (program, _) = Language.parse(document.source, commands: catalog.hostCommands)
        let index = SymbolIndex(program, bytes: document.bytes)
        cachedIndex = index
        return index
    }
}

/// The answers to the protocol's requests about a document; no I/O but `readFile`, which
/// reads a sourced script for go to definition.
struct Features {
    let catalog: Catalog
    let readFile: @Sendable (String) -> String?

    // MARK: - Diagnostics and quick fixes

    /// `textDocument/publishDiagnostics`'s params.
    func diagnostics(_ a: Analysis) -> JSON {
        let d = a.document
        let items: [JSON] = a.diagnostics.map { diag in
            var text = diag.text
            if let question = NearMiss.question(diag.suggestions) { text += "; " + question }
            var item: JSON = [
                "range": d.range(diag.range), "severity": .int(diag.severity == .error ? 1 : 2), "source": "ats",
                "message": .string(text),
            ]
            if !diag.notes.isEmpty {
                item["relatedInformation"] = .array(diag.notes.map { n in
                    ["location": ["uri": .string(d.uri), "range": d.range(n.range)], "message": .string(n.message.text)]
                })
            }
            return item
        }
        return ["uri": .string(d.uri), "version": .int(d.version), "diagnostics": .array(items)]
    }

    /// `textDocument/codeAction`: for each diagnostic with a near miss in `range`, a quick fix
    /// that replaces the misspelt word.
    func codeActions(_ a: Analysis, range: SourceRange) -> JSON {
        let d = a.document
        var actions: [JSON] = []
        for diag in a.diagnostics where diag.range.start <= range.end && range.start <= diag.range.end {
            for (i, suggestion) in diag.suggestions.enumerated() {
                guard let fix = Self.replacement(in: d.text(diag.range), at: diag.range, with: suggestion) else { continue }
                let (target, replacement) = fix
                let edit: JSON = ["range": d.range(target), "newText": .string(replacement)]
                actions.append([
                    "title": .string("replace `\(d.text(target))` with `\(replacement)`"), "kind": "quickfix",
                    "isPreferred": .bool(i == 0),
                    "diagnostics": .array([["range": d.range(diag.range), "severity": .int(diag.severity == .error ? 1 : 2),
                                            "source": "ats", "message": .string(diag.text)]]),
                    "edit": ["changes": .object(JSONObject([(d.uri, .array([edit]))]))],
                ])
            }
        }
        return .array(actions)
    }

    /// What to replace for a suggestion: the whole range when it is one word (`--forse`,
    /// `$cout`, `sleap`); for a misspelt subcommand (`service relase` → `service release`),
    /// the second word only.
    static func replacement(in text: String, at range: SourceRange, with suggestion: String) -> (SourceRange, String)? {
        if !text.contains(where: \.isWhitespace) { return (range, suggestion) }
        let parts = suggestion.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, text.hasPrefix(parts[0] + " ") else { return nil }
        let rest = text.utf8.dropFirst(parts[0].utf8.count)
        let skipped = rest.prefix { $0 == 0x20 || $0 == 0x09 }.count
        let word = rest.dropFirst(skipped).prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A }.count
        let start = range.start + parts[0].utf8.count + skipped
        return (SourceRange(start, start + word), String(parts[1]))
    }

    // MARK: - Completion

    /// `textDocument/completion` at a byte offset.
    func completion(_ a: Analysis, at offset: Int) -> JSON {
        let d = a.document
        let context = CompletionContext(d.bytes, offset: offset)
        guard let context else { return ["isIncomplete": false, "items": []] }
        let replace = d.range(context.wordRange)
        func item(_ label: String, kind: Int, detail: String) -> JSON {
            ["label": .string(label), "kind": .int(kind), "detail": .string(detail),
             "textEdit": ["range": replace, "newText": .string(label)]]
        }
        var items: [JSON] = []
        let word = context.word
        let words = context.previous
        let commandName = words.first
        var signature: CommandSignature?
        if let name = commandName {
            var site = CommandSite(name: name, nameRange: SourceRange(0, 0), range: SourceRange(0, 0), firstWord: nil, options: [])
            if words.count > 1 { site.firstWord = (text: words[1], range: SourceRange(0, 0)) }
            signature = catalog.signature(of: site)
        }
        let function = commandName.flatMap { name in a.index.visible(at: offset).first { $0.name == name && $0.kind == .function } }

        if word.hasPrefix("$") {
            var names = a.index.visible(at: offset).map { ($0.name, describe($0, a)) }
            names += [("env", "the process environment"), ("args", "the script's arguments")]
            if a.index.itemBlocks.contains(where: { $0.start <= offset && offset <= $0.end }) { names.append(("it", "the current item")) }
            items = names.map { item("$" + $0.0, kind: 6, detail: $0.1) }
        } else if word.hasPrefix("--"), let eq = word.firstIndex(of: "="), let signature {
            let option = String(word[word.index(word.startIndex, offsetBy: 2)..<eq])
            if let spec = signature.option(option) {
                items = values(for: spec).map { item("--\(option)=\($0.0)", kind: 20, detail: $0.1) }
            }
        } else if word.hasPrefix("-") {
            if let function {
                items = function.parameters.map { item("--" + $0, kind: 5, detail: "parameter of `fn \(function.name)`") }
            } else if let signature {
                items = signature.options.map { item("--" + $0.name, kind: 5, detail: $0.help) }
            }
        } else if let last = words.last, last.hasPrefix("--"), let spec = signature?.option(String(last.dropFirst(2))) {
            switch spec.kind {
            case .flag: break
            case .value, .repeated: items = values(for: spec).map { item($0.0, kind: 20, detail: $0.1) }
            }
        } else if commandName == nil {
            for (w, detail) in catalog.commandWords { items.append(item(w, kind: 3, detail: detail)) }
            for s in a.index.visible(at: offset) where s.kind == .function {
                items.append(item(s.name, kind: 3, detail: "fn \(s.name)(\(s.parameters.joined(separator: ", ")))"))
            }
            for k in Catalog.keywords { items.append(item(k, kind: 14, detail: "keyword")) }
        } else if words.count == 1, let name = commandName, !catalog.subcommands(of: name).isEmpty {
            items = catalog.subcommands(of: name).map { item(String($0.name.dropFirst(name.count + 1)), kind: 3, detail: $0.summary) }
        }
        return ["isIncomplete": false, "items": .array(items)]
    }

    /// The values an option takes, from its completion hint.
    private func values(for spec: OptionSpec) -> [(String, String)] {
        switch spec.completion {
        case .statuses: return catalog.statuses.map { ($0.name, $0.display) }
        case .formats: return catalog.formats.map { ($0, "output format") }
        case .choices(let choices): return choices.map { ($0, spec.help) }
        case .none, .services, .taskIDs, .files, .commands: return []
        }
    }

    // MARK: - Hover

    /// `textDocument/hover`: a name's definition, or a command's or option's help.
    func hover(_ a: Analysis, at offset: Int) -> JSON {
        let d = a.document
        if let s = a.index.symbol(at: offset) {
            return markdown("```ats\n\(describe(a.index.symbols[s], a))\n```")
        }
        guard let site = a.index.command(at: offset) else { return .null }
        let signature = catalog.signature(of: site)
        if let o = site.options.first(where: { $0.range.start <= offset && offset <= $0.range.end }) {
            // The option's line of `help NAME`.
            guard let signature, signature.option(o.name) != nil,
                  let line = catalog.help.command(signature).split(separator: "\n").first(where: {
                      $0.hasPrefix("  --\(o.name) ") || $0 == "  --\(o.name)"
                  }) else { return .null }
            return markdown("```text\n\(line.trimmingSpaces)\n```", range: d.range(o.range))
        }
        let onName = site.nameRange.start <= offset && offset <= site.nameRange.end
        let onWord = site.firstWord.map { $0.range.start <= offset && offset <= $0.range.end } ?? false
        guard onName || (onWord && signature?.name.contains(" ") == true), let signature,
              let text = catalog.help.help(signature.name) else { return .null }
        return markdown("```text\n\(text)```")
    }

    private func markdown(_ text: String, range: JSON? = nil) -> JSON {
        var out: JSON = ["contents": ["kind": "markdown", "value": .string(text)]]
        if let range { out["range"] = range }
        return out
    }

    /// A symbol's declaration as shown in hover and completion: the first line of its `let`,
    /// `fn NAME(PARAMS)`, or where a parameter, loop or error variable comes from.
    func describe(_ s: Symbol, _ a: Analysis) -> String {
        let owner = s.owner.map { a.index.symbols[$0] }
        switch s.kind {
        case .function: return "fn \(s.name)(\(s.parameters.joined(separator: ", ")))"
        case .variable:
            let text = a.document.text(s.declaration)
            return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        case .parameter:
            return "parameter \(s.name) of fn \(owner?.name ?? "")(\(owner?.parameters.joined(separator: ", ") ?? ""))"
        case .loopVariable, .errorVariable:
            return a.document.text(s.declaration).trimmingTrailingSpaces + " …"
        }
    }

    // MARK: - Definition and references

    /// `textDocument/definition`.
    func definition(_ a: Analysis, at offset: Int) -> JSON {
        let d = a.document
        if let s = a.index.symbol(at: offset) {
            return ["uri": .string(d.uri), "range": d.range(a.index.symbols[s].nameRange)]
        }
        if let link = a.index.sourceLink(at: offset), let path = resolve(link.path, from: d) {
            return ["uri": .string(DocumentURI.uri(ofPath: path)), "range": TextDocument(uri: "", version: 0, text: "").fullRange]
        }
        // A function that a sourced file defines.
        if let site = a.index.command(at: offset), site.nameRange.start <= offset, offset <= site.nameRange.end,
           catalog.signature(of: site) == nil {
            for link in a.index.sources {
                guard let path = resolve(link.path, from: d), let text = readFile(path) else { continue }
                let other = TextDocument(uri: DocumentURI.uri(ofPath: path), version: 0, text: text)
                let (program, _) = Language.parse(other.source, commands: catalog.hostCommands)
                let index = SymbolIndex(program, bytes: other.bytes)
                if let s = index.symbols.first(where: { $0.isTopLevel && $0.name == site.name && $0.kind == .function }) {
                    return ["uri": .string(other.uri), "range": other.range(s.nameRange)]
                }
            }
        }
        return .null
    }

    /// A sourced path as `source` finds it: next to the sourcing file first.
    private func resolve(_ given: String, from d: TextDocument) -> String? {
        if given.hasPrefix("/") { return given }
        guard let path = DocumentURI.path(d.uri) else { return nil }
        return DocumentURI.directory(of: path) + given
    }

    /// `textDocument/references`.
    func references(_ a: Analysis, at offset: Int, includeDeclaration: Bool) -> JSON {
        let d = a.document
        if let s = a.index.symbol(at: offset) {
            var ranges = a.index.uses(of: s)
            if includeDeclaration { ranges.insert(a.index.symbols[s].nameRange, at: 0) }
            return .array(ranges.map { ["uri": .string(d.uri), "range": d.range($0)] })
        }
        if let link = a.index.sourceLink(at: offset) {
            return .array(a.index.sources.filter { $0.path == link.path }.map { ["uri": .string(d.uri), "range": d.range($0.range)] })
        }
        return .array([])
    }

    // MARK: - Symbols and formatting

    /// `textDocument/documentSymbol`: functions (with the functions they define) and top-level lets.
    func documentSymbols(_ a: Analysis) -> JSON {
        let index = a.index
        func node(_ i: Int) -> JSON {
            let s = index.symbols[i]
            let full = s.kind == .function ? functionRange(s, a) : s.declaration
            var out: JSON = [
                "name": .string(s.name), "kind": .int(s.kind == .function ? 12 : 13), "detail": .string(describe(s, a)),
                "range": a.document.range(full), "selectionRange": a.document.range(s.nameRange),
            ]
            let children = index.symbols.indices.filter { index.symbols[$0].owner == i && index.symbols[$0].kind == .function }
            if !children.isEmpty { out["children"] = .array(children.map(node)) }
            return out
        }
        let top = index.symbols.indices.filter {
            index.symbols[$0].isTopLevel && (index.symbols[$0].kind == .function || index.symbols[$0].kind == .variable)
        }.sorted { index.symbols[$0].nameRange.start < index.symbols[$1].nameRange.start }
        return .array(top.map(node))
    }

    /// A function's whole statement: its header to the end of its body.
    private func functionRange(_ s: Symbol, _ a: Analysis) -> SourceRange {
        let body = a.index.symbols.filter { $0.owner != nil && $0.kind == .parameter && $0.declaration == s.declaration }.first?.scope
        let bodyEnd = body?.end ?? matchingBrace(a.document.bytes, from: s.declaration.end)
        return SourceRange(s.declaration.start, bodyEnd)
    }

    /// The offset after the `}` that closes the `{` at `start` (brackets in strings and
    /// comments are rare in a function header; this is only a symbol's extent).
    private func matchingBrace(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x7B { depth += 1 }
            if bytes[i] == 0x7D {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return bytes.count
    }

    /// `textDocument/formatting`: one edit, the whole text as `ats fmt` prints it.
    func formatting(_ document: TextDocument) throws(ProtocolError) -> JSON {
        let text: String
        do throws(DiagnosticList) {
            text = try Language.format(document.source, commands: catalog.hostCommands)
        } catch {
            throw .formattingRefused(errors: error.diagnostics.count)
        }
        if text == document.text { return .array([]) }
        return .array([["range": document.fullRange, "newText": .string(text)]])
    }
}

/// Where completion is asked: the word being typed and the words of its command before it,
/// read from the text of the line (the line may not parse while it is typed).
struct CompletionContext {
    /// The word at the cursor, up to the cursor.
    var word: String
    var wordRange: SourceRange
    /// The words of the current command before that word.
    var previous: [String]

    /// Nil inside a comment or a string.
    init?(_ bytes: [UInt8], offset: Int) {
        let offset = min(offset, bytes.count)
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var segment = lineStart
        var quote: UInt8?
        var i = lineStart
        while i < offset {
            let b = bytes[i]
            if let q = quote {
                if b == 0x5C, q == 0x22 { i += 1 } else if b == q { quote = nil }
            } else if b == 0x22 || b == 0x27 {
                quote = b
            } else if b == 0x23 {
                return nil
            } else if b == 0x7C || b == 0x7B || b == 0x7D || b == 0x3B || b == 0x28 || b == 0x29 {
                segment = i + 1
            } else if b == 0x3D, i > lineStart, bytes[i - 1] == 0x20 || (i + 1 < bytes.count && bytes[i + 1] == 0x20) {
                segment = i + 1
            }
            i += 1
        }
        if quote != nil { return nil }
        var start = offset
        while start > segment, !(bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09) { start -= 1 }
        word = String(decoding: bytes[start..<offset], as: UTF8.self)
        wordRange = SourceRange(start, offset)
        previous = String(decoding: bytes[segment..<start], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if ["let", "if", "elif", "while", "return"].contains(previous.first ?? "") { previous.removeFirst() }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "{" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
