import ATSJSON
import Testing

@Suite("Writer")
struct WriterTests {
    @Test("pretty output equals the stored `jq .` output", arguments: Corpus.names)
    func prettyMatchesJQ(name: String) throws {
        let value = try Corpus.value(name)
        let expected = try Corpus.bytes(name, "jq")
        var out: [UInt8] = []
        JSONWriter.pretty.write(value, into: &out)
        out.append(0x0A)
        #expect(String(decoding: out, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test("coloured output equals the stored `jq -C .` output", arguments: Corpus.names)
    func colouredMatchesJQ(name: String) throws {
        let value = try Corpus.value(name)
        let expected = try Corpus.bytes(name, "jqc")
        let out = JSONWriter(indent: 2, colors: .jq).string(value) + "\n"
        #expect(out == String(decoding: expected, as: UTF8.self))
    }

    /// Keeps the stored expectations honest where jq is installed.
    @Test("stored expectations equal what the installed jq prints", arguments: Corpus.names)
    func storedFilesMatchInstalledJQ(name: String) throws {
        let input = try Corpus.bytes(name, "json")
        guard let plain = try runJQ(["."], input: input), let colored = try runJQ(["-C", "."], input: input) else {
            return  // jq is not installed: the stored files stand.
        }
        let value = try Corpus.value(name)
        #expect(JSONWriter.pretty.string(value) + "\n" == String(decoding: plain, as: UTF8.self))
        #expect(JSONWriter(indent: 2, colors: .jq).string(value) + "\n" == String(decoding: colored, as: UTF8.self))
    }

    @Test func compact() throws {
        let value = try JSONParser.parse(#" { "a" : [ 1 , { } , [ ] , "x\ny" ] , "b" : null } "#)
        #expect(JSONWriter.compact.string(value) == #"{"a":[1,{},[],"x\ny"],"b":null}"#)
        #expect(value.description == #"{"a":[1,{},[],"x\ny"],"b":null}"#)
    }

    @Test(arguments: [
        ("\"", #""\"""#), ("\\", #""\\""#), ("/", #""/""#), ("\u{0}", #""\u0000""#), ("\u{1F}", #""\u001f""#),
        ("\u{7F}", #""\u007f""#), ("\u{8}\u{C}\n\r\t", #""\b\f\n\r\t""#), ("é😀", "\"é😀\""),
        ("\u{2028}", "\"\u{2028}\""), ("abcdefgh\"ijklmnop", #""abcdefgh\"ijklmnop""#),
    ])
    func stringEscapes(raw: String, expected: String) {
        #expect(JSONWriter.compact.string(.string(raw)) == expected)
        var out: [UInt8] = []
        JSONWriter.compact.writeString(raw, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func asciiOnlyEscapesEverythingAboveASCII() {
        let writer = JSONWriter(indent: 0, asciiOnly: true)
        #expect(writer.string(.string("é日😀x")) == #""\u00e9\u65e5\ud83d\ude00x""#)
        #expect(writer.string(["ключ": "a"]) == #"{"\u043a\u043b\u044e\u0447":"a"}"#)
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1.0, "1"), (0.1, "0.1"), (1e-7, "1e-07"), (1e-5, "1e-05"), (0.0001, "0.0001"),
        (1e15, "1000000000000000"), (1e16, "1e+16"), (1.5e300, "1.5e+300"), (.leastNonzeroMagnitude, "5e-324"),
        (123456789012345680, "123456789012345680"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (-2.5e-12, "-2.5e-12"), (100, "100"), (3.14, "3.14"), (.infinity, "1.7976931348623157e+308"),
        (-.infinity, "-1.7976931348623157e+308"), (.nan, "null"), (12.5e10, "125000000000"),
    ])
    func doublesPrintLikeJQ(value: Double, expected: String) {
        #expect(JSONWriter.compact.string(.double(value)) == expected)
        var out: [UInt8] = []
        JSONWriter.appendDouble(value, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test(arguments: [0, 7, 10, 99, 100, 5381, -1, -10, -99, -100, 1_000_000, Int.max, Int.min, 1 << 53 + 1])
    func integersPrintExactly(value: Int) {
        var out: [UInt8] = []
        JSONWriter.appendInt(value, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
        #expect(JSONWriter.pretty.string(.int(value)) == String(value))
    }

    @Test func customIndent() {
        let value: JSON = ["a": [1, ["b": nil]]]
        #expect(JSONWriter(indent: 4).string(value) == "{\n    \"a\": [\n        1,\n        {\n            \"b\": null\n        }\n    ]\n}")
    }

    @Test func chunkedOutputEqualsWholeOutput() throws {
        var items: [JSON] = []
        for i in 0..<2_000 {
            items.append(["instanceID": .int(i), "name": .string("タスク_\(i)"), "status": "inProgress", "toDo": false])
        }
        let value = JSON.array(items)
        for writer in [JSONWriter.pretty, .compact, JSONWriter(indent: 2, colors: .jq)] {
            var pieces = 0
            var chunked: [UInt8] = []
            writer.write(value, chunkSize: 4096) { piece in
                pieces += 1
                chunked.append(contentsOf: piece)
            }
            var whole: [UInt8] = []
            writer.write(value, into: &whole)
            #expect(chunked == whole)
            #expect(pieces > 10)
        }
    }
}

@Suite("Round trip")
struct RoundTripTests {
    @Test("parse(write(x)) == x for the corpus", arguments: Corpus.names)
    func corpus(name: String) throws {
        let value = try Corpus.value(name)
        for writer in [JSONWriter.compact, .pretty, JSONWriter(indent: 0, asciiOnly: true)] {
            #expect(try JSONParser.parse(writer.string(value)) == value)
        }
        // Writing is a fixed point after one parse.
        let once = JSONWriter.pretty.string(value)
        #expect(JSONWriter.pretty.string(try JSONParser.parse(once)) == once)
    }

    /// Inputs the fuzzer (scripts/fuzz) found; each once broke the round trip.
    @Test("fuzz findings", arguments: [
        // A large integral double prints in jq's plain form and reads back as an .int.
        "[0, -0, 1, -4,1 ,25381, 9007199742540991, -90071992547419974.14, 1E000000, 1e400, -1e400]",
    ])
    func fuzzFindings(text: String) throws {
        let value = try JSONParser.parse(text)
        for writer in [JSONWriter.compact, .pretty] {
            let written = writer.string(value)
            let back = try JSONParser.parse(written)
            #expect(back == value)
            #expect(writer.string(back) == written)
        }
    }

    @Test("parse(write(x)) == x for generated values", arguments: 1...40)
    func generated(seed: Int) throws {
        var rng = SeededRandom(seed: UInt64(seed))
        let value = randomJSON(&rng, depth: 4)
        for writer in [JSONWriter.compact, .pretty, JSONWriter(indent: 0, asciiOnly: true)] {
            let text = writer.string(value)
            let back = try JSONParser.parse(text)
            #expect(back == value, "\(text)")
            #expect(writer.string(back) == text)
        }
    }
}
