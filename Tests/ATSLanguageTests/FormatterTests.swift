import ATSLanguage
import Testing

/// `ats fmt` keeps the meaning: parse(fmt(s)) == parse(s), and fmt is idempotent.
@Suite struct Formatter {
    static func corpus() -> [String] { Harness.goldenScripts().filter { !$0.hasPrefix("syntax/") } }

    @Test(arguments: corpus())
    func roundTrip(_ name: String) throws {
        let text = try #require(Harness.read(Harness.scriptsRoot + "/" + name + ".ats"))
        let source = Source(name: name, text: text)
        let (original, diagnostics) = Language.parse(source, commands: Harness.commands)
        #expect(diagnostics.isEmpty)
        let formatted = try Language.format(source, commands: Harness.commands)
        let (reparsed, again) = Language.parse(Source(name: name, text: formatted), commands: Harness.commands)
        #expect(again.isEmpty, "formatted text does not parse:\n\(formatted)")
        #expect(reparsed == original, "formatting changed the meaning:\n\(formatted)")
        let twice = try Language.format(Source(name: name, text: formatted), commands: Harness.commands)
        #expect(twice == formatted)
    }

    @Test func canonicalLayout() throws {
        let text = "# top\nlet x=1+2*3   # trailing\nif $x>3{echo \"big\"}else{echo 'small'}\nfn f(a,b){return $a+$b}\n\n\nsample --state=failed|where .state==\"failed\"|count\n"
        let out = try Language.format(Source(name: "t", text: text), commands: Harness.commands)
        #expect(out == """
        # top
        let x = 1 + 2 * 3  # trailing
        if $x > 3 {
            echo "big"
        } else {
            echo 'small'
        }
        fn f(a, b) {
            return $a + $b
        }

        sample --state=failed | where .state == "failed" | count

        """)
    }

    /// A list or object written over several lines stays expanded, one item a line, and its
    /// comments stay with their items (they used to move below the statement).
    @Test func expandedLiteralsKeepTheirComments() throws {
        let text = """
            let hosts = [ # the lab
              "ao1",   # primary
              "ao2",
                # spare, not yet in service
              "ao3" ]
            let limits = {
              tasks: 100,  # per page
              nested: [1,
                2],
              # more to come
            }
            let flat = [1,2, {a: 1}]

            """
        let out = try Language.format(Source(name: "t", text: text), commands: Harness.commands)
        #expect(out == """
            let hosts = [
                # the lab
                "ao1",  # primary
                "ao2",
                # spare, not yet in service
                "ao3"
            ]
            let limits = {
                tasks: 100,  # per page
                nested: [
                    1,
                    2
                ]
                # more to come
            }
            let flat = [1, 2, {a: 1}]

            """)
        let source = Source(name: "t", text: text)
        let (reparsed, again) = Language.parse(Source(name: "t", text: out), commands: Harness.commands)
        #expect(again.isEmpty)
        #expect(reparsed == Language.parse(source, commands: Harness.commands).0)
        #expect(try Language.format(Source(name: "t", text: out), commands: Harness.commands) == out)
    }

    @Test func formatReportsSyntaxErrors() {
        #expect(throws: DiagnosticList.self) { try Language.format(Source(name: "t", text: "let = 3\n"), commands: []) }
    }
}

/// A `\` that starts a token and is followed only by blanks up to the end of the line is a
/// line continuation; the formatter joins continued lines (fuzz finding: trailing spaces
/// after the `\` once made `fmt` keep it on the first pass and join on the second).
@Suite struct FormatterContinuations {
    @Test(arguments: [
        ("echo one \\   \n two\n", "echo one two\n"),
        ("echo one \\\t \r\n two\n", "echo one two\n"),
        ("echo one \\\n two\n", "echo one two\n"),
        ("let x = 1 \\  \n + 2\n", "let x = 1 + 2\n"),
        ("echo C:\\temp\\\necho b\n", "echo C:\\temp\\\necho b\n"),
        ("echo \\ x\n", "echo \\ x\n"),
        ("echo \\;echo b\n", "echo \\ ;\necho b\n"),
        ("echo a \\  # note\necho b\n", "echo a \\  # note\necho b\n"),
        ("echo a \\", "echo a\n"),
    ])
    func canonicalAndIdempotent(_ text: String, expected: String) throws {
        let source = Source(name: "t.ats", text: text)
        let (original, diagnostics) = Language.parse(source, commands: Harness.commands)
        #expect(diagnostics.isEmpty)
        let once = try Language.format(source, commands: Harness.commands)
        #expect(once == expected)
        let twice = try Language.format(Source(name: "t.ats", text: once), commands: Harness.commands)
        #expect(twice == once)
        let (reparsed, again) = Language.parse(Source(name: "t.ats", text: once), commands: Harness.commands)
        #expect(again.isEmpty)
        #expect(reparsed == original)
    }

    @Test func continuationAtTheEndNeedsMoreInput() {
        for text in ["echo one \\", "echo one \\   "] {
            guard case .needsMoreInput = Language.classify(Source(name: "<repl>", text: text), commands: Harness.commands) else {
                Issue.record("\(text.debugDescription) should need more input")
                continue
            }
        }
        guard case .complete = Language.classify(Source(name: "<repl>", text: "echo one \\\n two"), commands: Harness.commands) else {
            Issue.record("a completed continuation should be complete")
            return
        }
    }

    @Test func continuationWithTrailingSpacesRuns() {
        let run = Harness.run("echo one \\  \n    two\n")
        #expect(run.stdout == "one two\n")
        #expect(run.code == 0)
    }
}
