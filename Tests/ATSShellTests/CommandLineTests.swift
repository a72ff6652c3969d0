import Testing
@testable import ATSShell

@Suite struct CommandLineTests {
    @Test func noArgumentsIsInteractive() throws {
        let (options, invocation) = try CommandLineParser.parse([])
        #expect(invocation == .interactive)
        #expect(options == GlobalOptions())
    }

    @Test func scriptTakesTheRestAsArguments() throws {
        let (options, invocation) = try CommandLineParser.parse(["--sim", "--output", "json", "cleanup.ats", "--force", "x"])
        #expect(options.sim)
        #expect(options.output == "json")
        #expect(invocation == .script(path: "cleanup.ats", arguments: ["--force", "x"]))
    }

    @Test func runSubcommand() throws {
        let (_, invocation) = try CommandLineParser.parse(["run", "a.ats", "1", "2"])
        #expect(invocation == .script(path: "a.ats", arguments: ["1", "2"]))
    }

    @Test func commandText() throws {
        let (options, invocation) = try CommandLineParser.parse(["--url=http://h:22015", "--user", "u", "-c", "tasks | count", "a"])
        #expect(options.url == "http://h:22015")
        #expect(options.user == "u")
        #expect(invocation == .command(text: "tasks | count", arguments: ["a"]))
    }

    @Test func checkAndFormat() throws {
        #expect(try CommandLineParser.parse(["check", "a.ats", "b.ats"]).1 == .check(["a.ats", "b.ats"]))
        #expect(try CommandLineParser.parse(["fmt", "a.ats", "--write"]).1 == .format(["a.ats"], write: true))
        #expect(try CommandLineParser.parse(["fmt", "a.ats"]).1 == .format(["a.ats"], write: false))
    }

    @Test func switches() throws {
        let (o, _) = try CommandLineParser.parse([
            "--insecure", "--cacert", "ca.pem", "--timeout", "90s", "--trace", "--record", "case.jsonl",
            "--dry-run", "--no-color", "--quiet", "--profile", "prod", "--password-env", "PW",
        ])
        #expect(o.insecure && o.trace && o.dryRun && o.noColor && o.quiet)
        #expect(o.cacert == "ca.pem")
        #expect(o.timeout == .seconds(90))
        #expect(o.record == "case.jsonl")
        #expect(o.profile == "prod")
        #expect(o.passwordEnv == "PW")
    }

    @Test func versionAndHelp() throws {
        #expect(try CommandLineParser.parse(["--version"]).1 == .version)
        #expect(try CommandLineParser.parse(["--help"]).1 == .help)
    }

    @Test(arguments: [["--password", "secret"], ["--password=secret"], ["-p", "x"]])
    func passwordIsRefused(_ arguments: [String]) {
        #expect(throws: ShellError.passwordOnCommandLine) { try CommandLineParser.parse(arguments) }
    }

    @Test func unknownOptionSuggests() {
        #expect(throws: ShellError.unknownOption("--tarce", suggestion: "--trace")) { try CommandLineParser.parse(["--tarce"]) }
    }

    @Test func badValues() {
        #expect(throws: ShellError.unknownFormat("yaml")) { try CommandLineParser.parse(["--output", "yaml"]) }
        #expect(throws: ShellError.badDuration("soon")) { try CommandLineParser.parse(["--timeout", "soon"]) }
        #expect(throws: ShellError.missingValue(option: "--url")) { try CommandLineParser.parse(["--url"]) }
        #expect(throws: ShellError.missingFiles(command: "check")) { try CommandLineParser.parse(["check"]) }
    }

    @Test(arguments: [("500ms", 500), ("10s", 10_000), ("5m", 300_000), ("2h", 7_200_000), ("1d", 86_400_000), ("1.5s", 1500), ("3", 3000)])
    func durations(_ text: String, _ milliseconds: Int64) {
        #expect(DurationParser.parse(text) == .milliseconds(milliseconds))
    }
}
