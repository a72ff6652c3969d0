import AOClient
import ATSJSON
import ATSLanguage
import Foundation

/// Tasks, steps, logs, actions, waiting, and task histories.
enum TaskHandlers {
    static let table: [String: ShellHost.Handler] = [
        "tasks": tasks,
        "task": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            return CommandRun.value(try run.get("/objects/Tasks/\(id)", hint: .object(resource: "Tasks", id: id)))
        },
        "task delete": { run throws(ErrorValue) in
            let ids = try run.ids(what: "a task id")
            try run.confirm("delete \(ids.count) tasks (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
            for id in ids {
                try run.send(APIRequestSpec("DELETE", "/objects/Tasks/\(id)"), hint: .object(resource: "Tasks", id: id))
                run.note("deleted task \(id)")
            }
            return .null
        },
        "steps": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let body = try run.get("/objects/FlowSteps", query: [("taskID", String(id))], hint: .object(resource: "Tasks", id: id))
            return CommandRun.value(body["data"]?.arrayValue ?? [])
        },
        "log": log,
        "actions": actions,
        "stop": stop,
        "respond": respond,
        "retry": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let action = run.flag("from-next-step") ? "rerunStepStart" : "rerunStart"
            try run.invoke("Tasks", id, action, hint: .taskAction(id: id, action: action, currentStatus: nil))
            run.note("retrying task \(id)")
            return .null
        },
        "resubmit": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let params = try run.keyValues("param")
            let job = try run.invoke("Tasks", id, "resubmit", hint: .taskAction(id: id, action: "resubmit", currentStatus: nil)) {
                (template: inout JSON) throws(ErrorValue) in
                ServiceHandlers.setProperties(params, in: &template)
            }
            return try ServiceHandlers.createdTask(job, run: run)
        },
        "archive": { run throws(ErrorValue) in
            let ids = try run.ids(what: "a task id")
            try run.confirm("archive \(ids.count) tasks (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
            for id in ids {
                try run.invoke("Tasks", id, "archive", hint: .taskAction(id: id, action: "archive", currentStatus: nil))
                run.note("archived task \(id)")
            }
            return .null
        },
        "note": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            return try editTask(run, id: id, member: "notes", value: .string(run.string(1) ?? ""))
        },
        "todo": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let on: Bool
            switch run.string(1)?.lowercased() {
            case "on"?, "true"?, "yes"?: on = true
            case "off"?, "false"?, "no"?: on = false
            default: throw run.bad(run.argument(1) ?? .null, expected: "on or off")
            }
            return try editTask(run, id: id, member: "toDo", value: .bool(on))
        },
        "wait": wait,
        "history": history,
        "history delete": historyDelete,
    ]

    /// `tasks`: the filters become plain query parameters and HQL.
    static func tasks(_ run: CommandRun) throws(ErrorValue) -> Value {
        var filters: [String] = []
        var query: [(String, String)] = []
        if let statuses = run.list("status") {
            let api: [String]
            do { api = try StatusNames.resolveList(statuses) } catch { throw run.failure(error) }
            if !api.isEmpty { filters.append("status in [" + api.map(HQLOptions.quote).joined(separator: ", ") + "]") }
        }
        if let service = run.option("service") {
            if let id = Int(service) { query.append(("serviceID", String(id))) } else {
                filters.append(serviceNameFilter(service))
            }
        }
        if let group = run.option("group") { query.append(("serviceGroupID", String(try ResourceHandlers.groupID(group, run: run)))) }
        if let tags = run.option("tag") { query.append(("tags", tags)) }
        if let q = run.option("search") { query.append(("q", q)) }
        query += try run.listQuery(extraFilters: filters)
        let items = try run.list("/objects/Tasks", query: query, limit: try run.limit(), all: run.flag("all"))
        run.state.lastTaskIDs = items.compactMap { $0["instanceID"]?.intValue }
        return CommandRun.value(items)
    }

    /// The HQL filter of `tasks --service NAME`.
    static func serviceNameFilter(_ name: String) -> String { "serviceName eq " + HQLOptions.quote(name) }

    /// `log ID [--tail N] [--follow]`.
    static func log(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a task id")
        var tail: Int?
        if let v = run.optionValue("tail") {
            guard let n = CommandRun.id(v), n >= 0 else { throw run.bad(v, expected: "a number of lines") }
            tail = n
        }
        func lines() throws(ErrorValue) -> [String] {
            let body = try run.get("/objects/TaskLogs", query: [("taskID", String(id))], hint: .object(resource: "Tasks", id: id))
            return logLines(body)
        }
        var all = try lines()
        let shown = tail.map { Array(all.suffix($0)) } ?? all
        guard run.flag("follow") else { return .list(shown.map(Value.string)) }
        for line in shown { run.context.output.write(line + "\n") }
        while true {
            let status = try run.get("/objects/Tasks/\(id)")["status"]?.stringValue
            if let status, StatusNames.finished.contains(status) { break }
            if !sleep(2, run: run) { break }
            let next = try lines()
            if next.count > all.count {
                for line in next[all.count...] { run.context.output.write(line + "\n") }
            }
            all = next
        }
        let final = try lines()
        if final.count > all.count { for line in final[all.count...] { run.context.output.write(line + "\n") } }
        return .null
    }

    /// The lines of a TaskLogs response, whatever its shape: a list of strings, of objects
    /// with a line/message member, or one text member.
    static func logLines(_ body: JSON) -> [String] {
        func text(_ item: JSON) -> [String] {
            switch item {
            case .string(let s): return s.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            case .object(let o):
                for key in ["line", "message", "text", "log", "contents", "content", "data"] {
                    if let v = o[key] { return text(v) }
                }
                return [JSONWriter.compact.string(item)]
            case .array(let a): return a.flatMap(text)
            default: return [JSONWriter.compact.string(item)]
            }
        }
        var out = text(body["data"] ?? body)
        while out.last == "" { out.removeLast() }
        return out
    }

    /// Sleeps while watching the interrupt flag; false when interrupted.
    static func sleep(_ seconds: Double, run: CommandRun) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if run.context.interrupt.isRaised { return false }
            Thread.sleep(forTimeInterval: min(0.05, max(0, end.timeIntervalSinceNow)))
        }
        return !run.context.interrupt.isRaised
    }

    /// `actions ID [ACTION] [--of KIND]`.
    static func actions(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0)
        let kind = run.option("of")?.lowercased() ?? "task"
        let resource: String
        switch kind {
        case "task", "tasks": resource = "Tasks"
        case "service", "services": resource = "Services"
        case "schedule", "schedules": resource = "Schedules"
        case "template", "templates": resource = "ServiceTemplates"
        case "history", "histories": resource = "TaskHistories"
        default: throw run.bad(.string(kind), expected: "task, service, schedule, template or history")
        }
        var path = "/objects/\(resource)/\(id)/actions"
        if let action = run.string(1) {
            path += "/\(action)"
            return CommandRun.value(try run.get(path, hint: .resourceAction(resource: resource, id: id, action: action)))
        }
        let body = try run.get(path, hint: .object(resource: resource, id: id))
        return CommandRun.value(body["data"]?.arrayValue ?? [])
    }

    /// `stop ID… [--force]`.
    static func stop(_ run: CommandRun) throws(ErrorValue) -> Value {
        let ids = try run.ids(what: "a task id")
        let force = run.flag("force")
        let action = force ? "forceStop" : "stop"
        if force {
            try run.confirm("force-stop \(ids.count) tasks (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
        }
        for id in ids {
            try run.invoke("Tasks", id, action, hint: .taskAction(id: id, action: action, currentStatus: nil))
            run.note(force ? "force-stopping task \(id)" : "stopping task \(id)")
        }
        return .null
    }

    /// `respond ID [--button N|LABEL]`: keeps the chosen `labelbuttonN` in the template's
    /// ResponseInput and drops the others.
    static func respond(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a task id")
        let choice = run.option("button") ?? "1"
        try run.invoke("Tasks", id, "response", hint: .taskAction(id: id, action: "response", currentStatus: nil)) {
            (template: inout JSON) throws(ErrorValue) in
            guard case .array(var params)? = template["parameters"] else { return }
            for (index, param) in params.enumerated() {
                guard case .object(let object) = param, object.keys.contains(where: { $0.hasPrefix("labelbutton") }) else { continue }
                let buttons = object.keys.filter { $0.hasPrefix("labelbutton") }
                let chosen: String? = Int(choice).map { "labelbutton\($0)" }.flatMap { buttons.contains($0) ? $0 : nil }
                    ?? buttons.first { object[$0]?.stringValue?.lowercased() == choice.lowercased() }
                guard let chosen else {
                    throw run.failure(.unknownButton(choice, offered: buttons.compactMap { object[$0]?.stringValue }))
                }
                var kept = JSONObject()
                for (k, v) in object where !k.hasPrefix("labelbutton") || k == chosen { kept[k] = v }
                if kept["taskId"] == nil || kept["taskId"] == .null { kept["taskId"] = .int(id) }
                params[index] = .object(kept)
            }
            template = template.setting("parameters", .array(params))
        }
        run.note("answered task \(id) with button \(choice)")
        return .null
    }

    /// PUT of one task member (`notes`, `toDo`).
    static func editTask(_ run: CommandRun, id: Int, member: String, value: JSON) throws(ErrorValue) -> Value {
        let hint = ErrorHint.object(resource: "Tasks", id: id)
        let current = try run.get("/objects/Tasks/\(id)", hint: hint)
        let body: JSON = ["notes": current["notes"] ?? "", "toDo": current["toDo"] ?? false]
        guard let reply = try run.send(APIRequestSpec("PUT", "/objects/Tasks/\(id)", body: .json(body.setting(member, value))), hint: hint)
        else { return .null }
        return CommandRun.value(reply.json ?? .null)
    }

    /// `wait ID [--until S…|--while S…] [--timeout DUR] [--every DUR]`: polls the task.
    static func wait(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a task id")
        let until: [String]?, whileStatuses: [String]?
        do {
            until = try run.list("until").map { names throws(ShellError) in try StatusNames.resolveList(names) }
            whileStatuses = try run.list("while").map { names throws(ShellError) in try StatusNames.resolveList(names) }
        } catch { throw run.failure(error) }
        let target = until ?? (whileStatuses == nil ? StatusNames.finished : nil)
        let timeout = try run.duration("timeout", default: .seconds(600)) ?? .seconds(600)
        let every = max(DurationParser.seconds(try run.duration("every", default: .seconds(2)) ?? .seconds(2)), 0.05)
        let started = Date()
        var lastStatus: String?
        while true {
            let task = try run.get("/objects/Tasks/\(id)", hint: .object(resource: "Tasks", id: id))
            // A task that has no status yet is not an error: keep polling.
            let status = task["status"]?.stringValue
            if let status {
                if let target, target.contains(status) { return CommandRun.value(task) }
                if let whileStatuses, !whileStatuses.contains(status) { return CommandRun.value(task) }
            }
            let elapsed = Date().timeIntervalSince(started)
            if run.context.isInteractive || run.host.services.showsProgress, status != lastStatus {
                run.context.output.writeError("waiting for task \(id): \(status ?? "no status yet") (\(Int(elapsed))s)\n")
            }
            lastStatus = status
            let limit = DurationParser.seconds(timeout)
            if elapsed >= limit {
                throw timeoutError(run, id: id, status: status, timeout: timeout, target: target, whileStatuses: whileStatuses)
            }
            if !sleep(min(every, max(0, limit - elapsed)), run: run) {
                throw ErrorMapping.interrupted(run.call)
            }
        }
    }

    static func timeoutError(
        _ run: CommandRun, id: Int, status: String?, timeout: Duration, target: [String]?, whileStatuses: [String]?
    ) -> ErrorValue {
        ShellError.waitTimedOut(taskID: id, status: status, timeout: timeout, reach: target, leave: whileStatuses)
            .errorValue(command: run.call.text, location: run.call.location)
    }

    /// `history [ID] [filters]`.
    static func history(_ run: CommandRun) throws(ErrorValue) -> Value {
        if run.argument(0) != nil {
            let id = try run.id(0, what: "a history record id")
            return CommandRun.value(try run.get("/objects/TaskHistories/\(id)", hint: .object(resource: "TaskHistories", id: id)))
        }
        var query: [(String, String)] = []
        if let from = run.date("from") { query.append(("start", from)) }
        if let to = run.date("to") { query.append(("end", to)) }
        if let group = run.option("group") { query.append(("serviceGroupID", String(try ResourceHandlers.groupID(group, run: run)))) }
        if let tags = run.option("tag") { query.append(("tags", tags)) }
        if let q = run.option("search") { query.append(("q", q)) }
        query += try run.listQuery(extraFilters: [])
        return CommandRun.value(try run.list("/objects/TaskHistories", query: query, limit: try run.limit(), all: run.flag("all")))
    }

    /// `history delete ID…` or `history delete --from … --to … --group …`.
    static func historyDelete(_ run: CommandRun) throws(ErrorValue) -> Value {
        let ids = try run.ids(what: "a history record id")
        if ids.isEmpty {
            var query: [(String, String)] = []
            if let from = run.date("from") { query.append(("start", from)) }
            if let to = run.date("to") { query.append(("end", to)) }
            if let group = run.option("group") { query.append(("serviceGroupID", String(try ResourceHandlers.groupID(group, run: run)))) }
            guard !query.isEmpty else { throw run.missing("record ids, or --from/--to/--group") }
            try run.confirm("delete every history record matching \(query.map { "\($0.0)=\($0.1)" }.joined(separator: " "))", count: 2)
            try run.send(APIRequestSpec("DELETE", "/objects/TaskHistories", query: query))
            run.note("deleted matching history records")
            return .null
        }
        try run.confirm("delete \(ids.count) history records (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
        for id in ids {
            try run.send(APIRequestSpec("DELETE", "/objects/TaskHistories/\(id)"), hint: .object(resource: "TaskHistories", id: id))
            run.note("deleted history record \(id)")
        }
        return .null
    }
}

extension JSON {
    /// A copy of this object with `key` set (appended when new); other values unchanged.
    func setting(_ key: String, _ value: JSON) -> JSON {
        guard case .object(var o) = self else { return self }
        o[key] = value
        return .object(o)
    }
}
