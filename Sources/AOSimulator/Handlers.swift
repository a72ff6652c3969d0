import AOClient
import Foundation
import ATSJSON

/// The routes of reference §2.0. Checks run in the order 401 (done before) → 404 → 403 → 400 → 409.
extension SimState {
    func route(_ req: SimRequest, _ caller: Caller, now: Int64) throws(SimulatorError) -> Outcome {
        let s = req.segments
        let ctx = context(req)
        switch s.first {
        case "user":
            guard s.count == 1 else { break }
            try allow(req, ["GET"])
            return .json(userInfo(caller, ctx), status: 200)
        case "configuration":
            guard s == ["configuration", "version"] else { break }
            try allow(req, ["GET"])
            return .json([
                "productName": .string(config.productName), "productVersion": .string(config.productVersion),
                "apiVersion": .string(config.apiVersion),
            ], status: 200)
        case "services":
            guard s.count >= 4, s[1] == "ServiceTemplates", s[2] == "actions", s[3] == "import", s.count <= 5 else { break }
            if s.count == 4 {
                try allow(req, ["GET"])
                try require(Roles.ad, caller, group: nil, "import service templates")
                return .html(importForm(ctx))
            }
            guard s[4] == "invoke" else { break }
            try allow(req, ["POST"])
            return try importTemplate(req, caller, ctx, now: now)
        case "objects":
            guard s.count >= 2 else { break }
            switch s[1] {
            case "Tasks": return try tasksRoute(req, caller, ctx, now: now)
            case "TaskHistories": return try historiesRoute(req, caller, ctx, now: now)
            case "Services": return try servicesRoute(req, caller, ctx, now: now)
            case "ServiceTemplates": return try templatesRoute(req, caller, ctx, now: now)
            case "Schedules": return try schedulesRoute(req, caller, ctx, now: now)
            case "FlowSteps", "TaskLogs":
                guard s.count == 2 else { break }
                try allow(req, ["GET"])
                if s[1] == "FlowSteps" { return try flowSteps(req, caller, ctx) }
                return try taskLog(req, caller, ctx)
            case "PropertyDefinitions", "PropertyInformations", "PropertyValues", "PropertyGroups":
                return try propertiesRoute(req, caller, ctx, now: now)
            case "ServiceGroups":
                if s.count == 2 {
                    try allow(req, ["GET"])
                    return try list(groups, req, ctx) { self.visible(caller, group: $0.name) }
                }
                guard s.count == 3 else { break }
                try allow(req, ["GET"])
                guard let id = Int(s[2]), let g = group(id), visible(caller, group: g.name) else {
                    throw .notFound(what: "ServiceGroups/\(s[2])")
                }
                return .json(g.render(ctx), status: 200)
            case "TagGroups":
                guard s.count == 2 else { break }
                try allow(req, ["GET"])
                return try list(tagGroups, req, ctx)
            case "Tags":
                guard s.count == 2 else { break }
                try allow(req, ["GET"])
                return try tagsList(req, caller, ctx)
            default: break
            }
        default: break
        }
        throw .noSuchRoute(method: req.method, path: req.path)
    }

    func allow(_ req: SimRequest, _ methods: [String]) throws(SimulatorError) {
        guard methods.contains(req.method) else { throw .methodNotAllowed(method: req.method, path: req.path) }
    }

    // MARK: /user

    private func userInfo(_ caller: Caller, _ ctx: RenderContext) -> JSON {
        let idKey = ctx.quirks.contains(.userInstanceId) ? "instanceId" : "instanceID"
        var groupsJSON: [JSON] = []
        if let role = caller.user.allGroupsRole {
            groupsJSON.append([
                idKey: "Automation_RG_ALL", "name": "All Service Groups",
                "description": "default service groups which contains all services",
                "accessPermission": .array(role.permissions.map { .string($0) }),
            ])
        } else {
            for g in groups {
                guard let role = caller.user.groupRoles[g.name] else { continue }
                groupsJSON.append([
                    idKey: .string(g.objectID), "name": .string(g.name), "description": .string(g.description),
                    "accessPermission": .array(role.permissions.map { .string($0) }),
                ])
            }
        }
        return [
            "userName": .string(caller.user.displayName),
            "accessPermission": .array(caller.user.userManagement ? ["User Management"] : []),
            "fullName": "", "description": .string(caller.user.description), "email": "",
            "resourceGroup": .array(groupsJSON),
        ]
    }

