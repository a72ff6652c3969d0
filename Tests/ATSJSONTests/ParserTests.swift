import ATSJSON
import Testing

@Suite("Reference bodies")
struct ReferenceBodyTests {
    @Test("every corpus file parses", arguments: Corpus.names)
    func corpusParses(name: String) throws {
        let value = try Corpus.value(name)
        // Parsing the same bytes again gives the same value, and the text it prints parses too.
        #expect(try JSONParser.parse(JSONWriter.pretty.string(value)) == value)
    }

    @Test func seedForceStopResponseKeepsItsSpellings() throws {
        let job = try Corpus.value("seed-forcestop-response")
        #expect(job["instanceID"]?.stringValue == "68451399-53c2-4f6b-bbdd-be025a61ed02")
        #expect(job["instanceId"] == nil)
        #expect(job["affectedResource"]?[0]?.stringValue == "http://192.168.146.132:22015/Automation/v1/objects/Tasks/5381")
        #expect(job["affectedResources"] == nil)
        #expect(job["result"] == .array([]))
        #expect(job.objectValue?.keys == ["instanceID", "created", "updated", "completed", "state", "affectedResource", "result"])
    }

    @Test func seedForceStopRequestNamesAnotherTask() throws {
        let request = try Corpus.value("seed-forcestop-request")
        #expect(request["href"]?.stringValue?.contains("/Tasks/5338/") == true)
        #expect(request["parameters"] == [])
        #expect(request["method"] == "POST")
    }

    @Test func taskExampleHasEveryMemberOfTheSchemaInOrder() throws {
        let task = try Corpus.value("task")
        let keys = try #require(task.objectValue?.keys)
        #expect(keys.count == 26)
        #expect(keys.first == "instanceID")
        #expect(keys.last == "supportedActionType")
        #expect(task["instanceID"] == .int(5381))
        #expect(task["completionTime"] == .null)
        #expect(task["toDo"] == false)
        #expect(task["description"] == "")
        #expect(task["missing"] == nil)
    }

    @Test func japaneseNamesSurvive() throws {
        let list = try Corpus.value("collection-envelope")
        #expect(list["data"]?[0]?["name"]?.stringValue == "バックアップ_20150807100000")
        #expect(list["data"]?[0]?["submitter"]?.stringValue == "山田太郎")
        #expect(list["count"]?.intValue == 2)
    }

    @Test func userInfoGroupIdIsAString() throws {
        let user = try Corpus.value("userinfo")
        #expect(user["resourceGroup"]?[0]?["instanceID"] == "Automation_RG_ALL")
        #expect(user["resourceGroup"]?[0]?["accessPermission"]?.arrayValue?.count == 5)
    }

    @Test func leadingSpaceInHrefIsKept() throws {
        let template = try Corpus.value("submit-template")
        #expect(template["href"]?.stringValue?.hasPrefix(" http://") == true)
        #expect(template["v10"] == .null)
    }

    /// Quirk 4: the page prints `Accept-Language: ja` after the request body.
    @Test func headerAfterBodyIsTrailingData() throws {
        let body = String(decoding: try Corpus.bytes("seed-forcestop-request", "json"), as: UTF8.self)
        let text = body + "Accept-Language: ja\n"
        #expect(throws: JSONParseError(offset: offset(of: "Accept-Language", in: text), reason: .trailingData)) {
            try JSONParser.parse(text)
        }
    }
}

