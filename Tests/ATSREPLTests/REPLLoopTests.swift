import ATSLanguage
import ATSShell
import Foundation
import Testing
import TestSupport

@testable import ATSREPL

/// A test world with files under `directory` (a fresh temporary one when nil) and
/// `environment`; its clock and host name are fixed.
private func testWorld(_ directory: TemporaryDirectory? = nil, environment: [String: String] = [:]) -> World {
    SimulatedWorld(environment: environment, workingDirectory: directory?.url.path ?? "/nonexistent").world
}

/// Runs the loop over `input` on a bare-interpreter backend.
private func runLoop(
    _ input: String, history: HistoryFile? = nil, in directory: TemporaryDirectory? = nil
) -> (code: Int32, output: String, loop: REPLLoop) {
    let backend = InterpreterBackend()
    let loop = REPLLoop(
        backend: backend, reader: PlainLineReader(text: input), historyFile: history,
        console: CollectingConsole(sink: backend.sink), world: testWorld(directory))
    loop.loadHistory()
    let code = loop.run()
    return (code, backend.sink.output, loop)
}

@Test("a multi-line block is joined and run as one statement")
func multiLineBlock() {
    let result = runLoop("for i in 1..3 {\n  echo \"item $i\"\n}\necho \"after\"\n")
    #expect(result.code == 0)
    #expect(result.output.contains("item 1\nitem 2\nitem 3\nafter\n"))
    #expect(result.loop.history == ["for i in 1..3 {\n  echo \"item $i\"\n}", "echo \"after\""])
}

@Test("an error in a multi-line statement points into that statement")
func errorLocation() {
    let result = runLoop("echo \"one\"\nfor i in 1..2 {\n  echo $i\n  assert false \"boom\"\n}\n")
    #expect(result.code == 0)
    #expect(result.output.contains("at <repl:2>:3:3"))
}

@Test("the session goes on after a failure; exit N leaves with N")
func failureAndExit() {
    let result = runLoop("assert false \"first\"\nlet x = 41\necho \"$($x + 1)\"\nexit 4\necho \"not reached\"\n")
    #expect(result.code == 4)
    #expect(result.output.contains("42\n"))
    #expect(!result.output.contains("not reached"))
}