    // MARK: Tasks

    func taskURL(_ ctx: RenderContext, _ id: Int) -> String { ctx.url("/objects/Tasks/\(id)") }

    /// The index of a task the caller may see; 404 otherwise.
    private func visibleTask(_ idText: String, _ caller: Caller) throws(SimulatorError) -> Int {
        guard let id = Int(idText), let i = taskIndex(id), visible(caller, group: tasks[i].groupName) else {
            throw .notFound(what: "Tasks/\(idText)")
        }
        return i
    }

    private func tasksRoute(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext, now: Int64) throws(SimulatorError) -> Outcome {
        let s = req.segments
        if s.count == 2 {
            try allow(req, ["GET"])
            let serviceID = try intQuery(req, "serviceID"), scheduleID = try intQuery(req, "scheduleID")
            let groupID = try intQuery(req, "serviceGroupID"), templateID = try intQuery(req, "serviceTemplateID")
            let tagSet = tagsQuery(req)
            let restricted = caller.user.allGroupsRole == nil
            let plain = serviceID != nil || scheduleID != nil || groupID != nil || templateID != nil || !tagSet.isEmpty
            let keep: ((SimTask) -> Bool)? = !plain && !restricted ? nil : { t in
                if let serviceID, t.serviceID != serviceID { return false }
                if let scheduleID, t.scheduleID != scheduleID { return false }
                if let groupID, t.groupID != groupID { return false }
                if let templateID, t.templateID != templateID { return false }
                if !tagSet.isEmpty && !Self.hasTags(t.tags, tagSet) { return false }
                return !restricted || self.visible(caller, group: t.groupName)
            }
            return try list(tasks, req, ctx, keep: keep)
        }
        if s.count == 3 && req.method == "DELETE" {
            // Idempotent: an absent (or invisible) task answers 204.
            guard let id = Int(s[2]), let i = taskIndex(id), visible(caller, group: tasks[i].groupName) else {
                return .noContent
            }
            try require(Roles.adm, caller, group: tasks[i].groupName, "delete tasks")
            if tasks[i].debug {
                _ = removeTask(at: i)
                return .noContent
            }
            return .seeOther(location: taskURL(ctx, id) + "/actions/archive")
        }
        let i = try visibleTask(s[2], caller)
        let id = tasks[i].id
        let group = tasks[i].groupName
        if s.count == 3 {
            try allow(req, ["GET", "PUT"])
            if req.method == "PUT" {
                try require(Roles.all, caller, group: group, "edit tasks")
                let body = try bodyObject(req)
                var notes = tasks[i].notes, toDo = tasks[i].toDo
                if let n = body["notes"], !n.isNull {
                    guard let v = n.stringValue else { throw .badBody("'notes' must be a string") }
                    notes = v
                }
                if let t = body["toDo"], !t.isNull {
                    guard let v = t.boolValue else { throw .badBody("'toDo' must be true or false") }
                    toDo = v
                }
                tasks[i].notes = notes
                tasks[i].toDo = toDo
                tasks[i].modifyTime = now
            }
            return .json(tasks[i].render(ctx), status: 200)
        }
        guard s[3] == "actions" else { throw .noSuchRoute(method: req.method, path: req.path) }
        if s.count == 4 {
            try allow(req, ["GET"])
            let names = ["update", "delete"] + TaskAction.allCases.map(\.rawValue)
            let all = names.map { taskTemplate($0, i, ctx) }
            return .json(collection(all), status: 200)
        }
        guard let action = TaskAction(rawValue: s[4]), s.count <= 6 else {
            throw .noSuchRoute(method: req.method, path: req.path)
        }
        let adminOnly = action == .archive
        let roles = adminOnly ? Roles.adm : Roles.all
        if s.count == 5 {
            try allow(req, ["GET"])
            try require(roles, caller, group: group, "use the \(action.rawValue) action")
            if action == .response, !TaskRules.allows(.response, tasks[i].status, config.conventions) {
                throw .taskStatus(
                    action: "response", status: tasks[i].status, allowed: TaskRules.allowedStatuses(.response, config.conventions))
            }
            return .json(taskTemplate(action.rawValue, i, ctx), status: 200)
        }
        guard s[5] == "invoke" else { throw .noSuchRoute(method: req.method, path: req.path) }
        try allow(req, ["POST"])
        try require(roles, caller, group: group, "use the \(action.rawValue) action")
        let body = try bodyObject(req)
        let params = try parameters(body)
        func checkStatus() throws(SimulatorError) {
            guard TaskRules.allows(action, tasks[i].status, config.conventions) else {
                throw .taskStatus(
                    action: action.rawValue, status: tasks[i].status, allowed: TaskRules.allowedStatuses(action, config.conventions))
            }
        }
        let url = taskURL(ctx, id)
        switch action {
        case .stop, .forceStop:
            try checkStatus()
            stop(i, force: action == .forceStop, at: now)
            return .json(job(ctx, affected: [url], now: now, schemaSpelling: true, result: action == .stop ? nil : []), status: 200)
        case .response:
            let button = try chosenButton(params)
            try checkStatus()
            guard button <= tasks[i].script.buttons.count else {
                throw .badBody("labelbutton\(button) does not exist; the step offers \(tasks[i].script.buttons.count) buttons")
            }
            respond(i, button: button, at: now)
            return .json(job(ctx, affected: [url], now: now), status: 200)
        case .rerunStart, .rerunStepStart:
            try checkStatus()
            retry(i, fromNextStep: action == .rerunStepStart, at: now)
            return .json(job(ctx, affected: [url], now: now, schemaSpelling: action == .rerunStart, result: [], resultType: "Task"), status: 200)
        case .archive:
            try checkStatus()
            archive(i, at: now)
            return .json(job(ctx, affected: [ctx.url("/objects/TaskHistories/\(id)")], now: now, result: [], resultType: "TaskHistory"), status: 200)
        case .resubmit:
            guard let si = serviceIndex(tasks[i].serviceID) else { throw .notFound(what: "Services/\(tasks[i].serviceID)") }
            let request = try submission(params, service: si, now: now, defaults: tasks[i])
            try checkStatus()
            let created = submit(request, service: si, caller: caller, now: now)
            return .json(job(ctx, affected: created.map { ctx.url($0) }, now: now, result: [], resultType: "Task"), status: 200)
        }
    }

