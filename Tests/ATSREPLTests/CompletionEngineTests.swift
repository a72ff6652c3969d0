import ATSLanguage
import Foundation
import Testing

@testable import ATSREPL

/// Signatures shaped like the shell's: what completion reads from them is what it offers.
private let signatures: [CommandSignature] = [
    CommandSignature(
        "tasks", summary: "list tasks",
        options: [
            OptionSpec("status", .value(name: "S"), help: "statuses", completion: .statuses),
            OptionSpec("service", .value(name: "NAME"), help: "service", completion: .services),
            OptionSpec("sort", .value(name: "FIELD"), help: "sort field", completion: .choices(["name", "submitTime"])),
            OptionSpec("all", help: "every page"),
            OptionSpec("output", .value(name: "FORMAT"), help: "format", completion: .formats),
        ]),
    CommandSignature(
        "task", summary: "one task", parameters: [ParameterSpec("id", help: "task id", completion: .taskIDs)]),
    CommandSignature(
        "stop", summary: "stop tasks", parameters: [ParameterSpec("id", .variadic, help: "ids", completion: .taskIDs)],
        options: [OptionSpec("force", help: "force stop")]),
    CommandSignature(
        "submit", summary: "submit a service",
        parameters: [ParameterSpec("service", help: "service", completion: .services)],
        options: [OptionSpec("param", .repeated(name: "k=v"), help: "parameter")]),
    CommandSignature("service", summary: "one service", parameters: [ParameterSpec("id", help: "service")]),
    CommandSignature(
        "service release", summary: "release", parameters: [ParameterSpec("id", help: "service")],
        options: [OptionSpec("yes", help: "no confirmation")]),
    CommandSignature("template import", summary: "import", parameters: [ParameterSpec("file", help: "file")]),
    CommandSignature("template", summary: "one template", parameters: [ParameterSpec("id", help: "id")]),
    CommandSignature("templates", summary: "templates"),
    CommandSignature("sleep", summary: "sleep", parameters: [ParameterSpec("duration", help: "how long")]),
    CommandSignature(
        "wait", summary: "wait",
        parameters: [ParameterSpec("id", help: "task id", completion: .taskIDs)],
        options: [
            OptionSpec("until", .value(name: "STATUS"), help: "statuses", completion: .statuses),
            OptionSpec("timeout", .value(name: "DUR"), help: "timeout"),
        ]),
]

private let statuses = ["inProgress", "waitingResponse", "failed", "completed", "canceled", "inProgressWithError"]

private func context(directory: String = "/") -> CompletionContext {
    CompletionContext(
        commands: signatures, variableNames: ["stale", "status", "tasks"], statusNames: statuses,
        serviceNames: { ["Backup Database", "Restart Server", "Rotate Logs"] }, taskIDs: [5381, 5382, 6001],
        files: LocalFileSystem(workingDirectory: directory), metaCommands: REPLLoop.metaCommands)
}

private func complete(_ text: String, directory: String = "/") -> [String] {
    CompletionEngine.complete(text, context: context(directory: directory)).candidates
}

@Test("command names: unique and ambiguous prefixes")
func commandNames() {
    #expect(complete("sub") == ["submit"])
    #expect(complete("task") == ["task", "tasks"])
    #expect(complete("temp") == ["template", "templates"])
    #expect(complete("wh") == ["while"])
    #expect(complete("let x = 1; sto") == ["stop"])
    #expect(complete("tasks | sto").isEmpty == false)
}

@Test("options of the command being typed")
func options() {
    #expect(complete("tasks --st") == ["--status"])
    #expect(complete("tasks --s") == ["--service", "--sort", "--status"])
    #expect(complete("stop 5381 --f") == ["--force"])
    #expect(complete("service release 3 --") == ["--yes"])
    #expect(complete("for t in (tasks --a") == ["--all"])
}

@Test("status names after --status, also in a comma list and with =")
func statusNames() {
    #expect(complete("tasks --status fa") == ["failed"])
    #expect(complete("tasks --status inP") == ["inProgress", "inProgressWithError"])
    #expect(complete("tasks --status failed,comp") == ["failed,completed"])
    #expect(complete("tasks --status=wait") == ["--status=waitingResponse"])
    #expect(complete("wait 5381 --until c") == ["canceled", "completed"])
}