/// The manual's schemas with JSON syntax errors (REFERENCE.md §6, quirks 9 and 22, and the
/// seed page's `[ {...} ]`) must fail at the right byte.
@Suite("Malformed schemas from the manual")
struct MalformedSchemaTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        /// Where the error must be reported: the first byte of this text.
        var marker: String
        var reason: JSONParseError.Reason
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "2.7.9 seed schema placeholder object", text: """
            {
            "instanceId" : "instance-id",
            "created" : "created-date-and-time",
            "updated" : "updated-date-and-time",
            "completed" : "completed-date-and-time",
            "state" : "state",
            "affectedResources" : [ {...} ],
            "result" : [ ]
            }
            """, marker: "...}", reason: .unexpectedByte(UInt8(ascii: "."))),
        Case(name: "2.7.15 missing comma after affectedResources", text: """
            {
              "instanceID" : "instance-id",
              "state" : "state",
              "affectedResources" : [ "http://host:port/Automation/v1/objects/Tasks/5381" ]
              "result" : [ ],
              "resultType" : "result-type"
            }
            """, marker: "\"result\"", reason: .unexpectedByte(UInt8(ascii: "\""))),
        Case(name: "Services missing comma after tags", text: """
            {
              "instanceID" : 2004,
              "name" : "name",
              "tags" : "tags"
              "serviceTemplateName" : "service-template-name"
            }
            """, marker: "\"serviceTemplateName\"", reason: .unexpectedByte(UInt8(ascii: "\""))),
        Case(name: "Services missing comma after serviceState", text: """
            {"instanceID": 2004, "serviceState" : "service-state" "serviceGroupName" : "group"}
            """, marker: "\"serviceGroupName\"", reason: .unexpectedByte(UInt8(ascii: "\""))),
        Case(name: "ServiceGroups missing comma after objectID", text: """
            {
              "instanceID" : 3,
              "objectID" : "Automation_RG_DEFAULT"
              "name" : "DefaultServiceGroup",
              "description" : "default service group"
            }
            """, marker: "\"name\"", reason: .unexpectedByte(UInt8(ascii: "\""))),
        Case(name: "PropertyDefinition trailing comma", text: """
            {
              "instanceID" : 158,
              "keyName" : "key-name",
              "serviceTemplateID" : 1116,
            }
            """, marker: "}", reason: .unexpectedByte(UInt8(ascii: "}"))),
        Case(name: "V10 PropertyValue missing comma after value", text: """
            { "instanceID" : 7, "keyName" : "k", "value" : "v" "serviceID" : 2004 }
            """, marker: "\"serviceID\"", reason: .unexpectedByte(UInt8(ascii: "\""))),
        Case(name: "unquoted placeholder (lastFailedTime)", text: """
            { "lastFailedTime" : last-failed-time, "latest" : true }
            """, marker: "last-failed-time", reason: .unexpectedByte(UInt8(ascii: "l"))),
        Case(name: "trailing comma in array", text: "[1, 2, ]", marker: "]", reason: .unexpectedByte(UInt8(ascii: "]"))),
        Case(name: "unclosed object", text: "{\"a\": [1, 2]", marker: "", reason: .unexpectedEnd),
    ]

    @Test(arguments: cases)
    func failsAtTheRightByte(_ c: Case) {
        let expected = c.marker.isEmpty ? c.text.utf8.count : offset(of: c.marker, in: c.text)
        #expect(throws: JSONParseError(offset: expected, reason: c.reason)) {
            try JSONParser.parse(c.text)
        }
    }

    @Test func errorDescriptionNamesTheByteAndOffset() {
        let error = JSONParseError(offset: 12, reason: .unexpectedByte(UInt8(ascii: "}")))
        #expect(error.description == "unexpected '}' at byte 12")
        #expect(JSONParseError(offset: 3, reason: .unexpectedByte(0xFF)).description == "unexpected byte 0xff at byte 3")
    }
}

