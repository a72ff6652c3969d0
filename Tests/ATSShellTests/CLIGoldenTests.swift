import Foundation
import Testing
import TestSupport

// In-process golden tests of the command line, in the manner of gojq's `cli/test.yaml`.
//
// Each `CLIGolden/GROUP/NAME.case` file gives the arguments, the environment, standard input
// and any files of one run of `ats`, and the standard output, standard error and exit code
// it must give. The run goes through `ShellCLI.run` in a `SimulatedWorld`: memory streams, the
// in-memory simulator (`connect sim`, `--sim`), and one manual clock shared by the simulator,
// `now()`, `sleep` and `wait`, so `wait --timeout 10m` takes milliseconds and every output is
// the same on every run. Files are written to, and relative paths resolve in, a fresh
// directory per case; `HOME` is that directory unless the case sets it. The directory's path
// is written `$CASE_DIR` in the expected output.
//
// A case file is a comment (the lines before the first section), then sections, each a line
// `--- NAME` followed by its lines (each ends in a newline):
//
//     --- args            one argument per line
//     --- env             KEY=VALUE per line
//     --- stdin           the text of standard input
//     --- file NAME       a file in the case's directory (any number of these);
//                         `--- file NAME mode=600` gives its permission bits
//     --- command TEXT    what the user's command TEXT prints (a profile's password_command);
//                         any other command exits 127
//     --- stdout          the expected standard output
//     --- stderr          the expected standard error
//     --- exit            the expected exit code
//
// `--- stdout (no final newline)` (or stderr) marks text whose last line has no newline.
//
// `ATS_UPDATE_GOLDEN=1 swift test --filter CLIGolden` rewrites the stdout, stderr and exit
// sections of every case with what ats gives now (review them with `git diff`). The cookbook
// and the normative examples of SHELL.md §1.8 live in `cookbook/` and `normative/`;
// `cookbookExamplesAreCases` keeps docs/cookbook.md and its cases the same. `language/` holds
// the language's scripts that call the API (the language's own tests have no API commands).

/// One case file.
struct CLIGoldenCase: Sendable {
    /// A section of the file: its header and its text.
    struct Section: Sendable {
        var name: String
        var argument: String
        var text: String
        var finalNewline: Bool
    }

    var comment: [String]
    var sections: [Section]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CLIGolden")
    static let noFinalNewline = " (no final newline)"
    static let expectationSections: Set<String> = ["stdout", "stderr", "exit"]

    /// The cases, as paths relative to the folder (`cookbook/stuck-tasks.case`), sorted.
    static var all: [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var names: [String] = []
        while let name = enumerator?.nextObject() as? String {
            if name.hasSuffix(".case") { names.append(name) }
        }
        return names.sorted()
    }

    init(comment: [String], sections: [Section]) {
        self.comment = comment
        self.sections = sections
    }