@Test("variables after $, not member paths")
func variables() {
    #expect(complete("echo $sta") == ["$stale", "$status"])
    #expect(complete("for t in $ta") == ["$tasks"])
    #expect(complete("echo $e") == ["$env"])
    #expect(complete("echo $t.na").isEmpty)
}

@Test("service names after submit, quoted when they hold spaces")
func services() {
    #expect(complete("submit ") == ["\"Backup Database\"", "\"Restart Server\"", "\"Rotate Logs\""])
    #expect(complete("submit \"R") == ["\"Restart Server\"", "\"Rotate Logs\""])
    #expect(complete("submit \"Backup D") == ["\"Backup Database\""])
    #expect(complete("tasks --service \"Ro") == ["\"Rotate Logs\""])
    #expect(complete("submit Re") == ["\"Restart Server\""])
    #expect(complete("tasks --service=Ba") == ["--service=\"Backup Database\""])
}

@Test("task ids of the last listing after task-taking commands")
func taskIDs() {
    #expect(complete("task 53") == ["5381", "5382"])
    #expect(complete("stop 5381 60") == ["6001"])
    #expect(complete("wait 6") == ["6001"])
    #expect(complete("sleep 5").isEmpty)
}

@Test("option values from choices and formats")
func choicesAndFormats() {
    #expect(complete("tasks --sort sub") == ["submitTime"])
    #expect(complete("tasks --output js") == ["json", "jsonl"])
    #expect(complete("tasks --all ").isEmpty)
}

@Test("the formats offered are the shell's output formats")
func formatsAreTheShellsFormats() {
    #expect(complete("tasks --output p") == ["pretty"])
    #expect(complete("tasks --output r") == ["raw"])
    #expect(complete("tasks --output l").isEmpty)
    #expect(complete("tasks --output y").isEmpty)
}

@Test("meta commands at the start of the line")
func metaCommands() {
    #expect(complete(":h") == [":help", ":history"])
    #expect(complete(":q") == [":quit"])
}

@Test("file paths after source, record, template import and :save")
func files() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ats-complete-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory + "/scripts", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for name in ["cleanup.ats", "check.ats", ".hidden.ats", "scripts/nightly.ats", "with space.ats"] {
        _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data())
    }
    #expect(complete("source c", directory: directory) == ["check.ats", "cleanup.ats"])
    #expect(complete("source scr", directory: directory) == ["scripts/"])
    #expect(complete("source scripts/", directory: directory) == ["scripts/nightly.ats"])
    #expect(complete("template import cl", directory: directory) == ["cleanup.ats"])
    #expect(complete("source .h", directory: directory) == [".hidden.ats"])
    #expect(complete("source w", directory: directory) == ["\"with space.ats\""])
    #expect(complete(":save ch", directory: directory) == ["check.ats"])
    #expect(complete("source " + directory + "/cl") == [directory + "/cleanup.ats"])
    var home = context()
    home.home = directory
    #expect(CompletionEngine.complete("source ~/scripts/n", context: home).candidates == ["~/scripts/nightly.ats"])
    #expect(complete("source nowhere/x", directory: directory).isEmpty)
}

@Test("the replaced word starts where the engine says, in UTF-8 bytes")
func wordStart() {
    let completion = CompletionEngine.complete("echo \"café\"; tasks --st", context: context())
    #expect(completion.candidates == ["--status"])
    #expect(completion.wordStart == "echo \"café\"; tasks ".utf8.count)
    #expect(completion.appendsSpace)
}

@Test("the common prefix of ambiguous candidates, and when a space follows")
func commonPrefix() {
    let ambiguous = CompletionEngine.complete("tasks --status inP", context: context())
    #expect(ambiguous.commonPrefix == "inProgress")
    #expect(!ambiguous.appendsSpace)
    let directory = Completion(wordStart: 0, candidates: ["scripts/"])
    #expect(!directory.appendsSpace)
}

@Test("nothing is completed inside a comment or a string")
func commentsAndStrings() {
    #expect(complete("tasks # sto").isEmpty)
    #expect(complete("echo \"sto").isEmpty)
}

@Test("a cursor inside the line completes the word before it")
func cursorInside() {
    let line = "tasks --st | count"
    let completion = CompletionEngine.complete(line: line, cursor: "tasks --st".utf8.count, context: context())
    #expect(completion.candidates == ["--status"])
    #expect(completion.wordStart == "tasks ".utf8.count)
}
