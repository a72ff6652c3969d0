import ATSJSON

/// Every text of `APIError`, in one place. Switches are exhaustive, without `default:`.
enum APIErrorMessages {
    /// HTTP statuses the API documents (reference §1.11), plus 503; others are `.other`.
    enum KnownStatus {
        case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, notAcceptable, conflict
        case preconditionFailed, unsupportedMediaType, serverError, serviceUnavailable
        case other(Int)

        init(_ code: Int) {
            switch code {
            case 400: self = .badRequest
            case 401: self = .unauthorized
            case 403: self = .forbidden
            case 404: self = .notFound
            case 405: self = .methodNotAllowed
            case 406: self = .notAcceptable
            case 409: self = .conflict
            case 412: self = .preconditionFailed
            case 415: self = .unsupportedMediaType
            case 500: self = .serverError
            case 503: self = .serviceUnavailable
            default: self = .other(code)
            }
        }
    }

    static func summary(_ e: APIError) -> String {
        if let f = e.transportFailure { return transportSummary(f, e) }
        if let d = e.decodingProblem {
            switch d {
            case .malformedJSON(let p): return "the server's answer is not valid JSON (\(p))"
            case .unexpectedShape(let expected): return "the server's answer is not \(expected)"
            case .emptyBody(let expected): return "the server's answer is empty; expected \(expected)"
            }
        }
        let status = e.status ?? 0
        let reason = (e.reason?.isEmpty ?? true) ? HTTPStatusText.reason(for: status) : e.reason!
        return "\(status) \(reason)".trimmingSpaces()
    }

    static func details(_ e: APIError) -> [String] {
        var lines: [String] = []
        if let f = e.transportFailure {
            lines += transportDetails(f, e)
        } else if let d = e.decodingProblem {
            switch d {
            case .malformedJSON, .unexpectedShape, .emptyBody:
                lines.append("while trying to \(describe(e.operation)); \(e.method) \(e.url)")
                if let s = e.status { lines.append("HTTP status was \(s)") }
            }
        } else if let status = e.status {
            lines += statusDetails(KnownStatus(status), e)
        }
        if e.maybeApplied, let route = e.route { lines.insert(maybeDone(route, e.operation), at: 0) }
        if let s = e.server {
            let text = [s.messageID, s.message].compactMap { $0 }.joined(separator: " ")
            if !text.isEmpty { lines.append("server: \(text)") }
            if let d = s.messageData, !d.isEmpty { lines.append("server detail: \(d)") }
        } else if let b = e.bodyExcerpt, !b.isEmpty {
            lines.append("server said: \(b)")
        }
        return lines
    }

    private static func transportSummary(_ f: TransportFailure, _ e: APIError) -> String {
        let server = (try? ServerAddress(parsing: e.url))?.display
        switch f {
        case .connect(let host, let port, let detail):
            return "cannot connect to \(hostPort(host, port))" + (detail.isEmpty ? "" : ": \(detail)")
        case .timeout(let seconds):
            return "no complete answer" + (server.map { " from \($0)" } ?? "") + " within \(formatSeconds(seconds))"
        case .tls(let detail): return "TLS handshake" + (server.map { " with \($0)" } ?? "") + " failed: \(detail)"
        case .closed(let detail):
            return "the server closed the connection before the answer was complete" + (detail.isEmpty ? "" : " (\(detail))")
        case .tooLarge(let limit): return "the answer is larger than the limit of \(formatBytes(limit))"
        case .invalidURL(let text): return "invalid server URL: \(text)"
        case .cancelled: return "the request was cancelled"
        case .other(let text): return "the request failed: \(text)"
        }
    }

    private static func transportDetails(_ f: TransportFailure, _ e: APIError) -> [String] {
        switch f {
        case .connect: return ["is the server running, is the port right?"]
        case .timeout:
            return ["the server may be busy or unreachable; try again, or allow more time with --timeout"]
        case .tls:
            return [
                "if the server uses a private CA, use --cacert FILE; to skip verification (unsafe) use --insecure"
            ]
        case .closed: return ["the server or a proxy dropped the connection; try again"]
        case .tooLarge:
            return ["narrow the request (HQL::fields, a filter, a smaller limit) or raise the size limit"]
        case .invalidURL: return ["use http://HOST:PORT or https://HOST:PORT, e.g. http://aohost:22015"]
        case .cancelled: return []
        case .other: return ["while trying to \(describe(e.operation)); \(e.method) \(e.url)"]
        }
    }

