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
                return CommandRun.value(try run.get("/objects/Services/\(id)", hint: .object(resource: "Services", id: id)))
            },
            "service update": update,
            "service delete": { run throws(ErrorValue) in
                let ids = try serviceIDs(run)
                try run.confirm("delete \(ids.count) services", count: ids.count)
                for id in ids {
                    try run.send(APIRequestSpec("DELETE", "/objects/Services/\(id)"), hint: .object(resource: "Services", id: id))
                    run.note("deleted service \(id)")
                }
                return .null
            },
            "service disable": { run throws(ErrorValue) in
                let ids = try serviceIDs(run)
                try run.confirm("disable \(ids.count) services", count: ids.count)
                for id in ids {
                    try run.invoke("Services", id, "disable", hint: .resourceAction(resource: "Services", id: id, action: "disable"))
                    run.note("disabled service \(id)")
                }
                return .null
            },
            "submit": submit,
            "schedules": schedules,
            "schedule": { run throws(ErrorValue) in
                let id = try run.id(0, what: "a schedule id")
                return CommandRun.value(try run.get("/objects/Schedules/\(id)", hint: .object(resource: "Schedules", id: id)))
            },
        ]
        for action in ["release", "maintenance", "reset"] { t["service \(action)"] = serviceAction(action) }
        for action in ["cancel", "suspend", "resume"] { t["schedule \(action)"] = scheduleAction(action) }
        return t
    }()

    /// `service release|maintenance|reset SERVICE`.
    static func serviceAction(_ action: String) -> ShellHost.Handler {
        let handler: ShellHost.Handler = { (run: CommandRun) throws(ErrorValue) -> Value in
            let id = try serviceID(run.argument(0) ?? .null, run: run)
            let job = try run.invoke("Services", id, action, hint: .resourceAction(resource: "Services", id: id, action: action))
            run.note("service \(id): \(action) done")
            return job.map(CommandRun.value) ?? .null
        }
        return handler
    }

    /// `schedule cancel|suspend|resume ID`.
    static func scheduleAction(_ action: String) -> ShellHost.Handler {
        let handler: ShellHost.Handler = { (run: CommandRun) throws(ErrorValue) -> Value in
            let id = try run.id(0, what: "a schedule id")
            try run.invoke("Schedules", id, action, hint: .resourceAction(resource: "Schedules", id: id, action: action))
            run.note("schedule \(id): \(action) done")
            return .null
        }
        return handler
    }

    /// A service's id from an id or a name (matched exactly, then case-insensitively).
    static func serviceID(_ value: Value, run: CommandRun) throws(ErrorValue) -> Int {
        if let id = CommandRun.id(value) { return id }
        let name = value.text
        guard !name.isEmpty, case .string = value else { throw run.bad(value, expected: "a service id or name") }
        let all = try run.list("/objects/Services", query: [], limit: nil, all: true)
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
        var query: [(String, String)] = []
        if let group = run.option("group") { query.append(("serviceGroupID", String(try ResourceHandlers.groupID(group, run: run)))) }
        if let t = run.option("template") { query.append(("serviceTemplateID", t)) }
        if run.flag("favorite") { query.append(("favorite", "true")) }
        if let p = run.option("property") { query.append(("propertyKey", p)) }
        if let tags = run.option("tag") { query.append(("tags", tags)) }
        if let q = run.option("search") { query.append(("q", q)) }
        query += try run.listQuery(extraFilters: [])
        let items = try run.list("/objects/Services", query: query, limit: try run.limit(), all: run.flag("all"))
        if query.isEmpty { run.state.serviceNames = items.compactMap { $0["name"]?.stringValue } }
        return CommandRun.value(items)
    }

    /// `service update SERVICE [--name] [--description] [--tags] [--favorite on|off]`.
    static func update(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try serviceID(run.argument(0) ?? .null, run: run)
        let hint = ErrorHint.object(resource: "Services", id: id)
        var body = try run.get("/objects/Services/\(id)", hint: hint)
        if let n = run.option("name") { body = body.setting("name", .string(n)) }
        if let d = run.option("description") { body = body.setting("description", .string(d)) }
        if let t = run.option("tags") { body = body.setting("tags", .string(t)) }
        if let f = run.option("favorite")?.lowercased() {
            guard ["on", "off", "true", "false"].contains(f) else { throw run.bad(.string(f), expected: "on or off") }
            body = body.setting("favorite", .bool(f == "on" || f == "true"))
        }
        guard let reply = try run.send(APIRequestSpec("PUT", "/objects/Services/\(id)", body: .json(body)), hint: hint) else { return .null }
        return CommandRun.value(reply.json ?? .null)
    }

    /// Sets `keyName=value` pairs in the PropertyValue objects of an action template; a key
    /// the template does not list is added.
    static func setProperties(_ pairs: [(String, String)], in template: inout JSON) {
        guard !pairs.isEmpty else { return }
        var params = template["parameters"]?.arrayValue ?? []
        for (key, value) in pairs {
            if let i = params.firstIndex(where: { $0["keyName"]?.stringValue == key }) {
                params[i] = params[i].setting("value", .string(value))
            } else {
                params.append(["keyName": .string(key), "value": .string(value)])
            }
        }
        template = template.setting("parameters", .array(params))
    }

    /// Changes the Schedule object of a submit/resubmit template.
    static func setSchedule(_ template: inout JSON, _ changes: [(String, JSON)]) {
        var params = template["parameters"]?.arrayValue ?? []
        var index = params.firstIndex { $0["scheduleType"] != nil }
        if index == nil {
            params.insert(["scheduleType": "immediate"], at: 0)
            index = 0
        }
        for (k, v) in changes { params[index!] = params[index!].setting(k, v) }
        template = template.setting("parameters", .array(params))
    }

    /// `submit SERVICE [--param k=v…] [--name N] [--description T] [--at TIME | --every PATTERN]`.
    static func submit(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try serviceID(run.argument(0) ?? .null, run: run)
        let params = try run.keyValues("param")
        var changes: [(String, JSON)] = []
        if let n = run.option("name") { changes.append(("name", .string(n))) }
        if let d = run.option("description") { changes.append(("description", .string(d))) }
        if let at = run.date("at") {
            changes.append(("scheduleType", "schedule"))
            changes.append(("scheduledStartTime", .string(at)))
        } else if let every = run.option("every") {
            changes.append(("scheduleType", "recurrence"))
            guard let rec = recurrence(every, today: APIDateText.today(run.host.services.world.clock)) else {
                throw run.bad(.string(every), expected: "a recurrence: daily[:HH:MM], hourly:N, weekly:mon,fri[@HH:MM], monthly:1,15[@HH:MM]")
            }
            changes += rec
        } else {
            changes.append(("scheduleType", "immediate"))
        }
        let job = try run.invoke("Services", id, "submit", hint: .resourceAction(resource: "Services", id: id, action: "submit")) {
            (template: inout JSON) throws(ErrorValue) in
            setSchedule(&template, changes)
            setProperties(params, in: &template)
        }
        return try createdTask(job, run: run)
    }

    /// The task a job created (from `affectedResources`), or the job itself.
    static func createdTask(_ job: JSON?, run: CommandRun) throws(ErrorValue) -> Value {
        guard let job else { return .null }
        var urls: [String] = []
        for key in ["affectedResources", "affectedResource"] {
            switch job[key] {
            case .string(let s)?: urls.append(s)
            case .array(let a)?: urls += a.compactMap(\.stringValue)
            default: break
            }
        }
        guard let url = urls.first(where: { $0.contains("/objects/Tasks/") }),
              let id = Int(url.split(separator: "/").last ?? "") else { return CommandRun.value(job) }
        run.note("submitted task \(id)")
        return CommandRun.value(try run.get("/objects/Tasks/\(id)", hint: .object(resource: "Tasks", id: id)))
    }

    /// `daily[:HH:MM]`, `hourly:N`, `weekly:mon,fri[@HH:MM]`, `monthly:1,15|endofmonth[@HH:MM]`
    /// into Schedule members (reference §4.3, simulator choice).
    static func recurrence(_ text: String, today: String) -> [(String, JSON)]? {
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
            return [("recurrenceInterval", "daily"), ("recurrenceTime", .string(time)), ("recurrenceStartDate", .string(today))]
        case "hourly":
            guard let hours = Int(arg), [1, 2, 3, 4, 6, 8, 12, 24].contains(hours) else { return nil }
            return [("recurrenceInterval", "daily"), ("recurrenceMinutes", .int(hours * 60)), ("recurrenceTime", .string(time)),
                    ("recurrenceStartDate", .string(today))]
        case "weekly":
            guard !arg.isEmpty else { return nil }
            return [("recurrenceInterval", "weekly"), ("recurrenceDayOfWeek", .string(arg)), ("recurrenceTime", .string(time)),
                    ("recurrenceStartDate", .string(today))]
        case "monthly":
            guard !arg.isEmpty else { return nil }
            let days = arg.split(separator: ",").filter { $0 != "endofmonth" }.joined(separator: ",")
            return [("recurrenceInterval", "monthly"), ("recurrenceDayOfMonth", .string(days)),
                    ("recurrenceLastDayOfMonth", .bool(arg.contains("endofmonth"))), ("recurrenceTime", .string(time)),
                    ("recurrenceStartDate", .string(today))]
        default:
            return nil
        }
    }

    static func schedules(_ run: CommandRun) throws(ErrorValue) -> Value {
        var query: [(String, String)] = []
        if let s = run.optionValue("service") { query.append(("serviceID", String(try serviceID(s, run: run)))) }
        if let group = run.option("group") { query.append(("serviceGroupID", String(try ResourceHandlers.groupID(group, run: run)))) }
        if let t = run.option("template") { query.append(("serviceTemplateID", t)) }
        if run.flag("running") { query.append(("scheduleStatus", "running")) }
        query += try run.listQuery(extraFilters: [])
        return CommandRun.value(try run.list("/objects/Schedules", query: query, limit: try run.limit(), all: run.flag("all")))
    }
}

/// Dates in the API's input form.
enum APIDateText {
    /// Today's local date (`2015-08-07`) by `clock`.
    static func today(_ clock: any WallClock) -> String { String(clock.now().iso8601.prefix(10)) }
}