@Suite("Strings")
struct StringParsingTests {
    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u65E5""#, "é日"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\ud800""#, "\u{FFFD}"),
        (#""\udc00""#, "\u{FFFD}"),
        (#""\ud800\u0041""#, "\u{FFFD}A"),
        (#""\ud800x""#, "\u{FFFD}x"),
        (#""\udc00\ud800""#, "\u{FFFD}\u{FFFD}"),
        (#""a\u0000b""#, "a\u{0}b"),
        (#""日本語""#, "日本語"),
        (#""""#, ""),
        (#""long string without escapes that crosses several eight-byte words""#,
         "long string without escapes that crosses several eight-byte words"),
    ])
    func escapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
        // The same as an object key.
        #expect(try JSONParser.parse("{\(text): 1}").objectValue?.keys == [expected])
    }

    @Test(arguments: [
        ([0x22, 0xFF, 0x22], "\u{FFFD}"),
        ([0x22, 0x61, 0xC3, 0x22], "a\u{FFFD}"),
        ([0x22, 0xE3, 0x81, 0x22], "\u{FFFD}"),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "\u{FFFD}\u{FFFD}\u{FFFD}"),
        ([0x22, 0xC0, 0xAF, 0x22], "\u{FFFD}\u{FFFD}"),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        ([0x22, 0xE6, 0x97, 0xA5, 0x22], "日"),
    ] as [([UInt8], String)])
    func invalidUTF8BecomesReplacementCharacter(bytes: [UInt8], expected: String) throws {
        #expect(try JSONParser.parse(bytes) == .string(expected))
        // Also inside a string with escapes (the slow path).
        let escaped = [0x22, 0x5C, 0x6E] + bytes.dropFirst()
        #expect(try JSONParser.parse(escaped) == .string("\n" + expected))
    }

    @Test func rawNULAndControlCharactersAreErrors() {
        #expect(throws: JSONParseError(offset: 2, reason: .controlCharacterInString)) {
            try JSONParser.parse([0x22, 0x61, 0x00, 0x22])
        }
        #expect(throws: JSONParseError(offset: 3, reason: .controlCharacterInString)) {
            try JSONParser.parse("\"\\n\n\"")
        }
        #expect(throws: JSONParseError(offset: 10, reason: .controlCharacterInString)) {
            try JSONParser.parse("\"123456789\t\"")
        }
    }

    @Test func nulOutsideStringsIsUnexpected() {
        #expect(throws: JSONParseError(offset: 1, reason: .unexpectedByte(0))) { try JSONParser.parse([0x5B, 0x00, 0x5D]) }
        #expect(throws: JSONParseError(offset: 2, reason: .trailingData)) { try JSONParser.parse([0x31, 0x20, 0x00]) }
    }