    private func chosenButton(_ params: [JSONObject]) throws(SimulatorError) -> Int {
        var chosen: [Int] = []
        var present: [Int] = []
        for p in params {
            for (k, v) in p where k.lowercased().hasPrefix("labelbutton") {
                guard let n = Int(k.dropFirst("labelbutton".count)), (1...9).contains(n) else {
                    throw .badBody("'\(k)' is not labelbutton1 … labelbutton9")
                }
                present.append(n)
                if v.boolValue == true || v.stringValue?.lowercased() == "true" { chosen.append(n) }
            }
        }
        if present.count == 1 { return present[0] }
        if chosen.count == 1 { return chosen[0] }
        throw .badBody("send one ResponseInput with exactly one labelbuttonN member (or exactly one set to true) to choose the answer")
    }

    /// The template of a task action (`update` and `delete` included).
    private func taskTemplate(_ action: String, _ i: Int, _ ctx: RenderContext) -> JSON {
        let url = taskURL(ctx, tasks[i].id)
        switch action {
        case "update": return template(ctx, name: "update", href: url, method: "PUT")
        case "delete": return template(ctx, name: "delete", href: url, method: "DELETE")
        case "resubmit":
            var params: [JSON] = [[
                "name": .string(tasks[i].name), "description": .string(tasks[i].description),
                "scheduleType": "immediate", "scheduledStartTime": .null, "recurrenceInterval": .null,
                "recurrenceMinutes": .null, "recurrenceDayOfWeek": .null, "recurrenceDayOfMonth": .null,
                "recurrenceLastDayOfMonth": .null, "recurrenceStartDate": .null, "recurrenceTime": .null,
            ]]
            for id in tasks[i].propertyValueIDs {
                guard let v = propertyValues[id], !isOutput(v) else { continue }
                params.append(["keyName": .string(v.keyName), "value": .string(v.value)])
            }
            return template(ctx, name: "resubmit", href: url + "/actions/resubmit/invoke", parameters: params)
        case "response":
            var input: JSONObject = [
                "instanceId": .int(tasks[i].id * 100 + tasks[i].currentStep + 1), "taskId": .int(tasks[i].id),
                "message": .string(tasks[i].script.question),
            ]
            for (n, label) in tasks[i].script.buttons.enumerated() { input["labelbutton\(n + 1)"] = .string(label) }
            return template(ctx, name: "response", href: url + "/actions/response/invoke", parameters: [.object(input)])
        case "rerunStepStart":
            let name = ctx.quirks.contains(.rerunStartName) ? "rerunStart" : "rerunStepStart"
            return template(ctx, name: name, href: url + "/actions/rerunStepStart/invoke")
        default:
            return template(ctx, name: action, href: url + "/actions/\(action)/invoke")
        }
    }

