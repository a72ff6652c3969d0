import ATSJSON
import ATSLanguage

/// Errors of the shell layer itself (command line, profiles, command arguments, `wait`), and
/// below them those of its output layer. Their messages live here, in one place; the API's
/// errors are mapped in `ErrorMapping`.
public enum ShellError: Error, Sendable, Equatable {
    /// A password on the command line (never accepted).
    case passwordOnCommandLine
    /// `--output`/`format` with an unknown format.
    case unknownFormat(String)
    /// A duration that does not parse (`10s`, `5m`, …).
    case badDuration(String)
    /// A script or file that cannot be read.
    case unreadableFile(String, detail: String)
    /// The config file does not parse.
    case badConfig(path: String, detail: String)
    /// `--profile NAME` not in the config file.
    case unknownProfile(String, path: String)
    /// `password_command` failed.
    case passwordCommandFailed(String, detail: String)
    /// The environment variable named for the password is not set.
    case passwordVariableUnset(String)
    /// A command that needs a server was run without `connect`.
    case notConnected
    /// `connect` without anything to connect to.
    case nothingToConnect
    /// `connect` to a server without a user name.
    case missingUser
    /// `connect` to a server without any way to get the password.
    case missingPassword(user: String)
    /// A command argument of the wrong shape.
    case badArgument(command: String, argument: String, expected: String)
    /// A command run without an argument (or option) it needs; `command` is its name.
    case missingArgument(command: String, needs: String)
    /// A status name that is none of the known ones.
    case unknownStatus(String, suggestion: String?)
    /// A service name that matches no service.
    case unknownService(String)
    /// A service group name that matches no group.
    case unknownGroup(String)
    /// `respond --button LABEL` with a label the task does not offer.
    case unknownButton(String, offered: [String])
    /// The user declined a confirmation.
    case declined(command: String)
    /// `help TOPIC` for an unknown topic.
    case unknownTopic(String, suggestions: [String])
    /// `wait` ran out of time: the task did not reach (or leave) the statuses it waited for.
    case waitTimedOut(taskID: Int, status: String?, timeout: Duration, reach: [String]?, leave: [String]?)

    /// The one-line message.
    public var message: String {
        switch self {
        case .passwordOnCommandLine:
            return "a password is never accepted on the command line; use --password-env VAR, ATS_PASSWORD, a profile's password_command, or --ask-password"
        case .unknownFormat(let f): return "unknown output format '\(f)'; use pretty, table, json, jsonl, csv or raw"
        case .badDuration(let d): return "'\(d)' is not a duration; write a number with a unit: 500ms, 10s, 5m, 2h, 1d"
        case .unreadableFile(let f, let d): return "cannot read \(f): \(d)"
        case .badConfig(let p, let d): return "\(p): \(d)"
        case .unknownProfile(let n, let p): return "no profile '\(n)' in \(p)"
        case .passwordCommandFailed(let c, let d): return "password_command '\(c)' failed: \(d)"
        case .passwordVariableUnset(let v): return "the environment variable \(v) (for the password) is not set"
        case .notConnected: return "not connected; run `connect URL`, `connect sim` or `connect --profile NAME` first"
        case .nothingToConnect: return "connect needs a URL, sim, or --profile NAME (or ATS_URL / ATS_PROFILE)"
        case .missingUser: return "connect needs a user: --user NAME, ATS_USER, or a profile's user"
        case .missingPassword(let u):
            return "no password for \(u): use --password-env VAR, ATS_PASSWORD, --ask-password, or a profile's password_env / password_command"
        case .badArgument(_, let a, let e): return "'\(a)' is not \(e)"
        case .missingArgument(let c, let n): return "\(c) needs \(n)"
        case .unknownStatus(let s, let sug):
            return "unknown task status '\(s)'" + "; " + (NearMiss.question(sug.map { [$0] } ?? []) ?? "`help statuses` lists them")
        case .unknownService(let s): return "no service named '\(s)'"
        case .unknownGroup(let g): return "no service group named '\(g)'"
        case .unknownButton(let b, let offered):
            return "the task offers no button '\(b)'" + (offered.isEmpty ? "" : "; it offers \(offered.joined(separator: ", "))")
        case .declined(let c): return "\(c): not confirmed, nothing done"
        case .unknownTopic(let t, let s):
            return "no command or topic '\(t)'" + (NearMiss.question(s).map { "; " + $0 } ?? "")
        case .waitTimedOut(let id, _, let timeout, let reach, let leave):
            let goal = reach.map { "reach " + ListPhrase.or($0) } ?? "leave " + ListPhrase.or(leave ?? [])
            return "task \(id) did not \(goal) within \(DurationText.format(timeout))"
        }
    }