    /// Parses the text of a case file.
    init(parsing text: String) {
        var comment: [String] = []
        var sections: [Section] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            if line.hasPrefix("--- ") {
                var header = String(line.dropFirst(4))
                var finalNewline = true
                if header.hasSuffix(Self.noFinalNewline) {
                    header = String(header.dropLast(Self.noFinalNewline.count))
                    finalNewline = false
                }
                let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
                sections.append(Section(name: parts.first ?? "", argument: parts.count > 1 ? parts[1] : "", text: "", finalNewline: finalNewline))
            } else if sections.isEmpty {
                comment.append(line)
            } else {
                sections[sections.count - 1].text += line + "\n"
            }
        }
        for i in sections.indices where !sections[i].finalNewline && sections[i].text.hasSuffix("\n") {
            sections[i].text.removeLast()
        }
        self.comment = comment
        self.sections = sections
    }

    /// The text of the file.
    var text: String {
        var out = comment.map { $0 + "\n" }.joined()
        for s in sections {
            let open = !s.text.isEmpty && !s.text.hasSuffix("\n")
            out += "--- " + s.name + (s.argument.isEmpty ? "" : " " + s.argument) + (open ? Self.noFinalNewline : "") + "\n"
            out += s.text + (open ? "\n" : "")
        }
        return out
    }

    func section(_ name: String) -> Section? { sections.first { $0.name == name } }
    func lines(_ name: String) -> [String] {
        (section(name)?.text ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    var arguments: [String] {
        (section("args")?.text ?? "").split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
    var environment: [String: String] {
        var env: [String: String] = [:]
        for line in lines("env") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            env[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return env
    }
    /// The files to write: name, text and permission bits (`mode=600`; nil keeps the umask's).
    var files: [(name: String, text: String, mode: Int?)] {
        sections.filter { $0.name == "file" }.map { section in
            let words = section.argument.split(separator: " ").map(String.init)
            if let last = words.last, last.hasPrefix("mode="), let mode = Int(last.dropFirst(5), radix: 8) {
                return (words.dropLast().joined(separator: " "), section.text, mode)
            }
            return (section.argument, section.text, nil)
        }
    }
    /// What each of the user's commands prints.
    var commands: [String: String] {
        Dictionary(sections.filter { $0.name == "command" }.map { ($0.argument, $0.text) }) { first, _ in first }
    }

    /// What a run gave.
    struct Result: Equatable, CustomStringConvertible {
        var stdout: String
        var stderr: String
        var exitCode: Int32
        var description: String { "exit \(exitCode)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Runs the case in a fresh directory and simulated world.
    func run() async throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for file in files {
            let path = try directory.write(file.name, file.text)
            if let mode = file.mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path) }
        }
        var environment = self.environment
        if environment["HOME"] == nil { environment["HOME"] = directory.url.path }
        let world = SimulatedWorld(
            stdin: section("stdin")?.text ?? "", environment: environment, workingDirectory: directory.url.path,
            commands: commands)
        let code = await world.run(arguments)
        func masked(_ text: String) -> String { text.replacingOccurrences(of: directory.url.path, with: "$CASE_DIR") }
        return Result(stdout: masked(world.stdout.text), stderr: masked(world.stderr.text), exitCode: code)
    }

    var expected: Result {
        Result(
            stdout: section("stdout")?.text ?? "", stderr: section("stderr")?.text ?? "",
            exitCode: Int32(lines("exit").first ?? "") ?? -1)
    }

    /// This case with its expectations replaced by `result`.
    func updated(_ result: Result) -> CLIGoldenCase {
        var kept = sections.filter { !Self.expectationSections.contains($0.name) }
        kept.append(Section(name: "stdout", argument: "", text: result.stdout, finalNewline: true))
        kept.append(Section(name: "stderr", argument: "", text: result.stderr, finalNewline: true))
        kept.append(Section(name: "exit", argument: "", text: "\(result.exitCode)\n", finalNewline: true))
        return CLIGoldenCase(comment: comment, sections: kept)
    }
}

@Suite struct CLIGoldenTests {
    @Test func thereAreCases() {
        #expect(CLIGoldenCase.all.count >= 10)
    }

    @Test(arguments: CLIGoldenCase.all)
    func cliGolden(_ name: String) async throws {
        let file = CLIGoldenCase.folder.appendingPathComponent(name)
        let golden = CLIGoldenCase(parsing: try String(contentsOf: file, encoding: .utf8))
        #expect(golden.section("args") != nil, "\(name) has no --- args section")
        let result = try await golden.run()
        if ProcessInfo.processInfo.environment["ATS_UPDATE_GOLDEN"] == "1" {
            try golden.updated(result).text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(golden.section("exit") != nil, "\(name) has no --- exit section")
        #expect(result.stdout == golden.expected.stdout, "\(name): standard output\n\(result)")
        #expect(result.stderr == golden.expected.stderr, "\(name): standard error\n\(result)")
        #expect(result.exitCode == golden.expected.exitCode, "\(name): exit code\n\(result)")
    }

    /// Every ```ats block of docs/cookbook.md is the script of a case under `cookbook/`, in
    /// the order of the cookbook, and every such case is a block of the cookbook.
    @Test func cookbookExamplesAreCases() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/cookbook.md"), encoding: .utf8)
        let examples = fences(in: text).filter { $0.info == "ats" }.map(\.body)
        let scripts = try CLIGoldenCase.all.filter { $0.hasPrefix("cookbook/") }.map { name in
            let golden = CLIGoldenCase(parsing: try String(contentsOf: CLIGoldenCase.folder.appendingPathComponent(name), encoding: .utf8))
            return golden.files.first?.text ?? ""
        }
        #expect(examples.count >= 5)
        #expect(Set(examples) == Set(scripts), "docs/cookbook.md and CLIGolden/cookbook/ differ")
        #expect(examples.count == scripts.count, "one case per cookbook example")
    }

    /// The parser and printer of case files are inverse (so the update mode keeps a file's
    /// comment, arguments and files as they were).
    @Test func caseFilesRoundTrip() throws {
        for name in CLIGoldenCase.all {
            let text = try String(contentsOf: CLIGoldenCase.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(CLIGoldenCase(parsing: text).text == text, "\(name)")
        }
    }
}
