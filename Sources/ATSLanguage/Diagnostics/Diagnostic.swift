import ATSJSON

/// One problem found in a source: what, where, related places, and near-miss suggestions.
public struct Diagnostic: Sendable, Hashable {
    /// How bad it is.
    public enum Severity: Sendable, Hashable { case error, warning }

    /// What went wrong (the text comes from the catalog in `Messages.swift`).
    public var message: DiagnosticMessage
    /// Where it went wrong.
    public var range: SourceRange
    /// Related places ("the block was opened here").
    public var notes: [DiagnosticNote]
    /// Near misses for a misspelt name, best first, written as they would be typed.
    public var suggestions: [String]
    public var severity: Severity

    public init(
        _ message: DiagnosticMessage, at range: SourceRange, notes: [DiagnosticNote] = [],
        suggestions: [String] = [], severity: Severity = .error
    ) {
        self.message = message
        self.range = range
        self.notes = notes
        self.suggestions = suggestions
        self.severity = severity
    }

    /// The message text.
    public var text: String { message.text }

    /// True when the problem is only that the input stops too early (the REPL asks for more).
    public var isIncompleteInput: Bool { message.isIncompleteInput }
}

/// A secondary location attached to a diagnostic.
public struct DiagnosticNote: Sendable, Hashable {
    public var message: NoteMessage
    public var range: SourceRange

    public init(_ message: NoteMessage, at range: SourceRange) {
        self.message = message
        self.range = range
    }
}

/// Diagnostics thrown as one error (by `Language.format`).
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

/// Renders diagnostics and runtime errors as text: the one place where messages meet the terminal.
public struct DiagnosticRenderer: Sendable {
    /// ANSI colours on or off.
    public var color: Bool

    public init(color: Bool) { self.color = color }

    private func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// `file:line:col: error: message`, the source line with a caret under the range, the
    /// suggestion, and each note with its own location.
    public func render(_ diagnostics: [Diagnostic], in source: Source) -> String {
        let map = LineMap(source.text)
        var out = ""
        for d in diagnostics {
            let label = d.severity == .error ? paint("error", "1;31") : paint("warning", "1;33")
            out += renderHeader(map, source, d.range.start) + " \(label): " + paint(d.text, "1") + "\n"
            out += snippet(map, d.range, hint: NearMiss.question(d.suggestions).map { " " + $0 } ?? "")
            for n in d.notes {
                out += renderHeader(map, source, n.range.start) + " \(paint("note", "1;36")): \(n.message.text)\n"
                out += snippet(map, n.range, hint: "")
            }
        }
        return out
    }

    private func renderHeader(_ map: LineMap, _ source: Source, _ offset: Int) -> String {
        paint(map.location(offset, file: source.name).description + ":", "1")
    }

    private func snippet(_ map: LineMap, _ range: SourceRange, hint: String) -> String {
        let line = map.line(of: range.start)
        let text = map.text(ofLine: line)
        let col = map.column(of: range.start)
        let endLine = map.line(of: range.end)
        let endCol = endLine == line ? map.column(of: range.end) : text.unicodeScalars.count + 1
        let width = max(1, endCol - col)
        let number = String(line)
        let gutter = String(repeating: " ", count: number.count)
        // Tabs keep their width under the caret.
        var pad = ""
        for (i, ch) in text.unicodeScalars.enumerated() where i < col - 1 { pad.append(ch == "\t" ? "\t" : " ") }
        let shown = text.unicodeScalars.count > 200 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(200))) + "…" : text
        if pad.unicodeScalars.count > 200 { pad = String(repeating: " ", count: 200) }
        return " \(paint(number, "36")) \(paint("|", "36")) \(shown)\n"
            + " \(gutter) \(paint("|", "36")) \(pad)\(paint(String(repeating: "^", count: min(width, 80)), "1;31"))\(hint)\n"
    }

    /// A runtime error in the shape of spec §5:
    /// `error: <command>: <summary>`, the detail lines indented, then `at file:line:col`
    /// and, when the location's source is among `sources`, its line with a caret.
    public func render(_ error: ErrorValue, sources: [Source]) -> String {
        var out = paint("error", "1;31") + ": "
        if let command = error.command, !command.isEmpty { out += command + ": " }
        out += error.summary + "\n"
        for line in error.details { out += "  " + line + "\n" }
        guard let location = error.location else { return out }
        out += "  at \(location)\n"
        if let range = location.range, let source = sources.last(where: { $0.name == location.file }),
            range.end <= source.text.utf8.count
        {
            out += snippet(LineMap(source.text), range, hint: "")
        }
        return out
    }
}
