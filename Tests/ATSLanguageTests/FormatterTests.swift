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
        let text = "# top\nlet x=1+2*3   # trailing\nif $x>3{echo \"big\"}else{echo 'small'}\nfn f(a,b){return $a+$b}\n\n\ntasks --status=failed|where .status==\"failed\"|count\n"
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

        tasks --status=failed | where .status == "failed" | count

        """)
    }

    @Test func formatReportsSyntaxErrors() {
        #expect(throws: DiagnosticList.self) { try Language.format(Source(name: "t", text: "let = 3\n"), commands: []) }
    }
}
