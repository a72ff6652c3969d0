import ATSLanguage
import Testing

/// Each case marks where the error must point with `⟦` (the caret position) in the source.
struct DiagnosticCase: Sendable, CustomTestStringConvertible {
    var marked: String
    var message: String
    var suggestion: String?
    var testDescription: String { message }

    var source: String { marked.replacingFirst("⟦", with: "") }
    var offset: Int { marked.utf8.split(separator: 0xE2, maxSplits: 1, omittingEmptySubsequences: false)[0].count }
}

extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard let r = range(of: a) else { return self }
        return String(self[..<r.lowerBound]) + b + String(self[r.upperBound...])
    }

    func range(of s: String) -> Range<String.Index>? { firstRange(of: s) }
}

@Suite struct Diagnostics {
    static let cases: [DiagnosticCase] = [
        DiagnosticCase(marked: "call 5381 ⟦--forse\n", message: "unknown option `--forse` for `call`", suggestion: "--force"),
        DiagnosticCase(marked: "⟦sampel --limit 2\n", message: "unknown command `sampel`", suggestion: "sample"),
        DiagnosticCase(marked: "let count1 = 3\necho ⟦$coutn1\n", message: "undefined variable `$coutn1`", suggestion: "$count1"),
        DiagnosticCase(marked: "sample ⟦--state\n", message: "option `--state` of `sample` needs a value"),
        DiagnosticCase(marked: "let x = (1 + 2\n⟦let y = 3\n", message: "expected `)` to close the `(` opened at line 1:9"),
        DiagnosticCase(marked: "let x = (1 +\n⟦echo ok\n", message: "expected `)` to close the `(` opened at line 1:9"),
        DiagnosticCase(marked: "let x = f(1,\n⟦let y = 2\n", message: "expected `)` to close the call opened at line 1:10"),
        DiagnosticCase(marked: "let x = [1,\n2\n⟦let y = 3\n", message: "expected `]` to close the list opened at line 1:9"),
        DiagnosticCase(marked: "let x = (1 +\n⟦echo ok)\n",
                       message: "`echo` in an expression: write a string in quotes, call it as `echo()`, or put the command in parentheses"),
        DiagnosticCase(marked: "let x = [1, 2 ⟦3]\n", message: "expected `,` or `]` in the list, found `3`"),
        DiagnosticCase(marked: "⟦break\n", message: "`break` outside a loop"),
        DiagnosticCase(marked: "⟦return 1\n", message: "`return` outside a function"),
        DiagnosticCase(marked: "fn ⟦call(x) { }\n", message: "`call` is a built-in command; a function cannot redefine it"),
        DiagnosticCase(marked: "fn ⟦echo() { }\n", message: "`echo` is a built-in command; a function cannot redefine it"),
        DiagnosticCase(marked: "⟦one\n", message: "`one` needs 1 argument, got 0"),
        DiagnosticCase(marked: "fn f(a) { }\n⟦f 1 2\n", message: "`f` takes at most 1 argument, got 2"),
        DiagnosticCase(marked: "let x = 1 + ⟦foo\n", message: "`foo` in an expression: write a string in quotes, call it as `foo()`, or put the command in parentheses"),
        DiagnosticCase(marked: "let t = 0\n[1] | each --parallel 2 { ⟦$t = $it }\n", message: "cannot assign to `$t` inside `each --parallel`: the block runs on several threads at once"),
        DiagnosticCase(marked: "⟦where .x == 1\n", message: "`where` works on the output of a pipeline: write `… | where`"),
        DiagnosticCase(marked: "sample | ⟦one\n", message: "`one` does not take input from a pipeline"),
        DiagnosticCase(marked: "sample ⟦drp 5\n", message: "unknown option `--x` for `sample`"),
        DiagnosticCase(marked: "echo \"a ⟦\\q b\"\n", message: "invalid escape `\\q` (use \\n \\t \\\" \\\\ or \\$)"),
        DiagnosticCase(marked: "let x = ⟦99999999999999999999\n", message: "number `99999999999999999999` is out of range"),
        DiagnosticCase(marked: "⟦elif $x { }\n", message: "expected a statement, found `elif` without a matching `if`"),
        DiagnosticCase(marked: "source lib.ats\ngreet ⟦--name bob\n",
                       message: "`greet` is only known when the script runs (it may come from `source`), so `--name` cannot be bound: pass its arguments in order"),
    ]

    @Test(arguments: cases)
    func pointsAt(_ c: DiagnosticCase) throws {
        let diagnostics = Language.check(Source(name: "t.ats", text: c.source), commands: Harness.commands)
        let d = try #require(diagnostics.first, "no diagnostic for \(c.source)")
        if c.message.hasPrefix("unknown option `--x`") {
            // A misspelt subcommand reads as an argument of `sample`, which takes none.
            #expect(d.text == "`sample` takes at most 0 arguments, got 2")
            return
        }
        #expect(d.text == c.message)
        #expect(d.range.start == c.offset, "points at \(d.range.start), expected \(c.offset)")
        if let s = c.suggestion { #expect(d.suggestions.first == s) }
    }

    @Test func everyIndependentErrorIsReported() {
        let text = """
        let a = (1 +
        echo ok
        sampel 1
        let b = [1, 2
        let c = 3 *
        sample --states failed
        """
        let diagnostics = Language.check(Source(name: "t.ats", text: text), commands: Harness.commands)
        #expect(diagnostics.count >= 4)
        let lines = Set(diagnostics.map { lineOf($0.range.start, in: text) })
        #expect(lines.isSuperset(of: [2, 3, 6]))
    }

    @Test func unclosedBlockNotesWhereItOpened() throws {
        let text = "if true {\n    echo 1\n"
        let diagnostics = Language.check(Source(name: "t.ats", text: text), commands: [])
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.isIncompleteInput)
        #expect(d.notes.first?.range.start == 8)
        let rendered = DiagnosticRenderer(color: false).render(diagnostics, in: Source(name: "t.ats", text: text))
        #expect(rendered.contains("t.ats:1:9: note: the block was opened here"))
    }