    func isOutput(_ v: SimPropertyValue) -> Bool {
        guard let d = v.definitionID else { return false }
        return propertyDefinitions.first { $0.id == d }?.mode == "out"
    }

    static func hasTags(_ tags: String, _ wanted: [String]) -> Bool {
        let have = Set(tags.split(separator: ",").map { $0.trimmed().lowercased() })
        return wanted.allSatisfy { have.contains($0) }
    }

    func tagsQuery(_ req: SimRequest) -> [String] {
        (req.query("tags") ?? "").split(separator: ",").map { $0.trimmed().lowercased() }.filter { !$0.isEmpty }
    }

    // MARK: Submitting (services' submit and tasks' resubmit)

    struct Submission {
        var name: String?
        var description: String
        var type: ScheduleType
        var start: Int64?
        var recurrence: Recurrence?
        var inputs: [(key: String, value: String)]
    }

    /// Reads Schedule and PropertyValue parameters (reference §3.11); 400 on anything invalid.
    func submission(_ params: [JSONObject], service si: Int, now: Int64, defaults: SimTask?) throws(SimulatorError) -> Submission {
        let svc = services[si]
        var sub = Submission(
            name: defaults?.name, description: defaults?.description ?? "", type: .immediate, start: nil,
            recurrence: nil, inputs: serviceInputs(svc))
        if let defaults {
            sub.inputs = defaults.propertyValueIDs.compactMap { propertyValues[$0] }.filter { !isOutput($0) }
                .map { (key: $0.keyName, value: $0.value) }
        }
        let defs = definitions(ofTemplate: svc.templateID).filter { $0.mode == "in" }
        for p in params {
            if p.keys.contains(where: { $0.lowercased().hasPrefix("labelbutton") }) { continue }
            if let key = p["keyName"] {
                guard let k = key.stringValue else { throw .badBody("'keyName' must be a string") }
                guard let d = defs.first(where: { $0.keyName == k }) else {
                    throw .badBody("the service '\(svc.name)' has no input property '\(k)' (inputs: \(defs.map(\.keyName).joined(separator: ", ")))")
                }
                let value: String
                switch p["value"] ?? .null {
                case .string(let v): value = v
                case .int(let v): value = String(v)
                case .bool(let v): value = v ? "true" : "false"
                case .double(let v): value = String(v)
                case .null: value = d.defaultValue
                case .array, .object: throw .badBody("the value of '\(k)' must be a string")
                }
                try validate(value, d)
                sub.inputs.removeAll { $0.key == k }
                sub.inputs.append((k, value))
                continue
            }
            if p["scheduleType"] != nil || p["name"] != nil {
                if let n = p["name"], let text = n.stringValue, !text.isEmpty { sub.name = text }
                if let d = p["description"]?.stringValue { sub.description = d }
                let typeText = p["scheduleType"]?.stringValue ?? "immediate"
                guard let type = ScheduleType(rawValue: typeText) else {
                    throw .badBody("scheduleType '\(typeText)' is not immediate, schedule or recurrence")
                }
                guard svc.supportedScheduleType.split(separator: ",").contains(Substring(type.rawValue)) else {
                    throw .badBody("the service '\(svc.name)' supports only \(svc.supportedScheduleType)")
                }
                sub.type = type
                switch type {
                case .immediate: break
                case .schedule:
                    guard let text = p["scheduledStartTime"]?.stringValue else {
                        throw .badBody("scheduleType 'schedule' needs scheduledStartTime")
                    }
                    switch SimTime.parseInput(text, defaultOffsetSeconds: config.utcOffsetSeconds) {
                    case .success(let ms): sub.start = ms
                    case .failure(let reason): throw .badDate(field: "scheduledStartTime", value: text, reason: reason)
                    }
                case .recurrence:
                    let interval = p["recurrenceInterval"]?.stringValue ?? "daily"
                    guard ["daily", "weekly", "monthly"].contains(interval) else {
                        throw .badBody("recurrenceInterval '\(interval)' is not daily, weekly or monthly")
                    }
                    let time = p["recurrenceTime"]?.stringValue ?? "00:00"
                    let hm = time.split(separator: ":").compactMap { Int($0) }
                    guard hm.count == 2, (0..<24).contains(hm[0]), (0..<60).contains(hm[1]) else {
                        throw .badBody("recurrenceTime '\(time)' is not hh:mm")
                    }
                    var startDate: Int64 = now
                    if let sd = p["recurrenceStartDate"]?.stringValue {
                        switch SimTime.parseInput(sd, defaultOffsetSeconds: config.utcOffsetSeconds) {
                        case .success(let ms): startDate = max(now, ms)
                        case .failure(let reason): throw .badDate(field: "recurrenceStartDate", value: sd, reason: reason)
                        }
                    }
                    let rec = Recurrence(
                        interval: interval, minutes: p["recurrenceMinutes"]?.intValue,
                        dayOfWeek: p["recurrenceDayOfWeek"]?.stringValue, dayOfMonth: p["recurrenceDayOfMonth"]?.stringValue,
                        lastDayOfMonth: p["recurrenceLastDayOfMonth"]?.boolValue ?? false,
                        startDate: p["recurrenceStartDate"]?.stringValue, time: time)
                    sub.recurrence = rec
                    // The first run: the next hh:mm (server zone) at or after the start date.
                    let c = SimTime.components(startDate, offsetSeconds: config.utcOffsetSeconds)
                    let midnight = startDate - ((c.hour * 3600 + c.minute * 60 + c.second) * 1000) - (startDate % 1000)
                    var first = midnight + Int64(hm[0] * 3600 + hm[1] * 60) * 1000
                    if first < startDate { first += 86_400_000 }
                    sub.start = first
                }
                continue
            }
            throw .badBody("a parameter is neither a Schedule (scheduleType, name) nor a PropertyValue (keyName, value)")
        }
        return sub
    }

