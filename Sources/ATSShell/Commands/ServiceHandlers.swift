import AOClient
import ATSJSON
import ATSLanguage
import Foundation

/// Services, submitting, and schedules.
enum ServiceHandlers {
    static let table: [String: ShellHost.Handler] = {
        var t: [String: ShellHost.Handler] = [
            "services": services,
            "service": { run throws(ErrorValue) in
                let id = try serviceID(run.argument(0) ?? .null, run: run)
                return CommandRun.value(try run.call { c throws(APIError) in try await c.service(id) })
            },
            "service update": update,
            "service delete": { run throws(ErrorValue) in
                let ids = try serviceIDs(run)
                try run.confirm("delete \(ids.count) services", count: ids.count)
                for id in ids {
                    try run.call { c throws(APIError) in try await c.deleteService(id) }
                    run.note("deleted service \(id)")
                }
                return .null
            },
            "service disable": { run throws(ErrorValue) in
                let ids = try serviceIDs(run)
                try run.confirm("disable \(ids.count) services", count: ids.count)
                return try serviceAction(run, ids, .disable)
            },
            "service apply-template": { run throws(ErrorValue) in
                let id = try serviceID(run.argument(0) ?? .null, run: run)
                let templateID = try run.id(1, what: "a service template id")
                let job = try run.call { c throws(APIError) in try await c.applyTemplate(id, templateID: templateID) }
                return run.job(job, did: ServiceAction.applyTemplate.rawValue)
            },
            "submit": submit,
            "schedules": schedules,
            "schedule": { run throws(ErrorValue) in
                let id = try run.id(0, what: "a schedule id")
                return CommandRun.value(try run.call { c throws(APIError) in try await c.schedule(id) })
            },
        ]
        for action in [ServiceAction.release, .maintenance, .reset] { t["service \(action.rawValue)"] = serviceActionHandler(action) }
        for action in ScheduleAction.allCases { t["schedule \(action.rawValue)"] = scheduleAction(action) }
        return t
    }()

    /// `service release|maintenance|reset SERVICE`.
    static func serviceActionHandler(_ action: ServiceAction) -> ShellHost.Handler {
        let handler: ShellHost.Handler = { (run: CommandRun) throws(ErrorValue) -> Value in
            try serviceAction(run, try serviceIDs(run), action)
        }
        return handler
    }

    /// `service release|maintenance|reset|disable SERVICE…`: the server's job for each.
    static func serviceAction(_ run: CommandRun, _ ids: [Int], _ action: ServiceAction) throws(ErrorValue) -> Value {
        try run.eachJob(ids, did: action.rawValue) { c, id throws(APIError) in try await c.invokeServiceAction(id, action) }
    }

    /// `schedule cancel|suspend|resume ID…`: the server's job for each.
    static func scheduleAction(_ action: ScheduleAction) -> ShellHost.Handler {
        let handler: ShellHost.Handler = { (run: CommandRun) throws(ErrorValue) -> Value in
            let ids = try run.ids(what: "a schedule id")
            guard !ids.isEmpty else { throw run.missing("a schedule id") }
            return try run.eachJob(ids, did: action.rawValue) { c, id throws(APIError) in try await c.invokeScheduleAction(id, action) }
        }
        return handler
    }

    /// A service's id from an id or a name (matched exactly, then case-insensitively).
    static func serviceID(_ value: Value, run: CommandRun) throws(ErrorValue) -> Int {
        if let id = CommandRun.id(value) { return id }
        let name = value.text
        guard !name.isEmpty, case .string = value else { throw run.bad(value, expected: "a service id or name") }
        let all = try run.call { c throws(APIError) in
            try await c.allPages(HQLOptions()) { h throws(APIError) in try await c.listServices(ServiceQuery(hql: h)) }
        }
        run.state.serviceNames = all.compactMap { $0["name"]?.stringValue }
        let match = all.first { $0["name"]?.stringValue == name }
            ?? all.first { $0["name"]?.stringValue?.lowercased() == name.lowercased() }
        guard let id = match?["instanceID"]?.intValue else { throw run.failure(.unknownService(name)) }
        return id
    }

    static func serviceIDs(_ run: CommandRun) throws(ErrorValue) -> [Int] {
        var ids: [Int] = []
        for v in run.call.arguments {
            if case .list(let items) = v {
                for item in items { ids.append(try serviceID(item, run: run)) }
            } else {
                ids.append(try serviceID(v, run: run))
            }
        }
        return ids
    }

    static func services(_ run: CommandRun) throws(ErrorValue) -> Value {
        var query = ServiceQuery(propertyKey: run.option("property"), q: run.option("search"))
        if let group = run.option("group") { query.serviceGroupID = try ResourceHandlers.groupID(group, run: run) }
        query.serviceTemplateID = try run.idOption("template", what: "a service template id")
        if run.flag("favorite") { query.favorite = true }
        if let tags = run.option("tag") { query.tags = [tags] }
        let items = try run.list(query) { c, q throws(APIError) in try await c.listServices(q) }
        let unfiltered = query.serviceGroupID == nil && query.serviceTemplateID == nil && query.favorite == nil
            && query.propertyKey == nil && query.tags.isEmpty && query.q == nil && run.listOptions() == HQLOptions()
        if unfiltered { run.state.serviceNames = items.compactMap { $0["name"]?.stringValue } }
        return CommandRun.value(items)
    }

