import AOHTTPServer
import ATSCommandLine
import AOSimulator
import ATSSupport
import Testing
@testable import ATSShell

/// The shell's options and invocation for `arguments`, or nil (with an issue recorded).
private func shell(_ arguments: [String]) -> (GlobalOptions, Invocation)? {
    guard case .shell(let options, let invocation) = ATSCommandLine.parse(arguments) else {
        Issue.record("not the shell: \(ATSCommandLine.parse(arguments))")
        return nil
    }
    return (options, invocation)
}

/// The text and code of a command line that ends ats at once (help, version, usage error).
private func exit(_ arguments: [String]) -> (text: String, code: Int32)? {
    guard case .exit(let text, let code) = ATSCommandLine.parse(arguments) else {
        Issue.record("did not exit: \(arguments)")
        return nil
    }
    return (text, code)
}

@Suite struct CommandLineTests {
    @Test func noArgumentsIsInteractive() {
        #expect(shell([])?.1 == .interactive)
        #expect(shell([])?.0 == GlobalOptions())
        #expect(shell(["-"])?.1 == .interactive)
        #expect(shell(["--sim"])?.1 == .interactive)
    }

    @Test func scriptTakesTheRestAsArguments() {
        let parsed = shell(["--sim", "--output", "json", "cleanup.ats", "--force", "x", "--sim", "--", "-c"])
        #expect(parsed?.0.sim == true)
        #expect(parsed?.0.output == "json")
        #expect(parsed?.1 == .script(path: "cleanup.ats", arguments: ["--force", "x", "--sim", "--", "-c"]))
        #expect(shell(["--", "a.ats", "1"])?.1 == .script(path: "a.ats", arguments: ["1"]))
    }

    @Test func runSubcommand() {
        #expect(shell(["run", "a.ats", "1", "--trace"])?.1 == .script(path: "a.ats", arguments: ["1", "--trace"]))
        let parsed = shell(["--sim", "run", "a.ats", "2"])
        #expect(parsed?.0.sim == true)
        #expect(parsed?.1 == .script(path: "a.ats", arguments: ["2"]))
    }

    @Test func commandText() {
        let parsed = shell(["--url=http://h:22015", "--user", "u", "-c", "tasks | count", "a", "--b"])
        #expect(parsed?.0.url == "http://h:22015")
        #expect(parsed?.0.user == "u")
        #expect(parsed?.1 == .command(text: "tasks | count", arguments: ["a", "--b"]))
        #expect(shell(["-c", "-1", "--x"])?.1 == .command(text: "-1", arguments: ["--x"]))
    }

    @Test func checkAndFormat() {
        #expect(shell(["check", "a.ats", "b.ats"])?.1 == .check(["a.ats", "b.ats"]))
        #expect(shell(["fmt", "a.ats", "--write"])?.1 == .format(["a.ats"], write: true))
        #expect(shell(["fmt", "a.ats"])?.1 == .format(["a.ats"], write: false))
        #expect(shell(["--no-color", "check", "a.ats"])?.0.noColor == true)
    }

    @Test func switches() {
        let o = shell([
            "--insecure", "--cacert", "ca.pem", "--timeout", "90s", "--trace", "--record", "case.jsonl",
            "--dry-run", "--no-color", "--quiet", "--profile", "prod", "--password-env", "PW",
        ])?.0
        #expect(o?.insecure == true && o?.trace == true && o?.dryRun == true && o?.noColor == true && o?.quiet == true)
        #expect(o?.cacert == "ca.pem")
        #expect(o?.timeout == .seconds(90))
        #expect(o?.record == "case.jsonl")
        #expect(o?.profile == "prod")
        #expect(o?.passwordEnv == "PW")
    }

    @Test func versionAndHelp() {
        #expect(exit(["--version"])?.text == BuildInfo.versionLine + "\n")
        #expect(exit(["--version"])?.code == 0)
        let help = exit(["--help"])
        #expect(help?.code == 0)
        #expect(help?.text.contains("--password-env <VAR>") == true)
        #expect(help?.text.contains("EXIT CODES:") == true)
        #expect(exit(["help"])?.text == help?.text)
        #expect(exit(["help", "sim"])?.text.contains("--tls-cert <FILE>") == true)
        #expect(exit(["sim", "--help"])?.text == exit(["help", "sim"])?.text)
    }

