import ATSJSON
import FuzzDriver

/// Any bytes either fail to parse with an error whose offset lies inside the input (never a
/// crash or a hang), or parse to a value that every writer prints as text that parses back
/// to an equal value and prints again identically.
func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput(start: data, count: size)
    let value: JSON
    do {
        value = try JSONParser.parse(buffer: bytes)
    } catch {
        check(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside 0...\(size)")
        return 0
    }
    for writer in [JSONWriter.compact, .pretty, JSONWriter(indent: 0, asciiOnly: true), JSONWriter(indent: 2, colors: .jq)] {
        let text = writer.string(value)
        if writer.colors != nil { continue }
        let back: JSON
        do {
            back = try JSONParser.parse(text)
        } catch {
            preconditionFailure("written text does not parse: \(error) in \(text)")
        }
        check(back == value, "round trip changed the value: \(text)")
        check(writer.string(back) == text, "second write differs: \(text)")
    }
    // The streaming entry point gives the same value.
    let streamed = try? JSONParser.parse(buffer: bytes, interval: 1) { offset in
        check(offset > 0 && offset <= size)
    }
    check(streamed == value, "streaming parse differs")
    return 0
}

runFuzzer { fuzzJSON($0, $1) }
