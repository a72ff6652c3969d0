import AOClient
import ATSJSON
import ATSLanguage
import ATSSupport

/// What the shell knows about the operation that failed, to explain an API error in its
/// terms ("the task is "completed"; force stop needs …").
enum ErrorHint: Sendable {
    case none
    /// An action on a task; `currentStatus` is looked up after a 409.
    case taskAction(id: Int, action: String, currentStatus: String?)
    /// An action on another resource (`Services`, `Schedules`, …).
    case resourceAction(resource: String, id: Int, action: String)
    /// Reading or changing one object.
    case object(resource: String, id: Int)
}

/// API and transport errors become script error values here, and only here.
enum ErrorMapping {
    /// A command stopped by Ctrl-C while it waited.
    struct Interrupted: Error {}

    /// The HTTP status of a failure, if it was an HTTP error.
    static func status(of error: any Error) -> Int? {
        (error as? APIError)?.status
    }

    /// The error value for `error`, raised by `call` while sending `request`.
    static func errorValue(
        _ error: any Error, request: APIRequestSpec?, baseURL: String?, call: CommandCall, hint: ErrorHint
    ) -> ErrorValue {
        let url = request.map { (baseURL ?? "") + $0.path } ?? ""
        var fields = ValueObject()
        func common(kind: String, message: String) {
            fields["kind"] = .string(kind)
            fields["message"] = .string(message)
            if let request {
                fields["method"] = .string(request.method)
                fields["url"] = .string(url)
            }
            if let l = call.location { fields["location"] = .string(l.description) }
        }
        switch error {
        case let e as ErrorValue:
            return e
        case let e as ShellError:
            return e.errorValue(command: call.text, location: call.location)
        case is Interrupted, is CancellationError:
            common(kind: "interrupted", message: "interrupted")
            return ErrorValue(kind: "interrupted", summary: "interrupted", command: call.text, fields: fields, location: call.location)
        case let e as APIError:
            if e.isCancelled {
                return errorValue(Interrupted(), request: request, baseURL: baseURL, call: call, hint: hint)
            }
            if let failure = e.transportFailure {
                let (kind, summary, details) = describe(failure, url: e.url.isEmpty ? (baseURL ?? url) : e.url)
                common(kind: kind, message: summary)
                if !e.url.isEmpty {
                    fields["method"] = .string(e.method)
                    fields["url"] = .string(e.url)
                }
                return ErrorValue(kind: kind, summary: summary, details: details, command: call.text, fields: fields, location: call.location)
            }
            for (name, value) in e.fields { fields[name] = Value(value) }
            if fields["messageID"] == nil { fields["messageID"] = .null }
            if fields["message"] == nil { fields["message"] = .string(e.summary) }
            if let l = call.location { fields["location"] = .string(l.description) }
            let clientLines = e.details
            let serverLines = clientLines.filter { $0.hasPrefix("server") }
            var details = e.status.map { explanation(status: $0, hint: hint, request: request) } ?? []
            if details.isEmpty { details = clientLines.filter { !$0.hasPrefix("server") } }
            details += serverLines
            return ErrorValue(
                kind: e.kind.rawValue, summary: e.summary, details: details, command: call.text, fields: fields,
                location: call.location)
        case let e as CaseFileError:
            common(kind: "script", message: "\(e)")
            return ErrorValue(kind: "script", summary: "\(e)", command: call.text, fields: fields, location: call.location)
        case let e as TransportFailure:
            let (kind, summary, details) = describe(e, url: baseURL ?? url)
            common(kind: kind, message: summary)
            return ErrorValue(kind: kind, summary: summary, details: details, command: call.text, fields: fields, location: call.location)
        default:
            common(kind: "transport", message: "\(error)")
            return ErrorValue(kind: "transport", summary: "\(error)", command: call.text, fields: fields, location: call.location)
        }
    }

