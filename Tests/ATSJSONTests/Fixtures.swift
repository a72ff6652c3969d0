import ATSJSON
import Foundation

/// The JSON corpus in `Fixtures/corpus`: each `NAME.json` with `NAME.jq` (what `jq .`
/// printed for it) and `NAME.jqc` (what `jq -C .` printed), made with jq 1.6.
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/corpus")

    /// The corpus file names without extension, sorted.
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func bytes(_ name: String, _ ext: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("\(name).\(ext)")))
    }

    static func value(_ name: String) throws -> JSON {
        try JSONParser.parse(try bytes(name, "json"))
    }
}

/// Runs `jq` (if it is installed) on `input` with `arguments`; `nil` when jq is absent.
func runJQ(_ arguments: [String], input: [UInt8]) throws -> [UInt8]? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { "\($0)/jq" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let path else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    stdin.fileHandleForWriting.write(Data(input))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(output)
}

/// The byte offset of the first occurrence of `marker` in `text` (plus `plus`).
func offset(of marker: String, in text: String, plus: Int = 0) -> Int {
    let bytes = Array(text.utf8)
    let needle = Array(marker.utf8)
    for start in 0...(bytes.count - needle.count) where Array(bytes[start..<start + needle.count]) == needle {
        return start + plus
    }
    return -1
}

/// A small deterministic generator (xorshift64*) for property tests.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

/// A random JSON value of at most `depth` levels, with awkward strings and numbers.
func randomJSON(_ rng: inout SeededRandom, depth: Int) -> JSON {
    let pick = Int.random(in: 0..<(depth > 0 ? 9 : 6), using: &rng)
    switch pick {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2:
        let choices = [0, -1, 1, Int.max, Int.min, Int.random(in: -1_000_000...1_000_000, using: &rng)]
        return .int(choices.randomElement(using: &rng)!)
    case 3:
        let choices: [Double] = [0.5, -0.0, 1e-7, 1e300, -2.5e-12, .greatestFiniteMagnitude,
                                 .leastNonzeroMagnitude, Double.random(in: -1e6...1e6, using: &rng)]
        return .double(choices.randomElement(using: &rng)!)
    case 4, 5: return .string(randomString(&rng))
    case 6:
        return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomJSON(&rng, depth: depth - 1) })
    default:
        var object = JSONObject()
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            object[randomString(&rng)] = randomJSON(&rng, depth: depth - 1)
        }
        return .object(object)
    }
}

func randomString(_ rng: inout SeededRandom) -> String {
    let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}",
                                      "\u{7F}", "é", "日", "本", "😀", "\u{2028}", "\u{FFFD}", "\u{10FFFF}"]
    var s = ""
    for _ in 0..<Int.random(in: 0...12, using: &rng) {
        s.unicodeScalars.append(alphabet.randomElement(using: &rng)!)
    }
    return s
}
