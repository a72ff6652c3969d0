import ATSJSON
import Foundation
import Testing
import TestSupport

/// What reaches a pipe, a file and a terminal.
@Suite struct OutputTests {
    @Test func pipedTasksAreJSONForJq() throws {
        let result = try runATS(["--sim", "-c", "tasks"])
        #expect(result.exitCode == 0, "\(result)")
        let json = try JSONParser.parse(result.stdout)
        let items = try #require(json.arrayValue)
        #expect(!items.isEmpty)
        #expect(items.allSatisfy { $0["instanceID"]?.intValue != nil && $0["status"]?.stringValue != nil })
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/jq"), "needs /usr/bin/jq"))
    func jqReadsThePipe() throws {
        let shell = URL(fileURLWithPath: "/bin/sh")
        let result = try runProcess(shell, ["-c", "\"$ATS\" --sim -c 'tasks' | /usr/bin/jq -r '.[0].instanceID'"],
                                    environment: ["ATS": BuiltProducts.ats.path])
        #expect(result.exitCode == 0, "\(result)")
        #expect(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) != nil, "\(result)")
    }

    @Test func tableIntoAFileHasNoColour() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.path("tasks.txt")
        let shell = URL(fileURLWithPath: "/bin/sh")
        let result = try runProcess(shell, ["-c", "\"$ATS\" --sim --output table -c 'tasks --limit 5' > \"$OUT\""],
                                    environment: ["ATS": BuiltProducts.ats.path, "OUT": out])
        #expect(result.exitCode == 0, "\(result)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!text.isEmpty)
        #expect(!text.contains("\u{1B}["))
        #expect(text.contains("instanceID"))
    }

    @Test(arguments: ["json", "jsonl", "csv", "raw", "table", "pretty"])
    func everyFormatPrints(_ format: String) throws {
        let result = try runATS(["--sim", "--output", format, "-c", "tasks --limit 3"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(!result.stdout.isEmpty)
        switch format {
        case "json": #expect(try JSONParser.parse(result.stdout).arrayValue?.count == 3)
        case "jsonl":
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == 3)
            for line in lines { #expect(try JSONParser.parse(String(line)).objectValue != nil) }
        case "csv":
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == 4)
            #expect(lines.first?.contains("instanceID") == true)
        default: break
        }
    }

    @Test func formatSwitchAndOutputOption() throws {
        let result = try runATS(["--sim", "-c", "format jsonl\ntasks --limit 2\ntasks --limit 1 --output json"])
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count >= 3, "\(result)")
        #expect(try JSONParser.parse(lines[0]).objectValue != nil)
        #expect(try JSONParser.parse(lines[1]).objectValue != nil)
    }

    @Test func terminalShowsATable() throws {
        let result = try runATS(["--sim", "-c", "tasks --limit 3"], environment: ["ATS_FORCE_TTY": "1", "NO_COLOR": "1"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("instanceID"), "\(result)")
        #expect(!result.stdout.hasPrefix("["), "a table, not JSON: \(result)")
        #expect(!result.stdout.contains("\u{1B}["), "NO_COLOR is obeyed: \(result)")
    }

    @Test func nullPrintsNothing() throws {
        let result = try runATS(["--sim", "-c", "null\nlet x = tasks"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }
}