    /// host:port of a URL, for messages.
    static func hostPort(_ url: String) -> String {
        var rest = Substring(url)
        if let r = rest.range(of: "://") { rest = rest[r.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }

    static func describe(_ failure: TransportFailure, url: String) -> (String, String, [String]) {
        switch failure {
        case .connect(let host, let port, let detail):
            let what = detail.lowercased().contains("refused") || detail.isEmpty ? "connection refused" : "cannot connect (\(detail))"
            return ("transport", "\(what) at \(host):\(port)", ["is the server running, is the host name and port right?"])
        case .timeout(let seconds):
            let s = seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
            return ("timeout", "no response from \(hostPort(url)) within \(s)",
                    ["the server may be busy or unreachable; try again, or allow more time with --timeout"])
        case .tls(let detail):
            return ("tls", "TLS handshake with \(hostPort(url)) failed: \(detail)",
                    ["for a server with a private CA use --cacert FILE; --insecure skips verification (only on a trusted network)"])
        case .closed(let detail):
            return ("transport", "the server at \(hostPort(url)) closed the connection (\(detail))",
                    ["the server may have restarted; try again"])
        case .tooLarge(let limit):
            return ("transport", "the response from \(hostPort(url)) exceeded \(limit) bytes", ["narrow the request with --limit or --filter"])
        case .invalidURL(let u):
            return ("transport", "invalid URL \(u)", ["write the URL as http://host:port or https://host:port"])
        case .cancelled:
            return ("interrupted", "interrupted", [])
        case .other(let detail):
            return ("transport", "request to \(hostPort(url)) failed: \(detail)", [])
        }
    }

    /// Why the server said `status` to this operation, and what to do.
    static func explanation(status: Int, hint: ErrorHint, request: APIRequestSpec?) -> [String] {
        switch status {
        case 400: return ["the server rejected the request's arguments; check the values given (dates need a full ISO 8601 time)"]
        case 401: return ["the user name or password is wrong, the session expired, or the user lacks permission for this service group",
                          "connect again, or check the user's permissions in the server's GUI"]
        case 403: return ["the user's role does not allow this operation (it needs Admin, Develop or Modify for most changes)"]
        case 404:
            switch hint {
            case .taskAction(let id, _, _): return ["there is no task \(id), or you may not see it (archived tasks are under `history`)"]
            case .resourceAction(let r, let id, _), .object(let r, let id): return ["there is no \(singular(r)) \(id), or you may not see it"]
            case .none: return ["no such object or action, or you may not see it"]
            }
        case 409:
            switch hint {
            case .taskAction(_, let action, let current):
                let needed = StatusNames.statusesAllowing(action)
                var line = current.map { "the task is \"\($0)\"" } ?? "the task is not in a status that allows this"
                if !needed.isEmpty {
                    line += "; \(StatusNames.actionPhrase(action)) needs " + orList(needed)
                }
                return [line]
            case .resourceAction(let r, _, let action):
                return ["the \(singular(r))'s current state does not allow \(action)"]
            case .object(let r, _):
                return ["the \(singular(r)) is still in use (tasks or services depend on it)"]
            case .none: return ["the request conflicts with the object's current state"]
            }
        case 412: return ["the server is not ready (starting or stopping); try again shortly"]
        case 500: return ["the server failed; its logs say why"]
        default: return []
        }
    }

    static func singular(_ resource: String) -> String {
        switch resource {
        case "Tasks": return "task"
        case "Services": return "service"
        case "Schedules": return "schedule"
        case "ServiceTemplates": return "service template"
        case "TaskHistories": return "history record"
        case "PropertyValues": return "property value"
        case "PropertyDefinitions": return "property definition"
        case "ServiceGroups": return "service group"
        default: return resource
        }
    }

    static func orList(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " or " + items.last!
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 409: return "Conflict"
        case 412: return "Precondition Failed"
        case 415: return "Unsupported Media Type"
        case 500: return "Internal Server Error"
        default: return "HTTP \(status)"
        }
    }
}