    private static func statusDetails(_ s: KnownStatus, _ e: APIError) -> [String] {
        let op = e.operation
        switch s {
        case .badRequest:
            switch op.verb {
            case .list, .deleteMatching:
                return ["the server rejected a query parameter: check the filter (HQL), sort, field names and dates"]
            case .get, .edit, .delete, .listActions, .actionTemplate, .invoke, .importTemplate, .raw, .connect:
                return ["the server rejected the request as invalid (an argument, a parameter value or the body)"]
            }
        case .unauthorized:
            return [
                "check the user and password, and that the user has login permission",
                "(401 is also returned when the user has no permission for the service group)",
            ]
        case .forbidden:
            return ["the user is logged in, but their role does not allow this request (needs a role such as Admin, Develop or Modify)"]
        case .notFound:
            switch op.verb {
            case .actionTemplate(let name), .invoke(let name):
                return ["\(noun(op)) does not exist or is not visible to this user, or it has no action '\(name)'"]
            case .list, .get, .edit, .delete, .deleteMatching, .listActions, .importTemplate, .raw, .connect:
                return ["\(noun(op)) does not exist or is not visible to this user"]
            }
        case .methodNotAllowed: return ["the server does not allow \(e.method) on this resource"]
        case .notAcceptable: return ["the server cannot answer in the requested format (Accept)"]
        case .unsupportedMediaType: return ["the server does not accept the body's format (Content-Type)"]
        case .conflict: return conflictDetails(e)
        case .preconditionFailed:
            return ["the server is starting or not available; retry later"]
        case .serviceUnavailable:
            return ["the server is unavailable; retry later"]
        case .serverError: return ["the server reported an internal error while trying to \(describe(op))"]
        case .other(let code):
            if (300..<400).contains(code) { return ["unexpected redirect while trying to \(describe(op))"] }
            return ["unexpected HTTP status while trying to \(describe(op))"]
        }
    }

    private static func conflictDetails(_ e: APIError) -> [String] {
        let op = e.operation
        let needs = e.acceptedStatuses.isEmpty ? nil : orList(e.acceptedStatuses)
        let current = e.taskStatus.map { "the task is \"\($0)\"" }
        switch op.verb {
        case .invoke(let name), .actionTemplate(let name):
            switch op.resource {
            case .tasks:
                let action = TaskAction(rawValue: name)?.displayName ?? name
                let first = current ?? "the task's status does not allow \(action)"
                if let needs { return ["\(first); \(action) needs \(needs)"] }
                return [first]
            case .schedules:
                let action = ScheduleAction(rawValue: name)?.displayName ?? name
                let first = "the schedule's task is not in a status that allows \(action)"
                if let needs { return ["\(first); \(action) needs \(needs)"] }
                return [first]
            case .services:
                return ["the service's current state does not allow this change"]
            case .serviceTemplates, .flowSteps, .taskLogs, .taskHistories, .propertyDefinitions,
                .propertyInformations, .propertyValues, .propertyGroups, .serviceGroups, .tagGroups, .tags, .user,
                .version, .server:
                return ["the request conflicts with the object's current state"]
            }
        case .delete:
            switch op.resource {
            case .services:
                return ["tasks made from this service still exist; archive them first (histories do not block)"]
            case .serviceTemplates:
                return ["a service was made from this template, or another template uses it as a component"]
            case .schedules, .tasks, .flowSteps, .taskLogs, .taskHistories, .propertyDefinitions, .propertyInformations,
                .propertyValues, .propertyGroups, .serviceGroups, .tagGroups, .tags, .user, .version, .server:
                return ["the request conflicts with the object's current state"]
            }
        case .list, .get, .edit, .deleteMatching, .listActions, .importTemplate, .raw, .connect:
            return ["the request conflicts with existing data or the object's current state"]
        }
    }

    /// "the force stop may have been carried out: check with task 5381".
    private static func maybeDone(_ route: Route, _ op: APIOperation) -> String {
        let check = route.check.map { "check with " + noun($0.operation(route.check?.takesID == true ? op.id : nil)) }
        return "the \(deed(op)) may have been carried out" + (check.map { ": " + $0 } ?? "")
    }

    /// What a state-changing operation does, as a noun: "force stop", "deletion", …
    private static func deed(_ op: APIOperation) -> String {
        switch op.verb {
        case .invoke(let name):
            switch op.resource {
            case .tasks:
                switch TaskAction(rawValue: name) {
                case .stop?: return "stop"
                case .forceStop?: return "force stop"
                case .resubmit?: return "resubmit"
                case .response?: return "response"
                case .rerunStart?, .rerunStepStart?: return "retry"
                case .archive?: return "archive"
                case nil: return name
                }
            case .services:
                switch ServiceAction(rawValue: name) {
                case .submit?: return "submit"
                case .reset?: return "reset"
                case .release?: return "release"
                case .maintenance?: return "change to maintenance"
                case .disable?: return "disable"
                case .applyTemplate?: return "change of template version"
                case .detailhelp?, nil: return name
                }
            case .serviceTemplates: return name == "bind" ? "creation of the service" : name
            case .schedules, .flowSteps, .taskLogs, .taskHistories, .propertyDefinitions, .propertyInformations,
                .propertyValues, .propertyGroups, .serviceGroups, .tagGroups, .tags, .user, .version, .server:
                return name
            }
        case .edit: return "change"
        case .delete, .deleteMatching: return "deletion"
        case .importTemplate: return "import"
        case .list, .get, .listActions, .actionTemplate, .raw, .connect: return "request"
        }
    }