@Test(":save writes the successful statements, without secrets, under a header with the world's host and time")
func save() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let result = runLoop(
        "let n = 2\nassert false \"no\"\nlet p = secret(\"hunter2\")\nfor i in 1..$n {\n  echo $i\n}\n:save session.ats\n:quit\n",
        in: directory)
    #expect(result.code == 0)
    let script = try String(contentsOfFile: directory.path("session.ats"), encoding: .utf8)
    #expect(script == """
        #!/usr/bin/env ats
        # Recorded by the ats REPL (ats (not connected)) on testhost at 2015-08-07T10:00:00.000+09:00.
        # 2 successful statements; statements holding secrets are left out.

        let n = 2
        for i in 1..$n {
          echo $i
        }

        """)
    #expect(result.output.contains("saved 2 statements to session.ats\n"))
    #expect(runLoop("let x = 1\n:save one.ats\n", in: directory).output.contains("saved 1 statement to one.ats\n"))
}

@Test(":save replaces a file at once: a reader of the old file still reads it whole, its mode stays, nothing is left beside it")
func saveReplacesAtOnce() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path("session.ats")
    try "echo \"old\"\n".write(toFile: path, atomically: false, encoding: .utf8)
    #expect(chmod(path, 0o750) == 0)
    // An in-place rewrite would truncate what this descriptor reads; a rename leaves it alone.
    let reader = try #require(FileHandle(forReadingAtPath: path))
    defer { try? reader.close() }
    #expect(runLoop("let n = 3\n:save session.ats\n", in: directory).output.contains("saved 1 statement to session.ats\n"))
    #expect(String(decoding: reader.readDataToEndOfFile(), as: UTF8.self) == "echo \"old\"\n")
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("\nlet n = 3\n"))
    #expect(LocalFileSystem().permissions(path) == 0o750)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["session.ats"])
}

@Test("a replace that cannot rename (the name is a directory) says why and leaves no temporary file")
func replaceOntoADirectory() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try FileManager.default.createDirectory(atPath: directory.path("taken"), withIntermediateDirectories: false)
    let files = LocalFileSystem(workingDirectory: directory.url.path)
    #expect(throws: FileError(path: "taken", reason: "Is a directory")) {
        try files.replace("taken", Array("x".utf8))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["taken"])
}

@Test(":save to a file that cannot be written says why; the session goes on")
func saveFails() {
    let result = runLoop(":save /nonexistent/dir/s.ats\necho \"after\"\n")
    #expect(result.code == 0)
    #expect(result.output.contains("error: could not write /nonexistent/dir/s.ats: No such file or directory\n"))
    #expect(result.output.hasSuffix("after\n"))
}

@Test("the history file gets every statement but the secret ones; :history lists them")
func historyFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let history = HistoryFile(path: directory.path("ats/history"))
    history.append("echo \"from before\"")
    let result = runLoop(
        "echo \"café\"\nlet p = secret(\"hunter2\")\nfor i in 1..2 {\necho $i\n}\n:history\n", history: history)
    #expect(result.code == 0)
    #expect(history.load() == ["echo \"from before\"", "echo \"café\"", "for i in 1..2 {\necho $i\n}"])
    #expect(result.output.contains("     1  echo \"from before\"\n     2  echo \"café\"\n     3  for i in 1..2 {\n"))
    #expect(!result.output.contains("hunter2\n") || !result.output.contains("secret(\"hunter2\")"))
}

@Test("unknown meta commands are reported; the session goes on")
func unknownMeta() {
    let result = runLoop(":frobnicate\necho \"ok\"\n")
    #expect(result.output.contains("error: unknown meta command :frobnicate"))
    #expect(result.output.contains("ok\n"))
}

@Test("the backend's classification drives continuation: an unterminated string waits for its end")
func unterminatedString() {
    let result = runLoop("echo \"two\nlines\"\n")
    #expect(result.output.contains("two\nlines\n"))
}

@Test(":edit runs what the editor saved, and shows it; its file, in $TMPDIR, is removed")
func edit() throws {
    let backend = InterpreterBackend()
    let editor = "printf 'for i in 1..2 {\\n  echo \"edited $i\"\\n}\\n' >"
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let loop = REPLLoop(
        backend: backend, reader: PlainLineReader(text: ":edit\n"), historyFile: nil,
        console: CollectingConsole(sink: backend.sink),
        world: testWorld(environment: ["EDITOR": editor, "TMPDIR": directory.url.path]))
    #expect(loop.run() == 0)
    #expect(backend.sink.output == "for i in 1..2 {\n  echo \"edited $i\"\n}\nedited 1\nedited 2\n")
    #expect(loop.history == ["for i in 1..2 {\n  echo \"edited $i\"\n}"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty, "the edit file is removed")
}

@Test(":edit with an editor that fails runs nothing")
func editFails() {
    let backend = InterpreterBackend()
    let loop = REPLLoop(
        backend: backend, reader: PlainLineReader(text: ":edit echo \"x\"\n"), historyFile: nil,
        console: CollectingConsole(sink: backend.sink), world: testWorld(environment: ["EDITOR": "false"]))
    #expect(loop.run() == 0)
    #expect(backend.sink.output.contains("error: the editor false exited with status 1; nothing was run"))
    #expect(loop.history.isEmpty)
}

@Test(":save writes how the session was connected first, so the script runs on its own")
func saveWritesTheConnection() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.path("saved.ats")
    var options = GlobalOptions()
    options.sim = true
    let session = ShellSession(options: options, world: SimulatedWorld(workingDirectory: directory.url.path).world, isInteractive: false)
    #expect(session.connectAtStart() == nil)
    let loop = REPLLoop(
        backend: session, reader: PlainLineReader(text: "let t = task 5381\n:save \(file)\n:quit\n"), historyFile: nil,
        console: CollectingConsole(sink: CollectingSink()), world: session.world)
    #expect(loop.run() == 0)
    session.close()
    let script = try String(contentsOfFile: file, encoding: .utf8)
    #expect(script.hasSuffix("\nconnect sim\nlet t = task 5381\n"), "\(script)")
    let rerun = ShellSession(world: SimulatedWorld(workingDirectory: directory.url.path).world, isInteractive: false)
    defer { rerun.close() }
    let outcome = rerun.run(Source(name: file, text: script))
    guard case .finished = outcome else {
        Issue.record("the saved script runs: \(outcome)")
        return
    }
}