    func validate(_ value: String, _ d: SimPropertyDefinition) throws(SimulatorError) {
        switch d.type {
        case "int":
            guard let n = Int(value) else { throw .badBody("'\(d.keyName)' needs an integer, found '\(value)'") }
            if let lo = d.minValue, n < lo { throw .badBody("'\(d.keyName)' must be at least \(lo)") }
            if let hi = d.maxValue, n > hi { throw .badBody("'\(d.keyName)' must be at most \(hi)") }
        case "boolean":
            guard value == "true" || value == "false" else { throw .badBody("'\(d.keyName)' needs true or false, found '\(value)'") }
        default:
            if let max = d.maxLength, value.count > max { throw .badBody("'\(d.keyName)' is longer than \(max) characters") }
        }
        if let list = d.valueList, !list.split(separator: ",").contains(Substring(value)) {
            throw .badBody("'\(d.keyName)' must be one of \(list), found '\(value)'")
        }
    }

    /// Creates the task (and schedule); returns the API paths of what was created.
    func submit(_ sub: Submission, service si: Int, caller: Caller, now: Int64) -> [String] {
        var scheduleID: Int?
        var paths: [String] = []
        if sub.type != .immediate {
            let sid = nextScheduleID
            nextScheduleID += 1
            let svc = services[si]
            schedules.append(SimSchedule(
                id: sid, name: sub.name ?? svc.name, submitter: caller.user.displayName, type: sub.type, createTime: now,
                modifyTime: now, description: sub.description, scheduledStartTime: sub.start, recurrence: sub.recurrence,
                serviceID: svc.id, serviceState: svc.state, groupID: svc.groupID, templateID: svc.templateID))
            scheduleID = sid
        }
        let id = makeTask(
            service: si, name: sub.name, description: sub.description, submitter: caller.user.displayName,
            scheduleType: sub.type, start: sub.start, inputs: sub.inputs, scheduleID: scheduleID,
            recurrence: sub.recurrence, at: now)
        paths.append("/objects/Tasks/\(id)")
        if let scheduleID, let k = scheduleIndex(scheduleID) {
            if let i = taskIndex(id), tasks[i].status == .waiting { schedules[k].pendingTaskID = id }
            paths.append("/objects/Schedules/\(scheduleID)")
        }
        return paths
    }