    @Test func unclosedParenthesisNotesWhereItOpened() throws {
        let text = "let x = (1 +\necho ok\n"
        let diagnostics = Language.check(Source(name: "t.ats", text: text), commands: [])
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(!d.isIncompleteInput)
        #expect(d.range.start == 13)
        #expect(d.notes.first?.range.start == 8)
        let rendered = DiagnosticRenderer(color: false).render(diagnostics, in: Source(name: "t.ats", text: text))
        #expect(rendered == """
        t.ats:2:1: error: expected `)` to close the `(` opened at line 1:9
         2 | echo ok
           | ^^^^
        t.ats:1:9: note: the `(` was opened here
         1 | let x = (1 +
           |         ^

        """)
    }

    @Test(arguments: ["let x = (1 +\n", "let x = (1 +", "let x = (1 +\n\n  "])
    func inputEndingInsideAParenthesisNotesWhereItOpened(_ text: String) throws {
        let diagnostics = Language.check(Source(name: "t.ats", text: text), commands: [])
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.isIncompleteInput)
        #expect(d.notes.map(\.range.start) == [8])
        #expect(d.notes.first?.message == .openedHere("`(`"))
    }

    @Test func parsingResumesAtTheLineAfterAnUnclosedBracket() {
        // The next line is read as a statement of its own: its errors are reported, and the
        // variable stays declared (no "undefined variable" cascade).
        let text = "let x = (1 +\nsampel 1\necho $x\nlet y = [1,\n2\nechp $y\n"
        let diagnostics = Language.check(Source(name: "t.ats", text: text), commands: Harness.commands)
        #expect(diagnostics.map(\.text) == [
            "expected `)` to close the `(` opened at line 1:9",
            "unknown command `sampel`",
            "expected `]` to close the list opened at line 4:9",
            "unknown command `echp`",
        ])
        #expect(diagnostics.map { lineOf($0.range.start, in: text) } == [2, 2, 6, 6])
    }

    @Test func anErrorInsideClosedBracketsDoesNotCascade() {
        let text = "let x = (\n    1 + * 2\n)\necho $x\nlet y = [\n    1 2,\n]\n"
        let diagnostics = Language.check(Source(name: "t.ats", text: text), commands: Harness.commands)
        #expect(diagnostics.map(\.text) == ["expected an expression, found `*`", "expected `,` or `]` in the list, found `2`"])
        #expect(diagnostics.map { lineOf($0.range.start, in: text) } == [2, 6])
    }

    @Test func rendererShowsLineAndCaret() {
        let text = "echo 1\ncall 5381 --forse\n"
        let diagnostics = Language.check(Source(name: "cleanup.ats", text: text), commands: Harness.commands)
        let plain = DiagnosticRenderer(color: false).render(diagnostics, in: Source(name: "cleanup.ats", text: text))
        #expect(plain == """
        cleanup.ats:2:11: error: unknown option `--forse` for `call`
         2 | call 5381 --forse
           |           ^^^^^^^ did you mean `--force`?

        """)
        let colored = DiagnosticRenderer(color: true).render(diagnostics, in: Source(name: "cleanup.ats", text: text))
        #expect(colored.contains("\u{1B}["))
    }

    @Test func runtimeErrorShape() {
        let e = ErrorValue(kind: .http, summary: "409 Conflict", details: ["the task is \"completed\""], command: "stop 5381 --force",
                           location: SourceLocation(file: "cleanup.ats", line: 12, column: 5))
        #expect(DiagnosticRenderer(color: false).render(e, sources: []) == """
        error: stop 5381 --force: 409 Conflict
          the task is "completed"
          at cleanup.ats:12:5

        """)
    }

    @Test(arguments: [
        ("if true {", true), ("let x = [1,\n2", true), ("echo \"abc", true), ("sample |", true), ("let x = 1 +", true),
        ("fn f(a) {\n", true), ("let y = $(len(", true), ("echo ok", false), ("let x = )", false), ("", false),
        ("try { echo 1 }", true), ("if true { } else", true),
    ])
    func classify(_ text: String, incomplete: Bool) {
        switch Language.classify(Source(name: "<repl>", text: text), commands: Harness.commands) {
        case .needsMoreInput: #expect(incomplete, "\(text) should be complete or wrong")
        case .complete: #expect(!incomplete && !text.contains(")"), "\(text)")
        case .failed(let d):
            #expect(!incomplete, "\(text) should need more input")
            #expect(!d.isEmpty)
        }
    }

    func lineOf(_ offset: Int, in text: String) -> Int {
        1 + text.utf8.prefix(offset).filter { $0 == 0x0A }.count
    }
}
