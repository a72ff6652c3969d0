import Foundation
import Testing
import TestSupport

@testable import ATSREPL

#if canImport(Glibc)
import Glibc
#endif

@Test("the default path follows XDG_STATE_HOME, then HOME")
func defaultPath() {
    #expect(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/ats/history")
    #expect(HistoryFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/ats/history")
    #expect(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/ats/history")
    #expect(HistoryFile.defaultPath(environment: [:]) == nil)
}

@Test(
    "records round-trip through the one-line encoding",
    arguments: ["tasks | count", "for t in 1..3 {\n    echo $t\n}", "echo \"a\\nb\" \\\\ end\\", "echo café ☕", "x\r\ny"])
func encoding(statement: String) {
    let encoded = HistoryFile.encode(statement)
    #expect(!encoded.contains("\n"))
    #expect(HistoryFile.decode(Substring(encoded)) == statement)
}

@Test("appends survive, multi-line statements come back whole, the directory is created")
func appendAndLoad() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("state/ats/history")
    let file = HistoryFile(path: path)
    #expect(file.load().isEmpty)
    #expect(file.append("tasks | count"))
    #expect(file.append("for t in 1..3 {\n    echo $t\n}"))
    #expect(file.append("echo café"))
    #expect(HistoryFile(path: path).load() == ["tasks | count", "for t in 1..3 {\n    echo $t\n}", "echo café"])
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.split(separator: "\n").count == 3)
    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_mode & 0o077 == 0)
}

@Test("the file is trimmed to the newest entries by an atomic rewrite")
func trimming() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("history")
    let writer = HistoryFile(path: path, limit: 1_000_000)
    for i in 1...250 { writer.append("echo \(i)") }
    let small = HistoryFile(path: path, limit: 100)
    let loaded = small.load()
    #expect(loaded.count == 100)
    #expect(loaded.first == "echo 151")
    #expect(loaded.last == "echo 250")
    #expect(HistoryFile(path: path, limit: 1_000_000).load().count == 100)
    #expect(!FileManager.default.fileExists(atPath: path + ".tmp.\(getpid())"))
}

@Test("concurrent sessions append without losing or tearing records")
func concurrentAppends() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("history")
    await withTaskGroup(of: Void.self) { group in
        for session in 0..<4 {
            group.addTask {
                let file = HistoryFile(path: path, limit: 150)
                for i in 0..<50 { file.append("echo session\(session) line\(i) " + String(repeating: "x", count: 200)) }
            }
        }
    }
    let entries = HistoryFile(path: path, limit: 1_000).load()
    #expect(entries.count >= 150 && entries.count <= 200)
    #expect(entries.allSatisfy { $0.hasPrefix("echo session") && $0.hasSuffix(String(repeating: "x", count: 200)) })
}

@Test(
    "statements that carry a secret are never recorded",
    arguments: [
        "connect https://ao:22015 --user system --ask-password",
        "let p = secret(\"manager\")",
        "connect sim --password-env ATS_PASSWORD",
        "env ATS_PASSWORD=manager",
        "api GET /user --header \"Authorization: Basic c3lzdGVtOm1hbmFnZXI=\"",
        "let h = \"HSSO abc\"",
        " tasks",
        // A marker or the leading space followed by a combining mark (U+0301): one Swift
        // Character, which hid the marker from a Character-based search.
        "api GET \"/objects/Tasks?token=\u{301}abc\"",
        " \u{301}tasks",
    ])
func secretsNotRecorded(statement: String) {
    #expect(!HistoryPolicy.mayRecord(statement))
}

@Test("ordinary statements are recorded", arguments: ["tasks | count", "stop 5381 --force", "echo café"])
func ordinaryRecorded(statement: String) {
    #expect(HistoryPolicy.mayRecord(statement))
}
