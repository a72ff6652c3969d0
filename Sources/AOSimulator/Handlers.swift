import AOClient
import Foundation
import ATSJSON

/// One request matched to a route of the client's table, with what the match extracted.
struct RouteCall {
    let route: Route
    let req: SimRequest
    let caller: Caller
    let ctx: RenderContext
    let now: Int64
    /// The `{id}` of the route's path (0 for a route without one).
    let id: Int
}

/// The routes of reference §2.0. Checks run in the order 401 (done before) → 404 → 403 → 400 → 409.
extension SimState {
    /// One handler per route of the client's table (`Route.all`), keyed by the route; an
    /// action's handler is registered with its action from the table. A request that is no
    /// route of the table is answered 404 (405 when the path is a route's with another
    /// method). `RouteTableTests` checks every route has its handler here.
    typealias RouteHandler = @Sendable (SimState, RouteCall) throws(SimulatorError) -> Outcome

    static let routeHandlers: [Route: RouteHandler] = {
        var h: [Route: RouteHandler] = [:]
        func on(_ route: Route?, _ f: @escaping RouteHandler) { if let route { h[route] = f } }
        // Service templates (2.4)
        on(.listServiceTemplates) { st, c throws(SimulatorError) in try st.listTemplates(c) }
        on(.serviceTemplate) { st, c throws(SimulatorError) in try st.getTemplate(c) }
        on(.deleteServiceTemplate) { st, c throws(SimulatorError) in try st.deleteTemplate(c) }
        on(.serviceTemplateActions) { st, c throws(SimulatorError) in try st.templateActions(c) }
        on(.importForm) { st, c throws(SimulatorError) in
            try st.require(Roles.ad, c.caller, group: nil, "import service templates")
            return .html(st.importForm(c.ctx))
        }
        on(.importServiceTemplate) { st, c throws(SimulatorError) in try st.importTemplate(c) }
        for a in ServiceTemplateAction.allCases {
            on(Route.template(a)) { st, c throws(SimulatorError) in try st.templateActionTemplate(c, a) }
            on(Route.invoke(a)) { st, c throws(SimulatorError) in try st.invokeTemplateAction(c, a) }
        }
        // Services (2.5)
        on(.listServices) { st, c throws(SimulatorError) in try st.listServices(c) }
        on(.service) { st, c throws(SimulatorError) in try st.getService(c) }
        on(.editService) { st, c throws(SimulatorError) in try st.editService(c) }
        on(.deleteService) { st, c throws(SimulatorError) in try st.deleteService(c) }
        on(.serviceActions) { st, c throws(SimulatorError) in try st.serviceActions(c) }
        for a in ServiceAction.allCases {
            on(Route.template(a)) { st, c throws(SimulatorError) in try st.serviceActionTemplate(c, a) }
            on(Route.invoke(a)) { st, c throws(SimulatorError) in try st.invokeServiceAction(c, a) }
        }
        // Schedules (2.6)
        on(.listSchedules) { st, c throws(SimulatorError) in try st.listSchedules(c) }
        on(.schedule) { st, c throws(SimulatorError) in try st.getSchedule(c) }
        on(.scheduleActions) { st, c throws(SimulatorError) in try st.scheduleActions(c) }
        for a in ScheduleAction.allCases {
            on(Route.template(a)) { st, c throws(SimulatorError) in try st.scheduleActionTemplate(c, a) }
            on(Route.invoke(a)) { st, c throws(SimulatorError) in try st.invokeScheduleAction(c, a) }
        }
        // Tasks (2.7)
        on(.listTasks) { st, c throws(SimulatorError) in try st.listTasks(c) }
        on(.task) { st, c throws(SimulatorError) in try st.getTask(c) }
        on(.editTask) { st, c throws(SimulatorError) in try st.editTask(c) }
        on(.deleteTask) { st, c throws(SimulatorError) in try st.deleteTask(c) }
        on(.taskActions) { st, c throws(SimulatorError) in try st.taskActions(c) }
        for a in TaskAction.allCases {
            on(Route.template(a)) { st, c throws(SimulatorError) in try st.taskActionTemplate(c, a) }
            on(Route.invoke(a)) { st, c throws(SimulatorError) in try st.invokeTaskAction(c, a) }
        }
        on(.flowSteps) { st, c throws(SimulatorError) in try st.flowSteps(c) }
        on(.taskLog) { st, c throws(SimulatorError) in try st.taskLog(c) }
        // Task histories (2.8)
        on(.listTaskHistories) { st, c throws(SimulatorError) in try st.listHistories(c) }
        on(.deleteTaskHistories) { st, c throws(SimulatorError) in try st.deleteHistories(c) }
        on(.taskHistory) { st, c throws(SimulatorError) in try st.getHistory(c) }
        on(.deleteTaskHistory) { st, c throws(SimulatorError) in try st.deleteHistory(c) }
        on(.taskHistoryActions) { st, c throws(SimulatorError) in try st.historyActions(c) }
        // Properties (2.9)
        on(.listPropertyDefinitions) { st, c throws(SimulatorError) in try st.listPropertyDefinitions(c) }
        on(.propertyDefinition) { st, c throws(SimulatorError) in .json(try st.propertyDefinition(c).render(c.ctx), status: 200) }
        on(.propertyDefinitionActions) { st, c throws(SimulatorError) in
            // 2.9.3: the items' members are not readable; an empty collection (as 2.9.9 V10).
            _ = try st.propertyDefinition(c)
            return .json(st.collection([]), status: 200)
        }
        on(.listPropertyInformations) { st, c throws(SimulatorError) in try st.listPropertyInformations(c) }
        on(.listPropertyValues) { st, c throws(SimulatorError) in try st.list(try st.ownedValues(c.req, c.caller), c.req, c.ctx) }
        on(.updatePropertyValues) { st, c throws(SimulatorError) in try st.batchUpdate(c.req, c.caller, c.ctx) }
        on(.propertyValue) { st, c throws(SimulatorError) in .json(try st.propertyValue(c).render(c.ctx), status: 200) }
        on(.updatePropertyValue) { st, c throws(SimulatorError) in try st.updatePropertyValue(c) }
        on(.propertyValueActions) { st, c throws(SimulatorError) in
            // 2.9.9, the V11 form: one `update` action, a PUT on the value's URL.
            _ = try st.propertyValue(c)
            let update = st.template(c.ctx, name: "update", href: c.ctx.url(Route.updatePropertyValue.path(c.id)), method: "PUT")
            return .json(st.collection([update]), status: 200)
        }
        on(.listPropertyGroups) { st, c throws(SimulatorError) in try st.listPropertyGroups(c) }
        // Groups, tags, user, version (2.10–2.12)
        on(.listServiceGroups) { st, c throws(SimulatorError) in
            try st.list(st.groups, c.req, c.ctx) { st.visible(c.caller, group: $0.name) }
        }
        on(.serviceGroup) { st, c throws(SimulatorError) in
            guard let g = st.group(c.id), st.visible(c.caller, group: g.name) else { throw .notFound(what: "ServiceGroups/\(c.id)") }
            return .json(g.render(c.ctx), status: 200)
        }
        on(.listTagGroups) { st, c throws(SimulatorError) in try st.list(st.tagGroups, c.req, c.ctx) }
        on(.listTags) { st, c throws(SimulatorError) in try st.tagsList(c.req, c.caller, c.ctx) }
        on(.user) { st, c throws(SimulatorError) in .json(st.userInfo(c.caller, c.ctx), status: 200) }
        on(.version) { st, _ throws(SimulatorError) in
            .json([
                "productName": .string(st.config.productName), "productVersion": .string(st.config.productVersion),
                "apiVersion": .string(st.config.apiVersion),
            ], status: 200)
        }
        return h
    }()

