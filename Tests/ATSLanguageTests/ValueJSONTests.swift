import ATSJSON
import ATSLanguage
import Testing

/// `Value(json)` and `toJSON()` keep members, order and types; objects built from shared key
/// arrays behave like objects built member by member.
@Suite struct ValueJSON {
    @Test func roundTripOfAListing() throws {
        let text = #"{"data":[{"id":1,"name":"a","tags":["x"],"x":null},{"id":2,"name":"b","tags":[],"x":1.5},{"id":3,"name":"c","tags":[{"k":true}],"x":"s"}],"count":3}"#
        let json = try JSONParser.parse(text)
        let value = Value(json)
        #expect(value.toJSON() == json)
        #expect(JSONWriter.compact.string(value.toJSON()) == text)
    }

    @Test func sharedKeysAreCopiedOnWrite() {
        let keys = ["id", "name"]
        var a = ValueObject(uncheckedUniqueKeys: keys, values: [.int(1), .string("a")])
        let b = ValueObject(uncheckedUniqueKeys: keys, values: [.int(2), .string("b")])
        a["extra"] = .bool(true)
        a["id"] = nil
        #expect(a.keys == ["name", "extra"])
        #expect(b.keys == ["id", "name"])
        #expect(b["name"].map { Value.equal($0, .string("b")) } == true)
        #expect(keys == ["id", "name"])
    }
}