    // MARK: Task histories

    private func historiesRoute(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext, now: Int64) throws(SimulatorError) -> Outcome {
        let s = req.segments
        if s.count == 2 {
            try allow(req, ["GET", "DELETE"])
            let start = try dateQuery(req, "start"), end = try dateQuery(req, "end")
            let groupID = try intQuery(req, "serviceGroupID")
            if req.method == "DELETE" {
                let groupName = groupID.flatMap { group($0)?.name }
                try require(Roles.adm, caller, group: groupName, "delete task histories")
                histories.removeAll { h in
                    if let start, (h.task.startTime ?? h.task.submitTime) < start { return false }
                    if let end, (h.task.completionTime ?? h.archiveTime) > end { return false }
                    if let groupID, h.task.groupID != groupID { return false }
                    guard let role = caller.role(in: h.task.groupName), Roles.adm.contains(role) else { return false }
                    return true
                }
                return .noContent
            }
            let tagSet = tagsQuery(req)
            return try list(histories, req, ctx) { h in
                if let start, (h.task.startTime ?? h.task.submitTime) < start { return false }
                if let end, (h.task.completionTime ?? h.archiveTime) > end { return false }
                if let groupID, h.task.groupID != groupID { return false }
                if !tagSet.isEmpty && !Self.hasTags(h.task.tags, tagSet) { return false }
                return self.visible(caller, group: h.task.groupName)
            }
        }
        if s.count == 3 && req.method == "DELETE" {
            guard let id = Int(s[2]), let k = historyIndex(id), visible(caller, group: histories[k].task.groupName) else {
                return .noContent
            }
            try require(Roles.adm, caller, group: histories[k].task.groupName, "delete task histories")
            histories.remove(at: k)
            return .noContent
        }
        guard let id = Int(s[2]), let k = historyIndex(id), visible(caller, group: histories[k].task.groupName) else {
            throw .notFound(what: "TaskHistories/\(s[2])")
        }
        if s.count == 3 {
            try allow(req, ["GET"])
            return .json(histories[k].render(ctx), status: 200)
        }
        guard s.count == 4, s[3] == "actions" else { throw .noSuchRoute(method: req.method, path: req.path) }
        try allow(req, ["GET"])
        return .json(collection([template(ctx, name: "delete", href: ctx.url("/objects/TaskHistories/\(id)"), method: "DELETE")]), status: 200)
    }

    // MARK: Steps and logs

    private func taskForQuery(_ req: SimRequest, _ caller: Caller, allowed: Set<String>) throws(SimulatorError) -> Int {
        guard let text = req.query("taskID") else { throw .missingQuery("taskID") }
        let extra = req.query.map { $0.name }.filter { !allowed.contains($0) && $0 != "alt" }
        guard extra.isEmpty else { throw .missingQuery("only \(allowed.sorted().joined(separator: ", ")) may be given; found \(extra.joined(separator: ", "))") }
        guard let id = Int(text) else { throw .badQuery(name: "taskID", value: text, expected: "an integer id") }
        guard let i = taskIndex(id), visible(caller, group: tasks[i].groupName) else { throw .notFound(what: "Tasks/\(id)") }
        return i
    }