    /// `service update SERVICE [--name] [--description] [--tags] [--favorite on|off]`.
    static func update(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try serviceID(run.argument(0) ?? .null, run: run)
        var changes: [(String, JSON)] = []
        if let n = run.option("name") { changes.append(("name", .string(n))) }
        if let d = run.option("description") { changes.append(("description", .string(d))) }
        if let t = run.option("tags") { changes.append(("tags", .string(t))) }
        if let f = run.option("favorite")?.lowercased() {
            guard ["on", "off", "true", "false"].contains(f) else { throw run.bad(.string(f), expected: "on or off") }
            changes.append(("favorite", .bool(f == "on" || f == "true")))
        }
        let set = changes
        let reply = try run.call { c throws(APIError) in
            var body = try await c.service(id)
            for (k, v) in set { body[k] = v }
            return try await c.editService(id, body)
        }
        return run.isDryRun ? .null : CommandRun.value(reply)
    }

    /// `submit SERVICE [--param k=v…] [--name N] [--description T] [--at TIME | --every PATTERN]`.
    static func submit(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try serviceID(run.argument(0) ?? .null, run: run)
        var request = SubmitRequest(
            taskName: run.option("name"), description: run.option("description"), schedule: .immediate,
            properties: try run.keyValues("param").map { PropertySetting($0.0, $0.1) })
        if let at = run.date("at") {
            request.schedule = .at(at)
        } else if let every = run.option("every") {
            guard let rec = recurrence(every, today: APIDateText.today(run.host.services.world.clock)) else {
                throw run.bad(.string(every), expected: "a recurrence: daily[:HH:MM], hourly:N, weekly:mon,fri[@HH:MM], monthly:1,15[@HH:MM]")
            }
            request.schedule = .recurring(rec)
        }
        let filled = request
        let job = try run.call { c throws(APIError) in try await c.submitService(id, filled) }
        return try createdTask(job, run: run)
    }

    /// The task a submit or resubmit created (`createdTaskID`, in the client core), or
    /// the job itself when it names none; null in dry-run.
    static func createdTask(_ job: Job, run: CommandRun) throws(ErrorValue) -> Value {
        if run.isDryRun { return .null }
        let client = try run.connection().gateway.client
        guard let id = client.createdTaskID(job) else { return CommandRun.value(job.raw) }
        run.note("submitted task \(id)")
        return CommandRun.value(try run.call { c throws(APIError) in try await c.task(id) })
    }

    /// `daily[:HH:MM]`, `hourly:N`, `weekly:mon,fri[@HH:MM]`, `monthly:1,15|endofmonth[@HH:MM]`
    /// into a Schedule's recurrence (reference §4.3, simulator choice).
    static func recurrence(_ text: String, today: String) -> Recurrence? {
        var pattern = text.lowercased()
        var time = "00:00"
        if let at = pattern.firstIndex(of: "@") {
            time = String(pattern[pattern.index(after: at)...])
            pattern = String(pattern[..<at])
        }
        let kind = pattern.prefix { $0 != ":" }
        let arg = pattern.contains(":") ? String(pattern[pattern.index(after: pattern.firstIndex(of: ":")!)...]) : ""
        switch kind {
        case "daily":
            if !arg.isEmpty { time = arg }
            return Recurrence(interval: "daily", startDate: today, time: time)
        case "hourly":
            guard let hours = Int(arg), [1, 2, 3, 4, 6, 8, 12, 24].contains(hours) else { return nil }
            return Recurrence(interval: "daily", minutes: hours * 60, startDate: today, time: time)
        case "weekly":
            guard !arg.isEmpty else { return nil }
            return Recurrence(interval: "weekly", daysOfWeek: arg, startDate: today, time: time)
        case "monthly":
            guard !arg.isEmpty else { return nil }
            let days = arg.split(separator: ",").filter { $0 != "endofmonth" }.joined(separator: ",")
            return Recurrence(
                interval: "monthly", daysOfMonth: days, lastDayOfMonth: arg.contains("endofmonth"), startDate: today, time: time)
        default:
            return nil
        }
    }

    static func schedules(_ run: CommandRun) throws(ErrorValue) -> Value {
        var query = ScheduleQuery(scheduleStatus: run.flag("running") ? "running" : nil)
        if let s = run.optionValue("service") { query.serviceID = try serviceID(s, run: run) }
        if let group = run.option("group") { query.serviceGroupID = try ResourceHandlers.groupID(group, run: run) }
        query.serviceTemplateID = try run.idOption("template", what: "a service template id")
        return CommandRun.value(try run.list(query) { c, q throws(APIError) in try await c.listSchedules(q) })
    }
}

/// Dates in the API's input form.
enum APIDateText {
    /// Today's local date (`2015-08-07`) by `clock`.
    static func today(_ clock: any WallClock) -> String { String(clock.now().iso8601.prefix(10)) }
}
