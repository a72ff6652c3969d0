import Foundation
import TestSupport
import Testing

// End-to-end: the real `ats` binary in a real terminal (tmux), with HOME and XDG_STATE_HOME in
// a temporary directory. Each test polls the screen until the expected text appears.

/// Starts `ats` (no arguments: the REPL) and waits for its first prompt.
private func startREPL(_ extra: [String] = [], directory: String? = nil) throws -> TmuxSession {
    let binary = try #require(TmuxSession.atsBinary)
    let session = try TmuxSession([binary] + extra, environment: ["NO_COLOR": "1"], directory: directory)
    try session.waitFor("ats (not connected)>")
    return session
}

/// The number of prompts on the screen.
private func prompts(_ screen: String) -> Int {
    screen.components(separatedBy: "ats (not connected)>").count - 1
}

@Suite(
    "REPL in a terminal", .enabled(if: TmuxSession.isAvailable, "needs tmux"),
    .enabled(if: runsIsolatedSuites, "runs in a process of its own: parallel suites slow the terminal down"),
    .serialized)
struct REPLTerminalTests {
    @Test("a statement and its output, then Up recalls it")
    func statementAndRecall() throws {
        let session = try startREPL()
        defer { session.close() }
        try session.type("echo \"hello from ats\"")
        try session.press("Enter")
        try session.waitFor("\nhello from ats")
        try session.waitFor("ats (not connected)>", count: 2)
        try session.press("Up")
        try session.waitUntil("the recalled statement") { $0.hasSuffix("ats (not connected)> echo \"hello from ats\"") }
        try session.press("Enter")
        try session.waitFor("hello from ats", count: 3)
    }

    @Test("Tab completes a unique prefix and lists an ambiguous one")
    func tabCompletion() throws {
        let session = try startREPL()
        defer { session.close() }
        try session.type("disc")
        try session.press("Tab")
        try session.waitUntil("disconnect completed") { $0.hasSuffix("> disconnect") }
        try session.press("C-c")
        try session.waitFor("ats (not connected)>", count: 2)
        try session.type("tem")
        try session.press("Tab")
        try session.waitUntil("the common prefix") { $0.hasSuffix("> template") }
        try session.press("Tab")
        try session.waitUntil("both candidates listed") { $0.contains("templates") }
        try session.press("C-u")
        try session.type("tasks --stat")
        try session.press("Tab")
        try session.waitUntil("option completed") { $0.hasSuffix("> tasks --status") }
        try session.type("waitingR")
        try session.press("Tab")
        try session.waitUntil("status completed") { $0.hasSuffix("> tasks --status waitingResponse") }
    }

    @Test("a multi-line for block continues on …> and runs as one statement")
    func multiLine() throws {
        let session = try startREPL()
        defer { session.close() }
        try session.type("for i in 1..3 {")
        try session.press("Enter")
        try session.waitFor("…>")
        try session.type("echo \"item $i\"")
        try session.press("Enter")
        try session.type("}")
        try session.press("Enter")
        let screen = try session.waitFor("item 3")
        #expect(screen.contains("item 1\nitem 2\nitem 3"))
        try session.waitFor("ats (not connected)>", count: 2)
    }

    @Test("Ctrl-C stops sleep 30s and the session stays; Ctrl-C clears a half-typed line")
    func interruption() throws {
        let session = try startREPL()
        defer { session.close() }
        // The statement says when it runs, so Ctrl-C comes while the interpreter has it.
        try session.type("echo started; sleep 30s")
        try session.press("Enter")
        try session.waitUntil("the statement to start") { $0.split(separator: "\n").contains("started") }
        try session.press("C-c")
        try session.waitFor("interrupted", timeout: .seconds(5))
        try session.waitFor("ats (not connected)>", count: 2, timeout: .seconds(5))
        try session.type("echo half")
        try session.press("C-c")
        try session.waitFor("ats (not connected)>", count: 3)
        try session.type("echo \"still here\"")
        try session.press("Enter")
        let screen = try session.waitFor("\nstill here")
        #expect(!screen.contains("\nhalf"))
    }

    @Test("Ctrl-D on an empty line leaves with exit 0")
    func controlD() throws {
        let session = try startREPL()
        defer { session.close() }
        try session.press("C-d")
        try session.waitFor("[exit 0]")
    }

    @Test("non-ASCII input is kept intact, and the history file is written")
    func nonASCIIAndHistory() throws {
        let session = try startREPL()
        defer { session.close() }
        try session.type("echo \"café ☕\"")
        try session.press("Enter")
        try session.waitFor("\ncafé ☕")
        try session.type("for i in 1..2 {")
        try session.press("Enter")
        try session.type("echo $i")
        try session.press("Enter")
        try session.type("}")
        try session.press("Enter")
        try session.waitFor("ats (not connected)>", count: 3)
        try session.type("let p = secret(\"hunter2\")")
        try session.press("Enter")
        try session.waitFor("ats (not connected)>", count: 4)
        try session.type(":quit")
        try session.press("Enter")
        try session.waitFor("[exit 0]")
        let history = try String(contentsOfFile: session.home + "/state/ats/history", encoding: .utf8)
        #expect(history == "echo \"café ☕\"\nfor i in 1..2 {\\necho $i\\n}\n")
    }

    @Test("Ctrl-R finds an earlier statement")
    func reverseSearch() throws {
        let session = try startREPL()
        defer { session.close() }
        try session.type("echo \"alpha-1\"")
        try session.press("Enter")
        try session.type("echo \"beta-2\"")
        try session.press("Enter")
        try session.waitFor("ats (not connected)>", count: 3)
        try session.press("C-r")
        try session.type("alpha")
        try session.press("Enter")
        try session.waitFor("alpha-1", count: 3)
    }
}

@Suite("ats with standard input not a terminal")
struct REPLPipeTests {
    /// Runs `ats` with `input` on standard input; returns its standard output and error
    /// together, and its exit status.
    private func run(_ input: String) throws -> (output: String, status: Int32) {
        let result = try runATS([], stdin: input, environment: ["NO_COLOR": "1"], timeout: 30)
        #expect(!result.timedOut, "\(result)")
        return (result.stdout + result.stderr, result.exitCode)
    }

    @Test("statements from a pipe run without prompts")
    func pipedStatements() throws {
        let result = try run("echo \"one\"\nfor i in 1..2 {\n  echo \"n$i\"\n}\n")
        #expect(result.output == "one\nn1\nn2\n")
        #expect(result.status == 0)
    }

    @Test("a failed statement stops the run with exit 1")
    func failureStops() throws {
        let result = try run("echo \"before\"\nassert false \"boom\"\necho \"after\"\n")
        #expect(result.output.contains("before"))
        #expect(!result.output.contains("after"))
        #expect(result.status == 1)
    }

    @Test("exit N gives N")
    func exitCode() throws {
        let result = try run("exit 7\n")
        #expect(result.status == 7)
    }
}
