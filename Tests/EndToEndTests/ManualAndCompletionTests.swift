import Foundation
import Testing
import TestSupport

/// The completion scripts under completions/ and the man page man/ats.1 are what the binary
/// generates from its one command-line definition, and the man page reads cleanly.
@Suite struct ManualAndCompletionTests {
    static let completionFiles = [("bash", "completions/ats.bash"), ("zsh", "completions/_ats"), ("fish", "completions/ats.fish")]

    @Test(arguments: completionFiles)
    func completionScriptIsGenerated(_ shell: String, _ path: String) throws {
        let result = try runATS(["--generate-completion-script", shell])
        #expect(result.exitCode == 0, "\(result)")
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
        #expect(file == result.stdout, "\(path) is stale: regenerate it with `ats --generate-completion-script \(shell) > \(path)`")
        // Option names without their dashes: fish writes `-l 'tls-cert'`.
        for word in ["profile", "output", "tls-cert", "faults", "ignore", "lsp"] {
            #expect(file.contains(word), "\(path) lacks \(word)")
        }
    }

    /// What the scripts call back for `--profile`: the names in the config file.
    @Test func profileNamesComeFromTheConfigFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("ats/config.toml", "[profiles.prod]\nurl = \"https://a\"\n\n[profiles.lab]\nurl = \"http://b\"\n")
        let result = try runATS(["---completion", "--", "--profile", "0", "0"], environment: ["XDG_CONFIG_HOME": dir.url.path])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.split(separator: "\n") == ["lab", "prod"], "\(result)")
    }

    @Test func manualIsGenerated() throws {
        let result = try runATS(["--generate-manual"])
        #expect(result.exitCode == 0, "\(result)")
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("man/ats.1"), encoding: .utf8)
        #expect(file == result.stdout, "man/ats.1 is stale: regenerate it with `ats --generate-manual > man/ats.1`")
    }

    /// Every option `ats --help` and `ats help SUBCOMMAND` show is in the man page, with the
    /// same words, and every command of the catalog (`help`'s overview) is listed.
    @Test func manualSaysWhatHelpSays() throws {
        let rendered = try renderedManual()
        let flat = rendered.replacingOccurrences(of: "\n", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for sub in ["", "run", "check", "fmt", "sim", "diff", "lsp"] {
            let help = try runATS(sub.isEmpty ? ["--help"] : ["help", sub])
            #expect(help.exitCode == 0, "\(help)")
            for line in help.stdout.split(separator: "\n") where line.hasPrefix("  --") || line.hasPrefix("  -") {
                let name = line.split(separator: " ")[0].trimmingCharacters(in: CharacterSet(charactersIn: ","))
                if name == "-h" || name == "--help" || name == "--version" { continue }
                #expect(flat.contains(name), "`ats help \(sub)` shows \(name); the man page does not")
            }
        }
        let overview = try runATS(["-c", "help"])
        #expect(overview.exitCode == 0, "\(overview)")
        for line in overview.stdout.split(separator: "\n") where line.hasPrefix("  ") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(flat.contains(String(words[0])), "help lists \(words[0]); the man page does not")
        }
        for section in ["SYNOPSIS", "OPTIONS", "SUBCOMMANDS", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS"] {
            #expect(rendered.contains(section), "no \(section)")
        }
    }

    /// man/ats.1 as man(1) renders it in the C locale, with groff's warnings on (there must be none).
    func renderedManual() throws -> String {
        let path = repositoryRoot.appendingPathComponent("man/ats.1").path
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/man"), ["--warnings", "-l", path], environment: ["MANWIDTH": "100", "PAGER": "cat", "LC_ALL": "C"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.isEmpty, "groff warns: \(result.stderr)")
        return result.stdout
    }
}
