import ATSJSON
import Foundation
import Testing
import TestSupport

/// The command line of SHELL.md §3.
@Suite struct CommandLineEndToEndTests {
    @Test func version() throws {
        let result = try runATS(["--version"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.hasPrefix("ats "))
    }

    @Test func help() throws {
        let result = try runATS(["--help"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("--password-env"))
    }

    @Test func scriptArguments() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let script = try dir.write("args.ats", "echo \"$(len($args)) ${args[0]} ${args[1]}\"\n")
        let direct = try runATS([script, "a", "b"])
        #expect(direct.stdout == "2 a b\n", "\(direct)")
        let viaRun = try runATS(["run", script, "a", "b"])
        #expect(viaRun.stdout == "2 a b\n", "\(viaRun)")
        let viaC = try runATS(["-c", "echo $args[0]", "x"])
        #expect(viaC.stdout == "x\n", "\(viaC)")
    }

    @Test func statementsFromStandardInput() throws {
        let result = try runATS(["--sim"], stdin: "let n = tasks | count\necho \"ok\"\n")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "ok\n", "\(result)")
    }

    @Test func exitCodes() throws {
        #expect(try runATS(["-c", "exit 7"]).exitCode == 7)
        #expect(try runATS(["-c", "assert false \"no\""]).exitCode == 1)
        #expect(try runATS(["-c", "let = 3"]).exitCode == 2)
    }

    @Test func checkReportsEveryError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let good = try dir.write("good.ats", "let x = 1\necho $x\ntasks | where .status == \"failed\" | csv\n")
        let bad = try dir.write("bad.ats", "let = 1\necho \"fine\"\nlet y = (1 +\n")
        #expect(try runATS(["check", good]).exitCode == 0)
        let result = try runATS(["check", good, bad])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("bad.ats:1:"), "\(result)")
        #expect(result.stderr.contains("bad.ats:3:") || result.stderr.contains("bad.ats:4:"), "\(result)")
        let option = try dir.write("option.ats", "stop 1 --forse\n")
        let typo = try runATS(["check", option])
        #expect(typo.exitCode == 2)
        #expect(typo.stderr.contains("did you mean `--force`?"), "\(typo)")
    }

    @Test func formatPrintsAndWrites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("messy.ats", "let   x=1\nif $x==1 {echo \"one\"}\n")
        let printed = try runATS(["fmt", file])
        #expect(printed.exitCode == 0, "\(printed)")
        #expect(printed.stdout.contains("let x = 1"), "\(printed)")
        let written = try runATS(["fmt", file, "--write"])
        #expect(written.exitCode == 0, "\(written)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == printed.stdout)
    }

    @Test func profilesAndEnvironment() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("ats/config.toml", """
            [profiles.lab]
            url = "\(sim.url)"
            user = "system"
            password_env = "LAB_PASSWORD"

            [profiles.cmd]
            url = "\(sim.url)"
            user = "system"
            password_command = "printf manager"

            [profiles.crlf]
            url = "\(sim.url)"
            user = "system"
            password_command = "printf 'manager\\r\\n'"

            """)
        // A file that holds a password_command must be readable by its owner only.
        chmod(dir.path("ats/config.toml"), 0o600)
        let env = ["XDG_CONFIG_HOME": dir.url.path, "LAB_PASSWORD": "manager"]
        let byOption = try runATS(["--profile", "lab", "-c", "echo (whoami).userName"], environment: env)
        #expect(byOption.stdout == "System\n", "\(byOption)")
        let byEnv = try runATS(["-c", "let u = whoami\necho \"ok\""], environment: env.merging(["ATS_PROFILE": "lab"]) { $1 })
        #expect(byEnv.stdout == "ok\n", "\(byEnv)")
        let byURL = try runATS(["-c", "let u = whoami\necho \"ok\""],
                               environment: ["ATS_URL": sim.url, "ATS_USER": "system", "ATS_PASSWORD": "manager"])
        #expect(byURL.stdout == "ok\n", "\(byURL)")
        let connectInScript = try runATS(["-c", "connect --profile lab\necho (server).apiVersion"], environment: env)
        #expect(connectInScript.exitCode == 0, "\(connectInScript)")
        let byCommand = try runATS(["--profile", "cmd", "-c", "let u = whoami\necho \"ok\""], environment: ["XDG_CONFIG_HOME": dir.url.path])
        #expect(byCommand.stdout == "ok\n", "\(byCommand)")
        // A password manager that ends its line with \r\n: the first line is the password.
        let byCRLFCommand = try runATS(["--profile", "crlf", "-c", "let u = whoami\necho \"ok\""], environment: ["XDG_CONFIG_HOME": dir.url.path])
        #expect(byCRLFCommand.stdout == "ok\n", "\(byCRLFCommand)")
        let missing = try runATS(["--profile", "nope", "-c", "echo 1"], environment: ["XDG_CONFIG_HOME": dir.url.path])
        #expect(missing.exitCode == 1, "\(missing)")
        #expect(missing.stderr.contains("no profile 'nope'"), "\(missing)")
    }

    @Test func dryRunPrintsInsteadOfSending() throws {
        let result = try runATS(["--sim", "--dry-run", "-c", """
            let t = tasks --status inProgress | first 1
            stop $t[0].instanceID --force
            echo (task $t[0].instanceID).status
            """])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("dry-run: POST "), "\(result)")
        #expect(result.stdout.contains("/actions/forceStop/invoke"), "\(result)")
        #expect(result.stdout.contains("curl -X POST"), "\(result)")
        #expect(result.stdout.hasSuffix("inProgress\n"), "the task was not stopped: \(result)")
    }

    @Test func traceMasksSecrets() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let result = try runATS(against(sim.url) + ["--trace", "-c", "let x = whoami"], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.contains("GET "), "\(result)")
        #expect(!result.stderr.contains("manager"), "\(result)")
        #expect(!result.stderr.contains("c3lzdGVtOm1hbmFnZXI="), "\(result)")
    }

    @Test func recordWritesACaseFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("case.jsonl")
        let result = try runATS(["--sim", "--record", file, "-c", "let x = tasks --limit 1"])
        #expect(result.exitCode == 0, "\(result)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("/objects/Tasks"))
        #expect(!text.contains("manager"))
    }
}