    @Test(arguments: [
        (#""\x""#, 1, JSONParseError.Reason.invalidEscape),
        (#""\u12""#, 6, .unexpectedEnd),
        (#""\u12G4""#, 5, .invalidEscape),
        (#""abc"#, 4, .unexpectedEnd),
        (#""abc\"#, 5, .unexpectedEnd),
    ])
    func badStrings(text: String, at: Int, reason: JSONParseError.Reason) {
        #expect(throws: JSONParseError(offset: at, reason: reason)) { try JSONParser.parse(text) }
    }
}

@Suite("Numbers")
struct NumberParsingTests {
    @Test(arguments: [
        ("0", JSON.int(0)), ("-1", .int(-1)), ("5381", .int(5381)),
        ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
        ("1.5", .double(1.5)), ("-0.25", .double(-0.25)), ("1e3", .double(1000)), ("1E-2", .double(0.01)),
        ("2.5e+3", .double(2500)), ("1e400", .double(.greatestFiniteMagnitude)),
        ("-1e400", .double(-.greatestFiniteMagnitude)), ("5e-324", .double(.leastNonzeroMagnitude)),
    ])
    func values(text: String, expected: JSON) throws {
        let value = try JSONParser.parse(text)
        #expect(value == expected)
        // Kind is kept, not only the numeric value.
        switch (value, expected) {
        case (.int, .int), (.double, .double): break
        default: Issue.record("\(text) parsed as \(value), expected the kind of \(expected)")
        }
    }

    @Test func bigIntegersBeyondInt64BecomeDoubles() throws {
        #expect(try JSONParser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-9.223372036854775808e18))
        #expect(try JSONParser.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
    }

    @Test func negativeZeroIsKept() throws {
        for text in ["-0", "-0.0", "-0e0"] {
            let value = try JSONParser.parse(text)
            guard case .double(let d) = value else {
                Issue.record("\(text) gave \(value)")
                continue
            }
            #expect(d == 0 && d.sign == .minus)
            #expect(JSONWriter.compact.string(value) == "-0")
        }
        #expect(try JSONParser.parse("0") == .int(0))
    }

    @Test(arguments: [
        ("-", 0, JSONParseError.Reason.invalidNumber), ("1.", 0, .invalidNumber), ("1.e5", 0, .invalidNumber),
        ("1e", 0, .invalidNumber), ("1e+", 0, .invalidNumber), ("-a", 0, .invalidNumber),
        ("01", 1, .trailingData), ("[01]", 2, .unexpectedByte(UInt8(ascii: "1"))),
        (".5", 0, .unexpectedByte(UInt8(ascii: "."))), ("+1", 0, .unexpectedByte(UInt8(ascii: "+"))),
        ("[-]", 1, .invalidNumber), ("1 2", 2, .trailingData), ("NaN", 0, .unexpectedByte(UInt8(ascii: "N"))),
    ])
    func badNumbers(text: String, at: Int, reason: JSONParseError.Reason) {
        #expect(throws: JSONParseError(offset: at, reason: reason)) { try JSONParser.parse(text) }
    }

    @Test func numbersCompareByValue() {
        #expect(JSON.int(1) == JSON.double(1.0))
        #expect(JSON.int(1) != JSON.double(1.5))
        // As in jq, an integer and a double compare as doubles.
        #expect(JSON.int(90_071_992_547_419_970) == JSON.double(90_071_992_547_419_968))
        #expect(Set<JSON>([.int(90_071_992_547_419_970), .double(90_071_992_547_419_968)]).count == 1)
        #expect(JSON.int(90_071_992_547_419_970) != JSON.int(90_071_992_547_419_968))
        #expect(Set<JSON>([.int(2), .double(2.0)]).count == 1)
        #expect(JSON.double(2.0).intValue == 2)
        #expect(JSON.double(2.5).intValue == nil)
    }
}

@Suite("Structure")
struct StructureTests {
    @Test func keyOrderIsPreserved() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 2, "m": {"y": 1, "b": 2}}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value["m"]?.objectValue?.keys == ["y", "b"])
        #expect(JSONWriter.compact.string(value) == #"{"z":1,"a":2,"m":{"y":1,"b":2}}"#)
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
        // The same when the object follows the shape of the previous one in a list.
        let list = try JSONParser.parse(#"[{"a": 1, "b": 2}, {"a": 5, "a": 6, "b": 7}, {"a": 8}]"#)
        #expect(list[1]?.objectValue?.keys == ["a", "b"])
        #expect(list[1]?["a"] == 6)
        #expect(list[2]?.objectValue?.keys == ["a"])
    }

    @Test func duplicateKeysInALargeObject() throws {
        let members = (0..<100).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let value = try JSONParser.parse("{\(members), \"k7\": \"again\", \"k99\": null}")
        let object = try #require(value.objectValue)
        #expect(object.count == 100)
        #expect(object["k7"] == "again")
        #expect(object["k99"] == .null)
        #expect(object.key(at: 7) == "k7")
    }

    @Test func recordsWithTheSameShapeStayIndependent() throws {
        let value = try JSONParser.parse(#"[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "other": true}]"#)
        var second = try #require(value[1]?.objectValue)
        second["extra"] = 1
        #expect(second.keys == ["id", "name", "extra"])
        #expect(value[0]?.objectValue?.keys == ["id", "name"])
        #expect(value[2]?.objectValue?.keys == ["id", "other"])
        #expect(value[2]?["other"] == true)
    }

    @Test(arguments: ["[", "{", "{\"a\"", "{\"a\":", "[1,", "tru", "nul", "", "   "])
    func truncatedInputIsUnexpectedEnd(text: String) {
        #expect(throws: JSONParseError(offset: text.utf8.count, reason: .unexpectedEnd)) { try JSONParser.parse(text) }
    }

    @Test(arguments: [("truth", 3), ("nulL", 3), ("fals", 4), ("falsy", 4)])
    func misspeltWords(text: String, at: Int) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error.offset == at)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
    }

    @Test(arguments: ["[", "{\"k\":"])
    func tenThousandLevelsIsAnErrorNotACrash(opener: String) {
        let text = String(repeating: opener, count: 10_000)
        let limit = JSONParser.maximumDepth
        #expect(throws: JSONParseError(offset: limit * opener.utf8.count, reason: .tooDeep(limit: limit))) {
            try JSONParser.parse(text)
        }
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text)
        var levels = 1
        while case .array(let items) = value, let first = items.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
    }