    /// The path of a request as the table spells it: V11 prints the applyTemplate invoke
    /// (2.5.18) without the `actions` segment; that form is read as the table's (V12) one.
    static func tablePath(_ req: SimRequest) -> String {
        guard let applyTemplate = Route.invoke(.applyTemplate) else { return req.path }
        let v11 = applyTemplate.template.split(separator: "/").filter { $0 != "actions" }
        guard req.segments.count == v11.count, let k = v11.firstIndex(of: "{id}"), let id = Int(req.segments[k]),
            zip(v11, req.segments).allSatisfy({ $0 == "{id}" || $0 == $1 })
        else { return req.path }
        return applyTemplate.path(id)
    }

    /// Finds the request's route in the table and runs its handler with the route's id.
    func route(_ req: SimRequest, _ caller: Caller, now: Int64) throws(SimulatorError) -> Outcome {
        let path = Self.tablePath(req)
        guard let route = Route.find(method: req.method, path: path) else {
            if Route.all.contains(where: { $0.matches(method: $0.method, path: path) }) {
                throw .methodNotAllowed(method: req.method, path: req.path)
            }
            throw .noSuchRoute(method: req.method, path: req.path)
        }
        guard let handler = Self.routeHandlers[route] else { throw .noSuchRoute(method: req.method, path: req.path) }
        // `Route.matches` took the `{id}` segment only when it is an integer.
        let k = route.template.split(separator: "/").firstIndex(of: "{id}")
        let id = k.flatMap { Int(path.split(separator: "/")[$0]) } ?? 0
        return try handler(self, RouteCall(route: route, req: req, caller: caller, ctx: context(req), now: now, id: id))
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

    func taskURL(_ ctx: RenderContext, _ id: Int) -> String { ctx.url(Route.task.path(id)) }

    /// The index of a task the caller may see; 404 otherwise.
    private func visibleTask(_ id: Int, _ caller: Caller) throws(SimulatorError) -> Int {
        guard let i = taskIndex(id), visible(caller, group: tasks[i].groupName) else {
            throw .notFound(what: "Tasks/\(id)")
        }
        return i
    }

    func listTasks(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let req = c.req, caller = c.caller
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
        return try list(tasks, req, c.ctx, keep: keep)
    }

    func getTask(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        .json(tasks[try visibleTask(c.id, c.caller)].render(c.ctx), status: 200)
    }

    func editTask(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let i = try visibleTask(c.id, c.caller)
        try require(Roles.all, c.caller, group: tasks[i].groupName, "edit tasks")
        let body = try bodyObject(c.req)
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
        tasks[i].modifyTime = c.now
        return .json(tasks[i].render(c.ctx), status: 200)
    }

    func deleteTask(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        // Idempotent: an absent (or invisible) task answers 204.
        guard let i = taskIndex(c.id), visible(c.caller, group: tasks[i].groupName) else { return .noContent }
        try require(Roles.adm, c.caller, group: tasks[i].groupName, "delete tasks")
        if tasks[i].debug {
            _ = removeTask(at: i)
            return .noContent
        }
        return .seeOther(location: c.ctx.url(Route.template(.archive).path(c.id)))
    }

    func taskActions(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let i = try visibleTask(c.id, c.caller)
        let url = taskURL(c.ctx, c.id)
        let edits = [
            template(c.ctx, name: "update", href: url, method: "PUT"), template(c.ctx, name: "delete", href: url, method: "DELETE"),
        ]
        return .json(collection(edits + TaskAction.allCases.map { taskTemplate($0, i, c.ctx) }), status: 200)
    }

    /// Who may use a task action: archiving needs Admin, Develop or Modify.
    private static func roles(_ action: TaskAction) -> Set<SimulatorRole> { action == .archive ? Roles.adm : Roles.all }

    func taskActionTemplate(_ c: RouteCall, _ action: TaskAction) throws(SimulatorError) -> Outcome {
        let i = try visibleTask(c.id, c.caller)
        try require(Self.roles(action), c.caller, group: tasks[i].groupName, "use the \(action.rawValue) action")
        if action == .response, !TaskRules.allows(.response, tasks[i].status, config.conventions) {
            throw .taskStatus(
                action: "response", status: tasks[i].status, allowed: TaskRules.allowedStatuses(.response, config.conventions))
        }
        return .json(taskTemplate(action, i, c.ctx), status: 200)
    }

    func invokeTaskAction(_ c: RouteCall, _ action: TaskAction) throws(SimulatorError) -> Outcome {
        let i = try visibleTask(c.id, c.caller)
        let id = c.id, ctx = c.ctx, now = c.now
        try require(Self.roles(action), c.caller, group: tasks[i].groupName, "use the \(action.rawValue) action")
        let params = try parameters(try bodyObject(c.req))
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
            return .json(job(ctx, affected: [ctx.url(Route.taskHistory.path(id))], now: now, result: [], resultType: "TaskHistory"), status: 200)
        case .resubmit:
            guard let si = serviceIndex(tasks[i].serviceID) else { throw .notFound(what: "Services/\(tasks[i].serviceID)") }
            let request = try submission(params, service: si, now: now, defaults: tasks[i])
            try checkStatus()
            let created = submit(request, service: si, caller: c.caller, now: now)
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
    private func taskTemplate(_ action: TaskAction, _ i: Int, _ ctx: RenderContext) -> JSON {
        let href = ctx.url(Route.invoke(action).path(tasks[i].id))
        switch action {
        case .resubmit:
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
            return template(ctx, name: "resubmit", href: href, parameters: params)
        case .response:
            var input: JSONObject = [
                "instanceId": .int(tasks[i].id * 100 + tasks[i].currentStep + 1), "taskId": .int(tasks[i].id),
                "message": .string(tasks[i].script.question),
            ]
            for (n, label) in tasks[i].script.buttons.enumerated() { input["labelbutton\(n + 1)"] = .string(label) }
            return template(ctx, name: "response", href: href, parameters: [.object(input)])
        case .rerunStepStart:
            let name = ctx.quirks.contains(.rerunStartName) ? "rerunStart" : "rerunStepStart"
            return template(ctx, name: name, href: href)
        case .stop, .forceStop, .rerunStart, .archive:
            return template(ctx, name: action.rawValue, href: href)
        }
    }

    func isOutput(_ v: SimPropertyValue) -> Bool {
        guard let d = v.definitionID else { return false }
        return propertyDefinitions.first { $0.id == d }?.mode == "out"
    }

    static func hasTags(_ tags: String, _ wanted: [String]) -> Bool {
        let have = Set(tags.split(separator: ",").map { $0.trimmingSpaces.lowercased() })
        return wanted.allSatisfy { have.contains($0) }
    }

    func tagsQuery(_ req: SimRequest) -> [String] {
        (req.query("tags") ?? "").split(separator: ",").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
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
        paths.append(Route.task.path(id))
        if let scheduleID, let k = scheduleIndex(scheduleID) {
            if let i = taskIndex(id), tasks[i].status == .waiting { schedules[k].pendingTaskID = id }
            paths.append(Route.schedule.path(scheduleID))
        }
        return paths
    }

    // MARK: Task histories

    /// The conditions `start`, `end` and `serviceGroupID` of 2.8.1 and 2.8.2.
    private func historyConditions(_ req: SimRequest) throws(SimulatorError) -> (SimHistory) -> Bool {
        let start = try dateQuery(req, "start"), end = try dateQuery(req, "end")
        let groupID = try intQuery(req, "serviceGroupID")
        return { h in
            if let start, (h.task.startTime ?? h.task.submitTime) < start { return false }
            if let end, (h.task.completionTime ?? h.archiveTime) > end { return false }
            if let groupID, h.task.groupID != groupID { return false }
            return true
        }
    }

    func listHistories(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let matches = try historyConditions(c.req)
        let tagSet = tagsQuery(c.req)
        return try list(histories, c.req, c.ctx) { h in
            if !matches(h) { return false }
            if !tagSet.isEmpty && !Self.hasTags(h.task.tags, tagSet) { return false }
            return self.visible(c.caller, group: h.task.groupName)
        }
    }

    func deleteHistories(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let matches = try historyConditions(c.req)
        let groupName = try intQuery(c.req, "serviceGroupID").flatMap { group($0)?.name }
        try require(Roles.adm, c.caller, group: groupName, "delete task histories")
        histories.removeAll { h in
            guard matches(h), let role = c.caller.role(in: h.task.groupName), Roles.adm.contains(role) else { return false }
            return true
        }
        return .noContent
    }

    /// The index of a history record the caller may see; 404 otherwise.
    private func visibleHistory(_ c: RouteCall) throws(SimulatorError) -> Int {
        guard let k = historyIndex(c.id), visible(c.caller, group: histories[k].task.groupName) else {
            throw .notFound(what: "TaskHistories/\(c.id)")
        }
        return k
    }

    func getHistory(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        .json(histories[try visibleHistory(c)].render(c.ctx), status: 200)
    }

    func deleteHistory(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        // Idempotent: an absent (or invisible) record answers 204.
        guard let k = historyIndex(c.id), visible(c.caller, group: histories[k].task.groupName) else { return .noContent }
        try require(Roles.adm, c.caller, group: histories[k].task.groupName, "delete task histories")
        histories.remove(at: k)
        return .noContent
    }

    func historyActions(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        _ = try visibleHistory(c)
        let delete = template(c.ctx, name: "delete", href: c.ctx.url(Route.deleteTaskHistory.path(c.id)), method: "DELETE")
        return .json(collection([delete]), status: 200)
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

    func flowSteps(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let ctx = c.ctx
        let i = try taskForQuery(c.req, c.caller, allowed: ["taskID"])
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

    func taskLog(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let req = c.req, ctx = c.ctx
        let i = try taskForQuery(req, c.caller, allowed: ["taskID", "offset", "readSize", "reverse"])
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