    private func stepStatus(_ t: SimTask, _ k: Int) -> String {
        if t.status == .completed { return "completed" }
        if k < t.currentStep { return "completed" }
        if k > t.currentStep { return t.status.isFinished ? "skipped" : "waiting" }
        switch t.status {
        case .waiting, .suspended: return "waiting"
        case .inProgress, .longRunning, .terminating: return "inProgress"
        case .waitingForInput: return "waitingResponse"
        case .inProgressWithError: return "abnormalDetected"
        case .completed: return "completed"
        case .failed: return "failed"
        case .canceled: return "canceled"
        }
    }

    private func flowSteps(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext) throws(SimulatorError) -> Outcome {
        let i = try taskForQuery(req, caller, allowed: ["taskID"])
        let t = tasks[i]
        var out: [JSON] = []
        var at = t.startTime
        for (k, length) in t.script.stepMilliseconds.enumerated() {
            let status = stepStatus(t, k)
            let started: Int64? = status == "waiting" || status == "skipped" ? nil : (k == t.currentStep ? t.stepTime ?? at : at)
            let ended: Int64? = status == "completed" ? (k == t.currentStep ? t.completionTime : started.map { $0 + length })
                : (status == "failed" ? t.completionTime : nil)
            out.append([
                "instanceID": .int(t.id * 100 + k + 1), "name": .string("Step \(k + 1)"), "status": .string(status),
                "startTime": ctx.json(FieldValue(date: started)), "completionTime": ctx.json(FieldValue(date: ended)),
                "taskID": .int(t.id),
            ])
            at = at.map { $0 + length }
        }
        return .json(collection(out), status: 200)
    }

    private func taskLog(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext) throws(SimulatorError) -> Outcome {
        let i = try taskForQuery(req, caller, allowed: ["taskID", "offset", "readSize", "reverse"])
        let t = tasks[i]
        let offset = try nonNegative(req, "offset")
        let readSize = try nonNegative(req, "readSize") ?? 1_048_576
        let reverse = req.has("reverse")
        if let v = req.query("reverse"), !v.isEmpty { throw .badQuery(name: "reverse", value: v, expected: "no value") }
        func line(_ ms: Int64, _ text: String) -> String { "\(SimTime.format(ms, offsetSeconds: ctx.offsetSeconds)) \(text)\n" }
        var lines: [String] = [line(t.submitTime, "KNAE04501-I The task \(t.id) (\(t.name)) was registered by \(t.submitter).")]
        if let start = t.startTime {
            lines.append(line(start, "KNAE04502-I The task \(t.id) started."))
            var at = start
            for k in 0...min(t.currentStep, t.script.stepMilliseconds.count - 1) {
                let stamp = k == t.currentStep ? (t.stepTime ?? at) : at
                lines.append(line(stamp, "KNAE04510-I Step \(k + 1) started."))
                if k == t.currentStep && t.status == .waitingForInput {
                    lines.append(line(stamp, "KNAE04520-I Step \(k + 1) is waiting for a response: \(t.script.question)"))
                }
                at = stamp + t.script.stepMilliseconds[k]
            }
        }
        if let end = t.completionTime {
            lines.append(line(end, "KNAE04503-I The task \(t.id) ended. (status=\(ctx.statusStrings.string(for: t.status)))"))
        }
        let text = Array(lines.joined().utf8)
        let chunk: [UInt8]
        let next: Int
        if reverse {
            let from = min(offset ?? text.count, text.count)
            var lo = from
            // Whole lines backwards from `from`.
            while lo > 0 {
                var p = lo - 1
                while p > 0 && text[p - 1] != 0x0A { p -= 1 }
                if from - p > readSize { break }
                lo = p
            }
            chunk = Array(text[lo..<from])
            next = lo
        } else {
            let from = min(offset ?? 0, text.count)
            var hi = from
            while hi < text.count {
                var p = hi
                while p < text.count && text[p] != 0x0A { p += 1 }
                if p < text.count { p += 1 }
                if p - from > readSize { break }
                hi = p
            }
            chunk = Array(text[from..<hi])
            next = hi
        }
        let item: JSON = [
            "taskID": .int(t.id), "offset": .int(reverse ? next : min(offset ?? 0, text.count)),
            "nextOffset": .int(next), "readSize": .int(chunk.count), "totalSize": .int(text.count),
            "contents": .string(String(decoding: chunk, as: UTF8.self)),
        ]
        return .json(collection([item]), status: 200)
    }
}