    @Test func parsesFromStringBytesAndArraySlices() throws {
        let text = #"{"a": [1, 2.5, "x", null, true, false]}"#
        let fromString = try JSONParser.parse(text)
        #expect(try JSONParser.parse(Array(text.utf8)) == fromString)
        #expect(try JSONParser.parse(Array(("xx" + text).utf8)[2...]) == fromString)
        #expect(try JSONParser.parse(text.utf8) == fromString)
        #expect(fromString["a"]?[1] == 2.5)
    }

    @Test func progressReportsOnlyOffsetsThatAreNotReadAgain() throws {
        let items = (0..<500).map { #"{"instanceID": \#($0), "name": "タスク_\#($0)"}"# }
        let text = Array("{\"data\": [\(items.joined(separator: ", "))], \"count\": 500}".utf8)
        var offsets: [Int] = []
        let value = try text.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            try JSONParser.parse(buffer: buffer, interval: 256) { offsets.append($0) }
        }
        #expect(value == (try JSONParser.parse(text)))
        #expect(offsets.count > 20)
        #expect(offsets == offsets.sorted())
        // Each reported offset follows the comma before an array element: everything
        // before it is complete.
        for offset in offsets {
            #expect(text[offset - 1] == UInt8(ascii: ","))
            #expect(text[offset...].first { $0 != 0x20 } == UInt8(ascii: "{"))
        }
    }

    @Test func objectEqualityIgnoresOrderButKeepsIt() throws {
        let a = try JSONParser.parse(#"{"x": 1, "y": [1, 2]}"#)
        let b = try JSONParser.parse(#"{"y": [1, 2], "x": 1}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(JSONWriter.compact.string(a) != JSONWriter.compact.string(b))
        #expect(try JSONParser.parse(#"{"x": 1}"#) != a)
    }
}

@Suite("JSONObject")
struct JSONObjectTests {
    @Test func setReplaceAndRemoveKeepOrder() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"
        object["d"] = 4
        object["a"] = nil
        #expect(object.keys == ["b", "c", "d"])
        #expect(object.values == ["two", 3, 4])
        #expect(object.map(\.key) == ["b", "c", "d"])
        #expect(object.position(of: "d") == 2)
        #expect(object["zzz"] == nil)
    }

    @Test func largeObjectsIndexAndStayCopyOnWrite() {
        var object = JSONObject()
        for i in 0..<200 { object.appendUnchecked(key: "key\(i)", value: .int(i)) }
        let copy = object
        object["key150"] = "changed"
        object["new"] = true
        object["key3"] = nil
        #expect(object.position(of: "key150") == 149)
        #expect(object["key150"] == "changed")
        #expect(object["new"] == true)
        #expect(object.count == 200)
        #expect(copy.count == 200)
        #expect(copy["key150"] == 150)
        #expect(copy["new"] == nil)
        #expect(copy["key3"] == 3)
        #expect(object.position(of: "new") == 199)
    }

    @Test func uncheckedUniqueKeysSharesTheKeys() throws {
        let parsed = try JSONParser.parse(#"{"id": 1, "name": "a"}"#)
        let source = try #require(parsed.objectValue)
        var copy = JSONObject(uncheckedUniqueKeys: source.keys, values: source.values.map { _ in .null })
        #expect(copy.keys == ["id", "name"])
        #expect(copy["name"] == .null)
        copy["extra"] = true
        #expect(copy.keys == ["id", "name", "extra"])
        #expect(source.keys == ["id", "name"])
    }

    @Test func jsonSubscriptSetter() {
        var value: JSON = ["a": 1]
        value["b"] = [true, nil]
        value["a"] = nil
        #expect(value == ["b": [true, nil]])
        var notObject: JSON = [1]
        notObject["x"] = 1
        #expect(notObject == [1])
    }

    @Test func sizeOfJSONValue() {
        // One tag byte beyond the largest payload (a String): keep it that way.
        #expect(MemoryLayout<JSON>.size <= 17)
        #expect(MemoryLayout<JSONObject>.size <= 16)
    }
}