    /// The lines under the message: why, and what to do.
    public var details: [String] {
        switch self {
        case .waitTimedOut(let id, let status, _, _, _):
            return ["its status is \"\(status ?? "unknown")\"; wait longer with --timeout, or look at it with `task \(id)`"]
        case .passwordOnCommandLine, .unknownFormat, .badDuration,
             .unreadableFile, .badConfig, .unknownProfile, .passwordCommandFailed, .passwordVariableUnset, .notConnected,
             .nothingToConnect, .missingUser, .missingPassword, .badArgument, .missingArgument, .unknownStatus,
             .unknownService, .unknownGroup, .unknownButton, .declined, .unknownTopic:
            return []
        }
    }

    /// The kind an error value of this carries (`script` for misuse, `auth` for passwords).
    var kind: ErrorKind {
        switch self {
        case .passwordOnCommandLine, .passwordCommandFailed, .passwordVariableUnset, .missingUser, .missingPassword:
            return .auth
        case .unknownFormat, .badDuration, .unreadableFile,
             .badConfig, .unknownProfile, .notConnected, .nothingToConnect, .badArgument, .missingArgument, .unknownStatus,
             .unknownService, .unknownGroup, .unknownButton, .declined, .unknownTopic:
            return .script
        case .waitTimedOut:
            return .timeout
        }
    }

    /// This error as a value scripts can catch.
    func errorValue(command: String? = nil, location: SourceLocation? = nil) -> ErrorValue {
        var fields = ValueObject()
        if case .waitTimedOut = self { fields["kind"] = .string(kind.rawValue) }
        fields["message"] = .string(message)
        if case .waitTimedOut(let id, let status, _, _, _) = self {
            fields["status"] = status.map(Value.string) ?? .null
            fields["taskID"] = .int(id)
            if let location { fields["location"] = .string(location.description) }
        }
        return ErrorValue(kind: kind, summary: message, details: details, command: command, fields: fields, location: location)
    }
}

/// What can go wrong in the output layer. Messages are written here and nowhere else.
public enum OutputFailure: Sendable, Hashable {
    /// `--output xml`, `format yaml`.
    case unknownFormat(String)
    /// An output stage used without a value before it (`csv` alone).
    case missingInput(stage: String)
    /// `--columns` given something that is not a list of names (`--columns 3`, `--columns ""`).
    case badColumns(stage: String, given: String)
    /// `OutputStages.run` was handed a command that is not an output stage (a wiring mistake).
    case notAnOutputStage(String)

    /// The script-visible error (kind `script`).
    public func errorValue(command: String?, location: SourceLocation? = nil) -> ErrorValue {
        var fields = ValueObject()
        switch self {
        case .unknownFormat(let name):
            let names = OutputFormat.names + [OutputFormat.autoName]
            var details = ["the formats are: " + names.joined(separator: ", ")]
            if let near = names.first(where: { !name.isEmpty && $0.hasPrefix(name.lowercased()) })
                ?? NearMiss.nearest(name, among: names, maximum: 2)
            {
                details.insert(NearMiss.question([near])!, at: 0)
            }
            fields["format"] = .string(name)
            return ErrorValue(
                kind: .script, summary: "unknown output format \"\(name)\"", details: details,
                command: command, fields: fields, location: location)
        case .missingInput(let stage):
            return ErrorValue(
                kind: .script, summary: "`\(stage)` needs a value to render",
                details: ["use it after a pipe: `tasks | \(stage)`"],
                command: command, fields: fields, location: location)
        case .badColumns(let stage, let given):
            fields["columns"] = .string(given)
            return ErrorValue(
                kind: .script, summary: "`\(stage) --columns` expects member names, got \(given)",
                details: ["write them separated by commas: `\(stage) --columns instanceID,name,status`"],
                command: command, fields: fields, location: location)
        case .notAnOutputStage(let name):
            return ErrorValue(
                kind: .script, summary: "`\(name)` is not an output stage",
                details: ["the output stages are: " + OutputStages.names.joined(separator: ", ")],
                command: command, fields: fields, location: location)
        }
    }
}
