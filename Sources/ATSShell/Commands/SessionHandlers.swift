import AOClient
import ATSJSON
import ATSLanguage
import ATSSupport

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
            do throws(CaseFileError) {
                try run.host.services.setRecording(target == "stop" || target == "off" ? nil : target)
            } catch {
                throw ErrorMapping.errorValue(error, call: run.call)
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
            // `help history delete` and `help "history delete"` are the same topic.
            let words = run.call.arguments.map(\.text)
            guard !words.isEmpty else {
                run.context.output.write(renderer.overview())
                return .null
            }
            let topic = words.joined(separator: " ")
            guard let text = renderer.help(topic) else {
                throw run.failure(.unknownTopic(topic, suggestions: renderer.suggestions(for: topic)))
            }
            run.context.output.write(text)
            return .null
        },
    ]

    /// `connect URL|sim|--profile NAME …`: merges the options, the profile, the global
    /// options and the environment (`ConnectionPlan.resolve`, the order is there), then opens
    /// the connection (which checks the credentials).
    static func connect(_ run: CommandRun) throws(ErrorValue) -> Value {
        let services = run.host.services
        let env = services.environment
        let own = ConnectionOptions(
            target: run.string(0), profile: run.option("profile"), user: run.option("user"),
            passwordEnv: run.option("password-env"), askPassword: run.flag("ask-password"),
            insecure: run.flag("insecure") ? true : nil, cacert: run.option("cacert"),
            timeout: try run.duration("timeout", default: nil), lang: run.option("lang"))
        let defaults = services.connectionDefaults
        let plan: ConnectionPlan
        do throws(ShellError) {
            var profile: (name: String, profile: Profile)?
            if let name = ConnectionPlan.profileName(own: own, defaults: defaults, environment: env) {
                let path = ProfileFile.defaultPath(environment: env)
                profile = (name, try ProfileFile.load(path: path, files: services.world.files).profile(name, path: path))
            }
            plan = try ConnectionPlan.resolve(own: own, profile: profile, defaults: defaults, environment: env)
        } catch {
            throw run.failure(error)
        }
        let password: String
        switch plan.password {
        case .ask:
            guard let p = services.askPassword("password for \(plan.user): ") else {
                throw run.failure(.missingPassword(user: plan.user))
            }
            password = p
        case .variable(let variable):
            guard let p = env[variable] else { throw run.failure(.passwordVariableUnset(variable)) }
            password = p
        case .command(let command):
            password = try passwordFromCommand(command, run: run)
        case .simulator:
            password = "manager"
        }
        var request = ConnectRequest(url: plan.url, user: plan.user, password: Secret(password))
        request.insecure = plan.insecure
        request.cacert = plan.cacert
        request.timeout = plan.timeout
        request.lang = plan.lang
        request.statement = plan.statement
        let connection: Connection
        do throws(APIError) {
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

    /// Runs a profile's `password_command` (through the world) and takes its first line.
    static func passwordFromCommand(_ command: String, run: CommandRun) throws(ErrorValue) -> String {
        switch run.host.services.world.commands.run(shell: command) {
        case .notStarted(let why):
            throw run.failure(.passwordCommandFailed(command, detail: why))
        case .exited(let status, _) where status != 0:
            throw run.failure(.passwordCommandFailed(command, detail: "exit status \(status)"))
        case .exited(_, let output):
            let text = String(decoding: output, as: UTF8.self)
            return String(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first ?? "")
        }
    }
}