    @Test(arguments: [["--password", "secret"], ["--password=secret"], ["-p", "x"], ["--sim", "--pass", "x", "a.ats"], ["run", "--password", "x"],
                            ["--pasword", "secret"], ["--passwd=secret"]])
    func passwordIsRefused(_ arguments: [String]) {
        let result = exit(arguments)
        #expect(result?.code == 2)
        #expect(result?.text.contains(ShellError.passwordOnCommandLine.message) == true, "\(result?.text ?? "")")
        #expect(result?.text.contains("secret") == false)
    }

    @Test(arguments: [
        (["--tarce"], "; did you mean `--trace`?"),
        (["--output", "yaml"], "'yaml' is invalid for '--output <FORMAT>'"),
        (["--timeout", "soon"], "'soon' is not a duration"),
        (["--url"], "error: missing value for '--url <URL>'"),
        (["check"], "missing expected argument '<FILE.ats> ...'"),
        (["fmt", "--wirte", "a.ats"], "; did you mean `--write`?"),
        (["sim", "--port", "70000"], "not a port number"),
        (["sim", "--port"], "missing value"),
        (["sim", "--speed", "0"], "positive number"),
        (["sim", "--quirks", "nope"], "unknown quirk 'nope'"),
        (["sim", "--faults", "what=1"], "cannot read the fault 'what=1'"),
        (["sim", "--tls-cert", "c"], "together"),
        (["sim", "--frobnicate"], "error: unknown option '--frobnicate'"),
        (["diff"], "missing expected argument '<CASE_A>'"),
        (["diff", "a.jsonl"], "missing expected argument '<CASE_B>'"),
        (["diff", "a", "b", "c"], "unexpected argument 'c'"),
        (["diff", "--al", "a", "b"], "; did you mean `--all`?"),
        (["diff", "--ignore"], "missing value for '--ignore <FIELD>'"),
    ])
    func usageErrorsExit2(_ arguments: [String], _ fragment: String) {
        let result = exit(arguments)
        #expect(result?.code == 2)
        #expect(result?.text.contains(fragment) == true, "\(result?.text ?? "")")
    }

    @Test(arguments: [("500ms", 500), ("10s", 10_000), ("5m", 300_000), ("2h", 7_200_000), ("1d", 86_400_000), ("1.5s", 1500), ("3", 3000)])
    func durations(_ text: String, _ milliseconds: Int64) {
        #expect(DurationParser.parse(text) == .milliseconds(milliseconds))
    }

    @Test func simulatorOptions() throws {
        guard case .simulator(let o) = ATSCommandLine.parse([
            "sim", "--port", "0", "--host", "127.0.0.1", "--seed", "42", "--tasks=100000", "--speed", "2.5",
            "--quirks", "instanceId,leadingSpaceHref", "--faults", "starting=3,500=/objects/Tasks", "--tls-cert", "c", "--tls-key", "k",
        ]) else {
            Issue.record("not the simulator")
            return
        }
        #expect(o.port == 0)
        #expect(o.configuration.seed == 42)
        #expect(o.configuration.taskCount == 100_000)
        #expect(o.configuration.speed == 2.5)
        #expect(o.configuration.quirks == [.instanceId, .leadingSpaceHref])
        #expect(o.configuration.faults.startingRequests == 3)
        #expect(o.configuration.faults.internalError == [FaultRoute(pathContains: "/objects/Tasks")])
        #expect(o.tlsCert == "c" && o.tlsKey == "k")
    }

    @Test func diffArguments() {
        guard case .diff(let d) = ATSCommandLine.parse(["diff", "--all", "a.jsonl", "--ignore", "x,.y", "-i", "z", "b.jsonl", "--json", "--no-colour"]) else {
            Issue.record("not diff")
            return
        }
        #expect(d.first == "a.jsonl" && d.second == "b.jsonl")
        #expect(d.options.all && d.json && d.noColor)
        #expect(d.options.ignoredFields == ["x", "y", "z"])
    }

    @Test func languageServerHasItsSubcommand() {
        guard case .languageServer = ATSCommandLine.parse(["lsp"]) else {
            Issue.record("ats lsp is not the language server")
            return
        }
        #expect(exit(["lsp", "--help"])?.text.contains("a Language Server Protocol server on stdio, for editors") == true)
    }
}