    /// "force stop task 5381", "list tasks", …
    static func describe(_ op: APIOperation) -> String {
        switch op.verb {
        case .list: return "list \(plural(op.resource))"
        case .get: return "read \(noun(op))"
        case .edit: return "edit \(noun(op))"
        case .delete: return "delete \(noun(op))"
        case .deleteMatching: return "delete \(plural(op.resource))"
        case .listActions: return "list the actions of \(noun(op))"
        case .actionTemplate(let name): return "get the '\(name)' template of \(noun(op))"
        case .invoke(let name):
            if op.resource == .tasks, let action = TaskAction(rawValue: name) { return taskPhrase(action, noun(op)) }
            return "\(actionWords(name, op.resource)) \(noun(op))"
        case .importTemplate: return "import a service template"
        case .raw: return "send the request"
        case .connect: return "connect"
        }
    }

    /// "force stop task 5", "retry task 5 from the failed step", …
    private static func taskPhrase(_ action: TaskAction, _ object: String) -> String {
        switch action {
        case .stop: return "stop \(object)"
        case .forceStop: return "force stop \(object)"
        case .resubmit: return "resubmit \(object)"
        case .response: return "respond to \(object)"
        case .rerunStart: return "retry \(object) from the failed step"
        case .rerunStepStart: return "retry \(object) from the next step"
        case .archive: return "archive \(object)"
        }
    }

    private static func actionWords(_ name: String, _ r: APIOperation.Resource) -> String {
        switch r {
        case .tasks: return TaskAction(rawValue: name)?.displayName ?? name
        case .schedules: return ScheduleAction(rawValue: name)?.displayName ?? name
        case .services: return ServiceAction(rawValue: name)?.displayName ?? name
        case .serviceTemplates: return ServiceTemplateAction(rawValue: name)?.displayName ?? name
        case .flowSteps, .taskLogs, .taskHistories, .propertyDefinitions, .propertyInformations, .propertyValues,
            .propertyGroups, .serviceGroups, .tagGroups, .tags, .user, .version, .server:
            return name
        }
    }

    /// "task 5381", "the task", "service template 560", …
    static func noun(_ op: APIOperation) -> String {
        let word = singular(op.resource)
        if let id = op.id { return "\(word) \(id)" }
        return "the \(word)"
    }

    private static func singular(_ r: APIOperation.Resource) -> String {
        switch r {
        case .serviceTemplates: return "service template"
        case .services: return "service"
        case .schedules: return "schedule"
        case .tasks: return "task"
        case .flowSteps: return "task's step list"
        case .taskLogs: return "task's log"
        case .taskHistories: return "task history record"
        case .propertyDefinitions: return "property definition"
        case .propertyInformations: return "property information"
        case .propertyValues: return "property value"
        case .propertyGroups: return "property group"
        case .serviceGroups: return "service group"
        case .tagGroups: return "tag group"
        case .tags: return "tag"
        case .user: return "user information"
        case .version: return "version information"
        case .server: return "resource"
        }
    }

    private static func plural(_ r: APIOperation.Resource) -> String {
        switch r {
        case .serviceTemplates: return "service templates"
        case .services: return "services"
        case .schedules: return "schedules"
        case .tasks: return "tasks"
        case .flowSteps: return "the steps of a task"
        case .taskLogs: return "the log of a task"
        case .taskHistories: return "task history records"
        case .propertyDefinitions: return "property definitions"
        case .propertyInformations: return "property informations"
        case .propertyValues: return "property values"
        case .propertyGroups: return "property groups"
        case .serviceGroups: return "service groups"
        case .tagGroups: return "tag groups"
        case .tags: return "tags"
        case .user: return "user information"
        case .version: return "version information"
        case .server: return "resources"
        }
    }

    /// "A, B or C"
    static func orList(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " or " + items.last!
        }
    }

    private static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func formatSeconds(_ s: Double) -> String {
        if s == s.rounded() { return "\(Int(s)) s" }
        return "\((s * 10).rounded() / 10) s"
    }

    private static func formatBytes(_ n: Int) -> String {
        if n >= 1024 * 1024, n % (1024 * 1024) == 0 { return "\(n / (1024 * 1024)) MiB" }
        if n >= 1024, n % 1024 == 0 { return "\(n / 1024) KiB" }
        return "\(n) bytes"
    }

    /// A non-JSON body as one short line of text: tags removed, whitespace collapsed, cut at
    /// `limit` characters.
    static func excerpt(_ body: [UInt8], limit: Int = 300) -> String {
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        var out = ""
        var inTag = false
        var lastSpace = true
        for ch in text {
            if ch == "<" {
                inTag = true
                continue
            }
            if inTag {
                if ch == ">" {
                    inTag = false
                    if !lastSpace {
                        out.append(" ")
                        lastSpace = true
                    }
                }
                continue
            }
            if ch.isWhitespace {
                if !lastSpace {
                    out.append(" ")
                    lastSpace = true
                }
            } else {
                out.append(ch)
                lastSpace = false
            }
            if out.count > limit { break }
        }
        out = out.trimmingSpaces()
        if out.count > limit { out = String(out.prefix(limit)) + "…" }
        return out
    }
}
