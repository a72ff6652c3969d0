import Foundation
import Testing
import TestSupport

/// The simulator's password and the Basic credential `system:manager` (base64).
let simPassword = "manager"
let basicCredential = Data("system:manager".utf8).base64EncodedString()

/// Secrets on the command line, in the config file, and in every output channel.
@Suite struct SecretTests {
    @Test(arguments: [["--password", "manager"], ["--password=manager"], ["-p", "manager"]])
    func passwordOnTheCommandLineIsRefused(_ option: [String]) throws {
        let result = try runATS(["--url", "http://127.0.0.1:1", "--user", "system"] + option + ["-c", "tasks | count"])
        #expect(result.exitCode == 2, "a usage error: \(result)")
        #expect(result.stderr.contains("a password is never accepted on the command line"), "\(result)")
        #expect(result.stderr.contains("--password-env VAR"), "says what to use instead: \(result)")
        #expect(result.stderr.contains("password_command"), "\(result)")
        #expect(!result.stdout.contains("manager") && !result.stderr.contains("manager"), "not echoed: \(result)")
    }

    /// A config directory with a profile `lab` whose password comes from `password_command`.
    func configWithPasswordCommand(url: String, mode: Int) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let path = try dir.write("ats/config.toml", """
            [profiles.lab]
            url = "\(url)"
            user = "system"
            password_command = "echo \(simPassword)"

            """)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return dir
    }

    @Test func configWithPasswordCommandReadableByOthersIsRefused() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        for mode in [0o644, 0o640, 0o604] {
            let config = try configWithPasswordCommand(url: sim.url, mode: mode)
            defer { config.remove() }
            let result = try runATS(["--profile", "lab", "-c", "tasks | count"], environment: ["XDG_CONFIG_HOME": config.url.path])
            #expect(result.exitCode != 0, "mode \(String(mode, radix: 8)): \(result)")
            #expect(result.stdout.isEmpty, "nothing ran: \(result)")
            #expect(result.stderr.contains("config.toml"), "names the file: \(result)")
            #expect(result.stderr.contains("chmod 600"), "says what to do: \(result)")
        }
    }

    @Test func configWithPasswordCommandPrivateToTheUserIsUsed() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let config = try configWithPasswordCommand(url: sim.url, mode: 0o600)
        defer { config.remove() }
        let result = try runATS(["--profile", "lab", "-c", "tasks --status inProgress | count"],
                                environment: ["XDG_CONFIG_HOME": config.url.path])
        #expect(result.exitCode == 0, "\(result)")
        #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(result)")
    }

    @Test func configWithoutPasswordMayBeReadableByOthers() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("ats/config.toml", "[profiles.lab]\nurl = \"\(sim.url)\"\nuser = \"system\"\npassword_env = \"PW\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let result = try runATS(["--profile", "lab", "-c", "let t = task 5381\necho $t.instanceID"],
                                environment: ["XDG_CONFIG_HOME": dir.url.path, "PW": simPassword])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "5381", "\(result)")
    }

    /// Tokens the simulator issues look like `<hex>_<base64>=_V0810`; the scanner recognises them.
    @Test func scannerRecognisesTheSimulatorsTokens() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let curl = try runProcess(URL(fileURLWithPath: "/usr/bin/curl"), [
            "-s", "-D", "-", "-o", "/dev/null", "-u", "system:\(simPassword)", sim.url + "/Automation/v1/objects/Tasks/5381",
        ])
        let header = curl.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix("www-authenticate: hsso ") }
        let token = header.map { String($0.dropFirst("www-authenticate: hsso ".count)) } ?? ""
        #expect(token.hasSuffix("_V0810"), "\(curl)")
        #expect(SecretScanner.hssoTokens(in: "x \(token) y") == [token])
        #expect(SecretScanner(literals: [simPassword]).findings(in: "Authorization: ******** _V0810", place: "t").isEmpty)
    }

    @Test func scriptedSessionLeaksNoSecret() throws {
        let sim = try SimulatorProcess.start(["--faults", "token-ttl=1"])
        defer { sim.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let caseFile = dir.path("case.jsonl")
        let traceFile = dir.path("trace.txt")
        let script = try dir.write("session.ats", """
            echo (tasks --status inProgress | count)
            whoami
            server
            task 5381
            api GET /user
            sleep 1500ms
            tasks --status waitingResponse | each { .instanceID }
            try { task 999999 } catch e { echo $e.message; echo $e.url }
            let s = secret("\(simPassword)")
            echo $s
            vars
            trace curl
            echo (task 5382).name
            trace off
            record stop
            record \(dir.path("second.jsonl"))
            services | count
            disconnect
            connect \(sim.url) --user system --password-env ATS_PASSWORD
            echo (task 5381).status

            """)
        let result = try runATS(["--url", sim.url, "--user", "system", "--trace", "--record", caseFile, script],
                                environment: ["ATS_PASSWORD": simPassword], timeout: 90)
        #expect(result.exitCode == 0, "\(result)")
        try Data(result.stderr.utf8).write(to: URL(fileURLWithPath: traceFile))
        #expect(result.stderr.contains("GET "), "the trace was on: \(result.stderr.prefix(500))")
        #expect(result.stderr.contains("curl "), "trace curl was on")
        let second = dir.path("second.jsonl")
        let places = [
            ("stdout", result.stdout), ("stderr (trace)", result.stderr),
            ("case file", caseFileText(caseFile)), ("second case file", caseFileText(second)),
        ]
        #expect(!caseFileText(caseFile).isEmpty && !caseFileText(second).isEmpty)
        let scanner = SecretScanner(literals: [simPassword, basicCredential, "Basic " + basicCredential])
        let findings = places.flatMap { scanner.findings(in: $0.1, place: $0.0) }
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "needs tmux"))
    func replSessionLeaksNoSecret() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let session = try TmuxSession([try #require(TmuxSession.atsBinary)], environment: ["NO_COLOR": "1", "PW": simPassword])
        defer { session.close() }
        let saved = session.home + "/saved.ats"
        try session.waitFor("ats (not connected)>")
        try session.type("connect \(sim.url) --user system --ask-password")
        try session.press("Enter")
        try session.waitFor("password for system:")  // getpass discards typed-ahead input: wait for its prompt
        try session.type(simPassword)
        try session.press("Enter")
        try session.waitFor("ats system@")
        try session.type("tasks --status inProgress | count")
        try session.press("Enter")
        try session.type("let s = secret(\"\(simPassword)\")")
        try session.press("Enter")
        try session.type("connect \(sim.url) --user system --password-env PW")
        try session.press("Enter")
        try session.type("trace on")
        try session.press("Enter")
        try session.type("echo (task 5381).instanceID")
        try session.press("Enter")
        try session.waitFor("5381")
        try session.type("trace off")
        try session.press("Enter")
        try session.type("whoami")
        try session.press("Enter")
        try session.type(":save \(saved)")
        try session.press("Enter")
        try session.waitFor("saved ")
        let screen = try session.screen()
        try session.type(":quit")
        try session.press("Enter")
        try session.waitFor("[exit 0]")
        let history = caseFileText(session.home + "/state/ats/history")
        let script = caseFileText(saved)
        #expect(history.contains("tasks --status inProgress | count"), "the history was written: \(history)")
        #expect(script.contains("task 5381"), "the script was saved: \(script)")
        let scanner = SecretScanner(literals: [simPassword, basicCredential])
        let findings = scanner.findings(in: history, place: "history") + scanner.findings(in: script, place: ":save")
            + scanner.findings(in: screen, place: "screen")
        #expect(findings.isEmpty, "\(findings)\n--- history\n\(history)\n--- saved\n\(script)")
    }
}
