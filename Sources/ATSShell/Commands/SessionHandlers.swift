import AOClient
import ATSJSON
import ATSLanguage
import Foundation

/// `connect`, `disconnect`, `whoami`, `server`, the session switches and `help`.
enum SessionHandlers {
    static let table: [String: ShellHost.Handler] = [
        "connect": connect,
        "disconnect": { run throws(ErrorValue) in
            if let c = run.state.connection {
                c.close()
                run.note("disconnected from \(c.displayName)")
            }
            run.state.connection = nil
            run.state.serviceNames = []
            run.state.lastTaskIDs = []
            return .null
        },
        "whoami": { run throws(ErrorValue) in CommandRun.value(try run.call { c throws(APIError) in try await c.user() }) },
        "server": { run throws(ErrorValue) in CommandRun.value(try run.call { c throws(APIError) in try await c.version() }) },
        "trace": { run throws(ErrorValue) in
            let mode = run.string(0)?.lowercased() ?? ""
            guard let m = TraceMode(rawValue: mode) else { throw run.bad(.string(mode), expected: "on, off or curl") }
            run.state.trace = m
            run.host.services.switchesChanged()
            return .null
        },
        "record": { run throws(ErrorValue) in
            let target = run.string(0) ?? ""
            do {
                try run.host.services.setRecording(target == "stop" || target == "off" ? nil : target)
            } catch {
                throw ErrorMapping.errorValue(error, request: nil, baseURL: nil, call: run.call)
            }
            return .null
        },
        "dry-run": { run throws(ErrorValue) in
            switch run.string(0)?.lowercased() {
            case "on"?, "true"?: run.state.dryRun = true
            case "off"?, "false"?: run.state.dryRun = false
            default: throw run.bad(run.argument(0) ?? .null, expected: "on or off")
            }
            return .null
        },
        "format": { run throws(ErrorValue) in
            run.host.services.output.format = try OutputFormat.parseOverride(run.string(0) ?? "")
            return .null
        },
        "help": { run throws(ErrorValue) in
            let renderer = HelpRenderer(builtins: run.host.services.builtinSignatures)
            if run.flag("markdown") {
                run.context.output.write(renderer.markdown())
                return .null
            }
            if run.flag("routes") {
                run.context.output.write(Route.markdownTable())
                return .null
            }
            guard let topic = run.string(0) else {
                run.context.output.write(renderer.overview())
                return .null
            }
            guard let text = renderer.help(topic) else {
                throw run.failure(.unknownTopic(topic, suggestions: renderer.suggestions(for: topic)))
            }
            run.context.output.write(text)
            return .null
        },
    ]

    /// `connect URL|sim|--profile NAME …`: merges the options, the profile and the
    /// environment, then opens the connection (which checks the credentials).
    static func connect(_ run: CommandRun) throws(ErrorValue) -> Value {
        let env = run.host.services.environment
        var target = run.string(0)
        var profile = Profile()
        let profileName = run.option("profile") ?? (target == nil ? env["ATS_PROFILE"] : nil)
        if let profileName {
            let path = ProfileFile.defaultPath(environment: env)
            do {
                profile = try ProfileFile.load(path: path, files: run.host.services.world.files).profile(profileName, path: path)
            } catch {
                throw run.failure(error)
            }
            if target == nil { target = profile.url }
        }
        if target == nil { target = env["ATS_URL"] }
        guard let target, !target.isEmpty else { throw run.failure(.nothingToConnect) }
        let isSim = target == "sim"
        guard let user = run.option("user") ?? profile.user ?? env["ATS_USER"] ?? (isSim ? "system" : nil) else {
            throw run.failure(.missingUser)
        }
        let password: String
        if run.flag("ask-password") {
            guard let p = run.host.services.askPassword("password for \(user): ") else { throw run.failure(.missingPassword(user: user)) }
            password = p
        } else if let variable = run.option("password-env") ?? profile.passwordEnv {
            guard let p = env[variable] else { throw run.failure(.passwordVariableUnset(variable)) }
            password = p
        } else if let command = profile.passwordCommand {
            password = try passwordFromCommand(command, run: run)
        } else if let p = env["ATS_PASSWORD"] {
            password = p
        } else if isSim {
            password = "manager"
        } else {
            throw run.failure(.missingPassword(user: user))
        }
        var request = ConnectRequest(url: isSim ? nil : target, user: user, password: Secret(password))
        request.insecure = run.flag("insecure") || (profile.insecure ?? false)
        request.cacert = run.option("cacert") ?? profile.cacert
        request.timeout = try run.duration("timeout", default: nil)
        request.lang = run.option("lang") ?? profile.lang
        let connection: Connection
        do {
            connection = try run.host.services.connect(request, interrupt: run.context.interrupt)
        } catch {
            throw ErrorMapping.errorValue(error, request: nil, baseURL: request.url ?? "sim", call: run.call)
        }
        if request.insecure, request.url?.lowercased().hasPrefix("https:") == true, run.state.firstInsecureConnection() {
            run.context.output.writeError(
                "warning: --insecure: the server's TLS certificate is not verified (use --cacert FILE to trust a private CA)\n")
        }
        run.state.connection?.close()
        run.state.connection = connection
        run.state.lastTaskIDs = []
        run.state.serviceNames = []
        run.note("connected to \(connection.displayName)")
        return .null
    }

    /// Runs a profile's `password_command` and takes its first line.
    static func passwordFromCommand(_ command: String, run: CommandRun) throws(ErrorValue) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw run.failure(.passwordCommandFailed(command, detail: "\(error)"))
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw run.failure(.passwordCommandFailed(command, detail: "exit status \(process.terminationStatus)"))
        }
        let text = String(decoding: data, as: UTF8.self)
        return String(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first ?? "")
    }
}
