import ATSLanguage
import Testing

/// Bad input gives a clear error, never a crash or a hang.
@Suite struct Robustness {
    @Test func thousandsOfMutatedScripts() throws {
        var corpus: [[UInt8]] = []
        for name in Harness.goldenScripts() {
            if let t = Harness.read(Harness.scriptsRoot + "/" + name + ".ats") { corpus.append(Array(t.utf8)) }
        }
        try #require(!corpus.isEmpty)
        let alphabet = Array("{}()[]\"'$|;\n\\#.,:=+-*/%<>!?~ abc0129--forcestatus".utf8)
        var rng = SeededGenerator(state: 20_261_129)
        var rejected = 0
        for _ in 0..<3000 {
            var bytes = corpus[Int(rng.next() % UInt64(corpus.count))]
            let edits = 1 + Int(rng.next() % 4)
            for _ in 0..<edits {
                let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0 where !bytes.isEmpty: bytes.remove(at: at)
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                case 2 where !bytes.isEmpty: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                default:
                    let end = min(bytes.count, at + Int(rng.next() % 12))
                    bytes.insert(contentsOf: Array(bytes[at..<end]), at: at)
                }
            }
            let source = Source(name: "fuzz.ats", text: String(decoding: bytes, as: UTF8.self))
            let diagnostics = Language.check(source, commands: Harness.commands)
            for d in diagnostics {
                #expect(d.range.start >= 0 && d.range.end <= bytes.count + 4)
            }
            _ = Language.classify(source, commands: Harness.commands)
            if diagnostics.isEmpty {
                _ = try? Language.format(source, commands: Harness.commands)
            } else {
                rejected += 1
            }
        }
        // The mutations reach both the error paths and the formatter.
        #expect(rejected > 0 && rejected < 3000)
    }

    @Test(arguments: ["[", "(", "{", "$(", "-", "not "])
    func deepNestingIsAnError(_ opener: String) {
        let text = "let x = " + String(repeating: opener, count: 10_000) + "1"
        let diagnostics = Language.check(Source(name: "deep.ats", text: text), commands: [])
        #expect(!diagnostics.isEmpty)
        let run = Harness.run(text)
        #expect(run.code == 2)
    }

    @Test func deeplyNestedBlocks() {
        let text = String(repeating: "if true {\n", count: 5000) + String(repeating: "}\n", count: 5000)
        let diagnostics = Language.check(Source(name: "deep.ats", text: text), commands: [])
        #expect(diagnostics.contains { $0.text.contains("nesting is too deep") })
    }

    @Test func twoMegabyteLine() {
        let long = String(repeating: "a", count: 2 << 20)
        let run = Harness.run("let s = \"\(long)\"\necho $(len($s))\n")
        #expect(run.stdout == "\(2 << 20)\n")
        let bad = Harness.run("let s = [" + String(repeating: "1, ", count: 100_000) + "\n")
        #expect(bad.code == 2)
    }

    @Test func invalidUTF8AndNulBytes() {
        let bytes: [UInt8] = Array("echo \"a".utf8) + [0xFF, 0xFE, 0x00, 0xC3] + Array("b\"\necho x\u{0}y\n".utf8)
        let run = Harness.run(String(decoding: bytes, as: UTF8.self))
        #expect(run.code == 0 || run.code == 2)
        let onlyNul = Harness.run("\u{0}\u{0}\u{0}")
        #expect(onlyNul.code == 2)
    }

    @Test func runawayRecursionIsACleanError() {
        let run = Harness.run("fn down(n) { return down($n + 1) }\ndown 0\n")
        #expect(run.code == 1)
        #expect(run.stderr.contains("recursion is too deep"))
        #expect(run.stderr.contains("at test.ats:1:21"))
    }

    @Test func deepButBoundedRecursionWorks() {
        let run = Harness.run("fn sum(n) { if $n == 0 { return 0 }; return $n + sum($n - 1) }\nprint sum(900)\n")
        #expect(run.stdout == "405450\n")
    }
}
