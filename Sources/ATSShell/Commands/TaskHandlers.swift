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
            return CommandRun.value(try run.call { c throws(APIError) in try await c.task(id) })
        },
        "task delete": { run throws(ErrorValue) in
            let ids = try run.ids(what: "a task id")
            try run.confirm("delete \(ids.count) tasks (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
            for id in ids {
                _ = try run.call { c throws(APIError) in try await c.deleteTask(id) }
                run.note("deleted task \(id)")
            }
            return .null
        },
        "steps": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            return CommandRun.value(try run.call { c throws(APIError) in try await c.flowSteps(taskID: id).items })
        },
        "log": log,
        "actions": actions,
        "stop": stop,
        "respond": respond,
        "retry": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let action: TaskAction = run.flag("from-next-step") ? .rerunStepStart : .rerunStart
            let job = try run.call { c throws(APIError) in try await c.invokeTaskAction(id, action) }
            return run.job(job, did: action.rawValue)
        },
        "resubmit": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let request = SubmitRequest(properties: try run.keyValues("param").map { PropertySetting($0.0, $0.1) })
            let job = try run.call { c throws(APIError) in try await c.resubmitTask(id, request) }
            return try ServiceHandlers.createdTask(job, run: run)
        },
        "archive": { run throws(ErrorValue) in
            let ids = try run.ids(what: "a task id")
            try run.confirm("archive \(ids.count) tasks (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
            return try taskAction(run, ids, .archive)
        },
        "note": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let notes = run.string(1) ?? ""
            return CommandRun.value(try run.call { c throws(APIError) in try await c.editTask(id, notes: notes) })
        },
        "todo": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a task id")
            let on: Bool
            switch run.string(1)?.lowercased() {
            case "on"?, "true"?, "yes"?: on = true
            case "off"?, "false"?, "no"?: on = false
            default: throw run.bad(run.argument(1) ?? .null, expected: "on or off")
            }
            return CommandRun.value(try run.call { c throws(APIError) in try await c.editTask(id, toDo: on) })
        },
        "wait": wait,
        "history": history,
        "history delete": historyDelete,
    ]

    /// `tasks`: the filters become plain query parameters and HQL.
    static func tasks(_ run: CommandRun) throws(ErrorValue) -> Value {
        var filters: [String] = []
        var query = TaskQuery()
        if let statuses = run.list("status") {
            let api: [String]
            do { api = try StatusNames.resolveList(statuses) } catch { throw run.failure(error) }
            if !api.isEmpty { filters.append("status in [" + api.map(HQLOptions.quote).joined(separator: ", ") + "]") }
        }
        if let service = run.option("service") {
            if let id = Int(service) { query.serviceID = id } else {
                filters.append(serviceNameFilter(service))
            }
        }
        if let group = run.option("group") { query.serviceGroupID = try ResourceHandlers.groupID(group, run: run) }
        if let tags = run.option("tag") { query.tags = [tags] }
        query.q = run.option("search")
        let items = try run.list(query, extraFilters: filters) { c, q throws(APIError) in try await c.listTasks(q) }
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
            logLines(try run.call { c throws(APIError) in try await c.taskLog(taskID: id) })
        }
        var all = try lines()
        let shown = tail.map { Array(all.suffix($0)) } ?? all
        guard run.flag("follow") else { return .list(shown.map(Value.string)) }
        for line in shown { run.context.output.write(line + "\n") }
        while true {
            let status = try run.call { c throws(APIError) in try await c.task(id) }["status"]?.stringValue
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
        run.host.services.world.clock.sleep(milliseconds: Int64((seconds * 1000).rounded()), interrupt: run.context.interrupt)
    }

    /// `actions ID [ACTION] [--of KIND]`.
    static func actions(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0)
        let kind = run.option("of")?.lowercased() ?? "task"
        let owner: AOClient.ActionOwner
        switch kind {
        case "task", "tasks": owner = .task
        case "service", "services": owner = .service
        case "schedule", "schedules": owner = .schedule
        case "template", "templates": owner = .serviceTemplate
        case "history", "histories": owner = .taskHistory
        case "definition", "definitions", "property-definition": owner = .propertyDefinition
        case "value", "values", "property-value", "props", "property": owner = .propertyValue
        default:
            throw run.bad(.string(kind), expected: "task, service, schedule, template, history, definition or value")
        }
        if let action = run.string(1) {
            return CommandRun.value(try run.call { c throws(APIError) in try await c.actionTemplate(of: owner, id, named: action) })
        }
        return CommandRun.value(try run.call { c throws(APIError) in try await c.actions(of: owner, id).items })
    }

    /// `stop ID… [--force]`: the server's job for each task.
    static func stop(_ run: CommandRun) throws(ErrorValue) -> Value {
        let ids = try run.ids(what: "a task id")
        let force = run.flag("force")
        if force {
            try run.confirm("force-stop \(ids.count) tasks (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
        }
        return try taskAction(run, ids, force ? .forceStop : .stop)
    }

    /// Runs one task action on each id, in order; the jobs the server answered.
    static func taskAction(_ run: CommandRun, _ ids: [Int], _ action: TaskAction) throws(ErrorValue) -> Value {
        try run.eachJob(ids, did: action.rawValue) { c, id throws(APIError) in try await c.invokeTaskAction(id, action) }
    }

    /// `respond ID [--button N|LABEL]`: keeps the chosen `labelbuttonN` in the template's
    /// ResponseInput and drops the others.
    static func respond(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a task id")
        let choice = run.option("button") ?? "1"
        // The template is read first so that an unknown button is the shell's error, before
        // anything is sent.
        var template = try run.call { c throws(APIError) in try await c.taskActionTemplate(id, .response) }
        if case .array(var params)? = template["parameters"] {
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
            template["parameters"] = .array(params)
        }
        let filled = template
        let job = try run.call { c throws(APIError) in try await c.invokeTaskAction(id, .response, template: filled) }
        return run.job(job, did: TaskAction.response.rawValue)
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
        let clock = run.host.services.world.clock
        let started = clock.now().millisecondsSinceEpoch
        var lastStatus: String?
        while true {
            let task = try run.call { c throws(APIError) in try await c.task(id) }
            // A task that has no status yet is not an error: keep polling.
            let status = task["status"]?.stringValue
            if let status {
                if let target, target.contains(status) { return CommandRun.value(task) }
                if let whileStatuses, !whileStatuses.contains(status) { return CommandRun.value(task) }
            }
            let elapsed = Double(clock.now().millisecondsSinceEpoch - started) / 1000
            if run.context.isInteractive || run.host.services.showsProgress, status != lastStatus {
                run.context.output.writeError("waiting for task \(id): \(status ?? "no status yet") (\(Int(elapsed))s)\n")
            }
            lastStatus = status
            let limit = DurationParser.seconds(timeout)
            if elapsed >= limit {
                throw timeoutError(run, id: id, status: status, timeout: timeout, target: target, whileStatuses: whileStatuses)
            }
            if !sleep(min(every, max(0, limit - elapsed)), run: run) {
                throw ErrorMapping.errorValue(ErrorMapping.Interrupted(), request: nil, baseURL: nil, call: run.call)
            }
        }
    }

    static func timeoutError(
        _ run: CommandRun, id: Int, status: String?, timeout: Duration, target: [String]?, whileStatuses: [String]?
    ) -> ErrorValue {
        let goal = target.map { "reach " + ErrorMapping.orList($0) } ?? "leave " + ErrorMapping.orList(whileStatuses ?? [])
        let summary = "task \(id) did not \(goal) within \(DurationText.format(timeout))"
        var fields = ValueObject()
        fields["kind"] = .string("timeout")
        fields["message"] = .string(summary)
        fields["status"] = status.map(Value.string) ?? .null
        fields["taskID"] = .int(id)
        if let l = run.call.location { fields["location"] = .string(l.description) }
        return ErrorValue(
            kind: "timeout", summary: summary,
            details: ["its status is \"\(status ?? "unknown")\"; wait longer with --timeout, or look at it with `task \(id)`"],
            command: run.call.text, fields: fields, location: run.call.location)
    }

    /// `history [ID] [filters]`.
    static func history(_ run: CommandRun) throws(ErrorValue) -> Value {
        if run.argument(0) != nil {
            let id = try run.id(0, what: "a history record id")
            return CommandRun.value(try run.call { c throws(APIError) in try await c.taskHistory(id) })
        }
        var query = TaskHistoryQuery(start: run.date("from"), end: run.date("to"), q: run.option("search"))
        if let group = run.option("group") { query.serviceGroupID = try ResourceHandlers.groupID(group, run: run) }
        if let tags = run.option("tag") { query.tags = [tags] }
        return CommandRun.value(try run.list(query) { c, q throws(APIError) in try await c.listTaskHistories(q) })
    }

    /// `history delete ID…` or `history delete --from … --to … --group …`.
    static func historyDelete(_ run: CommandRun) throws(ErrorValue) -> Value {
        let ids = try run.ids(what: "a history record id")
        if ids.isEmpty {
            let from = run.date("from"), to = run.date("to")
            let group = try run.option("group").map { g throws(ErrorValue) in try ResourceHandlers.groupID(g, run: run) }
            let conditions = [from.map { "from \($0)" }, to.map { "to \($0)" }, group.map { "group \($0)" }].compactMap { $0 }
            guard !conditions.isEmpty else { throw run.missing("record ids, or --from/--to/--group") }
            try run.confirm("delete every history record \(conditions.joined(separator: " "))", count: 2)
            try run.call { c throws(APIError) in try await c.deleteTaskHistories(start: from, end: to, serviceGroupID: group) }
            run.note("deleted matching history records")
            return .null
        }
        try run.confirm("delete \(ids.count) history records (\(ids.map(String.init).joined(separator: ", ")))", count: ids.count)
        for id in ids {
            try run.call { c throws(APIError) in try await c.deleteTaskHistory(id) }
            run.note("deleted history record \(id)")
        }
        return .null
    }
}
