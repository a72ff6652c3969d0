import AOClient
import Foundation
import ATSJSON

/// Services, service templates, schedules, properties and tags (reference §2.1–§2.8).
extension SimState {
    // MARK: Services

    private func visibleService(_ id: Int, _ caller: Caller) throws(SimulatorError) -> Int {
        guard let i = serviceIndex(id), visible(caller, group: services[i].groupName) else {
            throw .notFound(what: "Services/\(id)")
        }
        return i
    }

    func listServices(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let req = c.req
        let groupID = try intQuery(req, "serviceGroupID"), templateID = try intQuery(req, "serviceTemplateID")
        let favorite = try boolQuery(req, "favorite")
        let propertyKey = req.query("propertyKey")
        let tagSet = tagsQuery(req)
        return try list(services, req, c.ctx) { svc in
            if let groupID, svc.groupID != groupID { return false }
            if let templateID, svc.templateID != templateID { return false }
            if let favorite, svc.favorite != favorite { return false }
            if let propertyKey, !svc.propertyValueIDs.contains(where: { self.propertyValues[$0]?.keyName.contains(propertyKey) == true }) {
                return false
            }
            if !tagSet.isEmpty && !Self.hasTags(svc.tags, tagSet) { return false }
            return self.visible(c.caller, group: svc.groupName)
        }
    }

    func getService(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        .json(services[try visibleService(c.id, c.caller)].render(c.ctx), status: 200)
    }

    func editService(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let i = try visibleService(c.id, c.caller)
        try editService(i, c.req, c.caller, now: c.now)
        return .json(services[i].render(c.ctx), status: 200)
    }

    func deleteService(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let id = c.id
        guard let i = serviceIndex(id), visible(c.caller, group: services[i].groupName) else { return .noContent }
        try require(Roles.adm, c.caller, group: services[i].groupName, "delete services")
        let count = tasks.lazy.filter { $0.serviceID == id }.count
        if count > 0 { throw .serviceHasTasks(id: id, count: count) }
        for v in services[i].propertyValueIDs { propertyValues[v] = nil }
        if let t = templateIndex(services[i].templateID) { templates[t].usedServices -= 1 }
        services.remove(at: i)
        return .noContent
    }

    func serviceActions(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let i = try visibleService(c.id, c.caller)
        let url = c.ctx.url(Route.service.path(c.id))
        let update = template(c.ctx, name: "update", href: url, method: "PUT")
        let delete = template(c.ctx, name: "delete", href: url, method: "DELETE")
        let t = { (a: ServiceAction) in self.serviceTemplate(a, i, c.ctx) }
        let items = [update, t(.submit), t(.detailhelp), delete, t(.reset), t(.release), t(.maintenance), t(.disable), t(.applyTemplate)]
        return .json(collection(items), status: 200)
    }

    /// Who may use a service action: submitting and its help are for every role.
    private static func roles(_ action: ServiceAction) -> Set<SimulatorRole> {
        action == .submit || action == .detailhelp ? Roles.all : Roles.adm
    }

    func serviceActionTemplate(_ c: RouteCall, _ action: ServiceAction) throws(SimulatorError) -> Outcome {
        let i = try visibleService(c.id, c.caller)
        try require(Self.roles(action), c.caller, group: services[i].groupName, "use the \(action.rawValue) action")
        return .json(serviceTemplate(action, i, c.ctx), status: 200)
    }

    func invokeServiceAction(_ c: RouteCall, _ action: ServiceAction) throws(SimulatorError) -> Outcome {
        let i = try visibleService(c.id, c.caller)
        let ctx = c.ctx, now = c.now
        try require(Self.roles(action), c.caller, group: services[i].groupName, "use the \(action.rawValue) action")
        let params = try parameters(try bodyObject(c.req))
        let url = ctx.url(Route.service.path(c.id))
        switch action {
        case .submit:
            let sub = try submission(params, service: i, now: now, defaults: nil)
            guard services[i].state == .release || services[i].state == .test else {
                throw .serviceNotRunnable(name: services[i].name, state: services[i].state.rawValue)
            }
            let created = submit(sub, service: i, caller: c.caller, now: now)
            let status = ctx.quirks.contains(.status201) ? 201 : 200
            return .json(job(ctx, affected: created.map { ctx.url($0) }, now: now, result: [], resultType: "Task"), status: status)
        case .reset:
            services[i].failedCount = 0
            services[i].completedCount = 0
            services[i].executedCount = 0
            services[i].submitCount = 0
            services[i].resetTime = now
            services[i].modifyTime = now
            if ctx.quirks.contains(.templateAsResult) { return .json(serviceTemplate(.reset, i, ctx), status: 200) }
            return .json(job(ctx, affected: [url], now: now), status: 200)
        case .applyTemplate:
            // 2.5.18: parameters[0].instanceID is the service template to apply.
            guard let target = params.first?["instanceID"].flatMap({ $0.intValue ?? $0.stringValue.flatMap { Int($0) } }) else {
                throw .badBody("parameters[0].instanceID (the service template to apply) is required")
            }
            guard let t = templateIndex(target) else { throw .badBody("no service template \(target)") }
            if let old = templateIndex(services[i].templateID), old != t {
                guard templates[old].keyName == templates[t].keyName else {
                    throw .templateMismatch(service: services[i].name, template: target)
                }
                templates[old].usedServices -= 1
                templates[t].usedServices += 1
            }
            services[i].templateID = target
            services[i].modifyTime = now
            return .json(job(ctx, affected: [url], now: now, result: [], resultType: "Service"), status: 200)
        case .release, .maintenance, .disable:
            let target: ServiceState = action == .release ? .release : (action == .maintenance ? .maintenance : .disabled)
            let from = services[i].state
            let allowed = target == .release ? from != .release : from == .release
            guard allowed else { throw .serviceState(from: from.rawValue, to: target.rawValue) }
            setServiceState(i, target, now: now)
            return .json(job(ctx, affected: [url], now: now, result: [], resultType: "Service"), status: 200)
        case .detailhelp:
            // The table has no invoke for detailhelp; no handler is registered for it.
            throw .noSuchRoute(method: c.req.method, path: c.req.path)
        }
    }

    private func setServiceState(_ i: Int, _ state: ServiceState, now: Int64) {
        services[i].state = state
        services[i].modifyTime = now
        let id = services[i].id
        for k in tasks.indices where tasks[k].serviceID == id { tasks[k].serviceState = state }
        for k in schedules.indices where schedules[k].serviceID == id { schedules[k].serviceState = state }
    }

    private func editService(_ i: Int, _ req: SimRequest, _ caller: Caller, now: Int64) throws(SimulatorError) {
        let group = services[i].groupName
        try require(Roles.all, caller, group: group, "edit services")
        let body = try bodyObject(req)
        let role = caller.role(in: group)
        if role == .submit {
            // Submit may change only `favorite`.
            let svc = services[i]
            let changes = (body["name"]?.stringValue.map { $0 != svc.name } ?? false)
                || (body["description"]?.stringValue.map { $0 != svc.description } ?? false)
                || (body["tags"]?.stringValue.map { $0 != svc.tags } ?? false)
                || (body["serviceState"]?.stringValue.map { $0 != svc.state.rawValue } ?? false)
                || (body["supportedScheduleType"]?.stringValue.map { $0 != svc.supportedScheduleType } ?? false)
            if changes { throw .forbidden(operation: "change members other than favorite", role: Roles.describe(Roles.adm)) }
        }
        guard let name = body["name"]?.stringValue, !name.trimmingSpaces.isEmpty else {
            throw .badBody("'name' is required")
        }
        if services.contains(where: { $0.name == name && $0.id != services[i].id }) { throw .duplicateName(name) }
        var state = services[i].state
        if let st = body["serviceState"], !st.isNull {
            guard let text = st.stringValue, let v = ServiceState(rawValue: text == "debug" ? "test" : text) else {
                throw .badBody("serviceState must be release, test, maintenance or disabled")
            }
            state = v
        }
        if let f = body["favorite"], !f.isNull {
            guard let v = f.boolValue else { throw .badBody("'favorite' must be true or false") }
            services[i].favorite = v
        }
        services[i].name = name
        if let d = body["description"]?.stringValue { services[i].description = d }
        if let t = body["tags"]?.stringValue { services[i].tags = t }
        if let t = body["supportedScheduleType"]?.stringValue { services[i].supportedScheduleType = t }
        services[i].modifyTime = now
        if state != services[i].state { setServiceState(i, state, now: now) }
    }

    private func serviceTemplate(_ action: ServiceAction, _ i: Int, _ ctx: RenderContext) -> JSON {
        let svc = services[i]
        let href = Route.invoke(action).map { ctx.url($0.path(svc.id)) } ?? ""
        switch action {
        case .detailhelp:
            return template(ctx, name: "detailhelp", href: ctx.baseURL + "/Automation/help/services/\(svc.id).html", method: "GET")
        case .applyTemplate:
            return template(ctx, name: "applyTemplate", href: href, parameters: [["instanceID": .int(svc.templateID)]])
        case .submit:
            var params: [JSON] = [[
                "name": "", "description": "", "scheduleType": "immediate", "scheduledStartTime": .null,
                "recurrenceInterval": .null, "recurrenceMinutes": .null, "recurrenceDayOfWeek": .null,
                "recurrenceDayOfMonth": .null, "recurrenceLastDayOfMonth": .null, "recurrenceStartDate": .null,
                "recurrenceTime": .null,
            ]]
            for (key, value) in serviceInputs(svc) {
                params.append(["keyName": .string(key), "value": .string(value)])
            }
            return template(ctx, name: "submit", href: href, parameters: params)
        case .reset, .release, .maintenance, .disable:
            return template(ctx, name: action.rawValue, href: href)
        }
    }

    // MARK: Service templates

    /// The index of a service template; 404 otherwise.
    private func existingTemplate(_ id: Int) throws(SimulatorError) -> Int {
        guard let i = templateIndex(id) else { throw .notFound(what: "ServiceTemplates/\(id)") }
        return i
    }

    func listTemplates(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        try require(Roles.adm, c.caller, group: nil, "read service templates")
        return try list(templates, c.req, c.ctx)
    }

    func getTemplate(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let i = try existingTemplate(c.id)
        try require(Roles.adm, c.caller, group: nil, "read service templates")
        return .json(templates[i].render(c.ctx), status: 200)
    }

    func deleteTemplate(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let id = c.id
        guard let i = templateIndex(id) else { return .noContent }
        try require(Roles.ad, c.caller, group: nil, "delete service templates")
        let used = services.filter { $0.templateID == id }.count
        if used > 0 { throw .templateInUse(id: id, services: used) }
        templates.remove(at: i)
        propertyDefinitions.removeAll { $0.templateID == id }
        return .noContent
    }

    func templateActions(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let i = try existingTemplate(c.id)
        try require(Roles.adm, c.caller, group: nil, "read service templates")
        let delete = template(c.ctx, name: "delete", href: c.ctx.url(Route.deleteServiceTemplate.path(c.id)), method: "DELETE")
        return .json(collection([delete] + [.export, .detailhelp, .bind].map { templateAction($0, i, c.ctx) }), status: 200)
    }

    /// Who may use a service template action: exporting needs Admin or Develop.
    private static func roles(_ action: ServiceTemplateAction) -> Set<SimulatorRole> { action == .export ? Roles.ad : Roles.adm }

    func templateActionTemplate(_ c: RouteCall, _ action: ServiceTemplateAction) throws(SimulatorError) -> Outcome {
        let i = try existingTemplate(c.id)
        try require(Self.roles(action), c.caller, group: nil, "use the \(action.rawValue) action")
        return .json(templateAction(action, i, c.ctx), status: 200)
    }

    func invokeTemplateAction(_ c: RouteCall, _ action: ServiceTemplateAction) throws(SimulatorError) -> Outcome {
        let i = try existingTemplate(c.id)
        try require(Self.roles(action), c.caller, group: nil, "use the \(action.rawValue) action")
        let t = templates[i]
        switch action {
        case .export:
            let content = "ATS simulator service template\nkeyName=\(t.keyName)\nvendorID=\(t.vendorID)\nversion=\(t.version)\n"
            return .download(bytes: Array(content.utf8), filename: "\(t.vendorID)_\(t.keyName)_\(t.version).st")
        case .bind:
            return try bindTemplate(c, i)
        case .detailhelp:
            // The table has no invoke for detailhelp; no handler is registered for it.
            throw .noSuchRoute(method: c.req.method, path: c.req.path)
        }
    }

    /// 2.4.11: one Services object and PropertyValues.
    private func bindTemplate(_ c: RouteCall, _ i: Int) throws(SimulatorError) -> Outcome {
        let req = c.req, caller = c.caller, ctx = c.ctx, now = c.now, id = c.id
        let t = templates[i]
        let params = try parameters(try bodyObject(req))
        guard let svcParam = params.first(where: { $0["name"] != nil && $0["keyName"] == nil }) else {
            throw .badBody("bind needs a Services parameter with 'name'")
        }
        guard let name = svcParam["name"]?.stringValue, !name.trimmingSpaces.isEmpty else { throw .badBody("'name' is required") }
        let groupName = svcParam["serviceGroupName"]?.stringValue ?? "DefaultServiceGroup"
        guard let g = groups.first(where: { $0.name == groupName }) else {
            throw .badBody("there is no service group named '\(groupName)'")
        }
        try require(Roles.adm, caller, group: g.name, "create services in \(g.name)")
        if services.contains(where: { $0.name == name }) { throw .duplicateName(name) }
        var state = ServiceState.release
        if let st = svcParam["serviceState"]?.stringValue {
            guard let v = ServiceState(rawValue: st == "debug" ? "test" : st) else {
                throw .badBody("serviceState must be release, test, maintenance or disabled")
            }
            state = v
        }
        let defs = definitions(ofTemplate: id).filter { $0.mode == "in" }
        let values = params.filter { $0["value"] != nil && $0["name"] == nil }
        let sid = nextServiceID
        nextServiceID += 1
        var svc = SimService(
            id: sid, name: name, description: svcParam["description"]?.stringValue ?? t.description,
            tags: svcParam["tags"]?.stringValue ?? t.tags, templateID: id, templateName: t.displayName,
            vendorName: t.vendorName, version: t.version, createTime: now, modifyTime: now, state: state, groupID: g.id,
            groupName: g.name, supportedScheduleType: svcParam["supportedScheduleType"]?.stringValue ?? t.supportedScheduleType,
            script: t.script)
        for (k, d) in defs.enumerated() {
            let given = values.first { $0["keyName"]?.stringValue == d.keyName } ?? (k < values.count && values[k]["keyName"] == nil ? values[k] : nil)
            let value = given?["value"]?.stringValue ?? d.defaultValue
            try validate(value, d)
            svc.propertyValueIDs.append(addPropertyValue(
                keyName: d.keyName, value: value, type: d.type, serviceID: sid, definitionID: d.id))
        }
        services.append(svc)
        templates[i].usedServices += 1
        let status = ctx.quirks.contains(.status201) ? 201 : 200
        if ctx.quirks.contains(.templateAsResult) { return .json(templateAction(.bind, i, ctx), status: status) }
        return .json(job(ctx, affected: [ctx.url(Route.service.path(sid))], now: now, result: [], resultType: "Service"), status: status)
    }

    private func templateAction(_ action: ServiceTemplateAction, _ i: Int, _ ctx: RenderContext) -> JSON {
        let t = templates[i]
        let href = Route.invoke(action).map { ctx.url($0.path(t.id)) } ?? ""
        switch action {
        case .detailhelp:
            return template(ctx, name: "detailhelp", href: ctx.baseURL + "/Automation/help/templates/\(t.keyName).html", method: "GET")
        case .bind:
            var params: [JSON] = [[
                "name": "", "description": .string(t.description), "tags": .string(t.tags),
                "supportedScheduleType": .string(t.supportedScheduleType), "serviceState": "release",
                "serviceGroupName": "DefaultServiceGroup",
            ]]
            for d in definitions(ofTemplate: t.id) where d.mode == "in" {
                params.append(["keyName": .string(d.keyName), "value": .string(d.defaultValue)])
            }
            return template(ctx, name: "bind", href: href, parameters: params)
        case .export:
            return template(ctx, name: "export", href: href)
        }
    }

    func importForm(_ ctx: RenderContext) -> String {
        let action = ctx.url(Route.importServiceTemplate.path())
        return "<html><body><form method=\"POST\" enctype=\"multipart/form-data\" action=\"\(action)\">"
            + "<input type=\"file\" name=\"file\"/><input type=\"submit\" value=\"Import\"/></form></body></html>\n"
    }

    func importTemplate(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let ctx = c.ctx, now = c.now
        try require(Roles.ad, c.caller, group: nil, "import service templates")
        let body = String(decoding: c.req.body ?? [], as: UTF8.self)
        guard let r = body.range(of: "filename=\"") else {
            throw .badBody("expected a multipart/form-data body with a file part (filename=\"….st\")")
        }
        let rest = body[r.upperBound...]
        guard let end = rest.firstIndex(of: "\""), rest[..<end].hasSuffix(".st") else {
            throw .badBody("the uploaded file must be a service template (.st)")
        }
        var key = String(rest[..<end].dropLast(3))
        if let slash = key.lastIndex(where: { $0 == "/" || $0 == "\\" }) { key = String(key[key.index(after: slash)...]) }
        let id = nextTemplateID
        nextTemplateID += 1
        templates.append(SimTemplate(
            id: id, keyName: key, displayName: key, vendorID: "com.example.imported", version: "01.00.00",
            vendorName: "Imported", tags: "", createTime: now, modifyTime: now, description: "Imported service template",
            releaseState: "release", latest: true, supportedScheduleType: "immediate",
            script: TaskScript(stepMilliseconds: [1000, 1000])))
        return .json(job(ctx, affected: [ctx.url(Route.serviceTemplate.path(id))], now: now, result: [], resultType: "ServiceTemplate"), status: 200)
    }

    // MARK: Schedules

    /// The schedule's status mirrors its pending task (reference §5.2 notes).
    private func refreshSchedules() {
        for k in schedules.indices {
            if let id = schedules[k].pendingTaskID, let i = taskIndex(id) {
                schedules[k].statusText = config.statusStrings.string(for: tasks[i].status)
            }
        }
    }

    func listSchedules(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let req = c.req
        refreshSchedules()
        let serviceID = try intQuery(req, "serviceID"), groupID = try intQuery(req, "serviceGroupID")
        let templateID = try intQuery(req, "serviceTemplateID")
        let running = req.query("scheduleStatus")
        if let running, running != "running" { throw .badQuery(name: "scheduleStatus", value: running, expected: "running") }
        return try list(schedules, req, c.ctx) { sc in
            if let serviceID, sc.serviceID != serviceID { return false }
            if let groupID, sc.groupID != groupID { return false }
            if let templateID, sc.templateID != templateID { return false }
            if running != nil, sc.pendingTaskID == nil { return false }
            return self.group(sc.groupID).map { self.visible(c.caller, group: $0.name) } ?? false
        }
    }

    /// The index and group of a schedule the caller may see (statuses refreshed); 404 otherwise.
    private func visibleSchedule(_ c: RouteCall) throws(SimulatorError) -> (index: Int, group: String) {
        refreshSchedules()
        guard let k = scheduleIndex(c.id), let g = group(schedules[k].groupID), visible(c.caller, group: g.name) else {
            throw .notFound(what: "Schedules/\(c.id)")
        }
        return (k, g.name)
    }

    func getSchedule(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        .json(schedules[try visibleSchedule(c).index].render(c.ctx), status: 200)
    }

    func scheduleActions(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        _ = try visibleSchedule(c)
        return .json(collection(ScheduleAction.allCases.map { scheduleTemplate($0, c.id, c.ctx) }), status: 200)
    }

    private func scheduleTemplate(_ action: ScheduleAction, _ id: Int, _ ctx: RenderContext) -> JSON {
        var href = ctx.url(Route.invoke(action).path(id))
        if action == .cancel && ctx.quirks.contains(.missingPort), let colon = href.range(of: ":", options: .backwards, range: href.range(of: "://")!.upperBound..<href.endIndex) {
            // `http://host:/Automation/...` as printed on page 2.6.3.
            let afterPort = href[colon.upperBound...].drop { $0.isNumber }
            href = String(href[..<colon.upperBound]) + afterPort
        }
        return template(ctx, name: action.rawValue, href: href)
    }

    func scheduleActionTemplate(_ c: RouteCall, _ action: ScheduleAction) throws(SimulatorError) -> Outcome {
        let (_, group) = try visibleSchedule(c)
        try require(Roles.all, c.caller, group: group, "use the \(action.rawValue) action")
        return .json(scheduleTemplate(action, c.id, c.ctx), status: 200)
    }

    func invokeScheduleAction(_ c: RouteCall, _ action: ScheduleAction) throws(SimulatorError) -> Outcome {
        let (k, group) = try visibleSchedule(c)
        let id = c.id, now = c.now
        try require(Roles.all, c.caller, group: group, "use the \(action.rawValue) action")
        _ = try bodyObject(c.req)
        // The task that the schedule's status mirrors: the pending one, else the latest of the schedule.
        let taskPos = schedules[k].pendingTaskID.flatMap { taskIndex($0) }
            ?? tasks.lastIndex { $0.scheduleID == id }
        let status = taskPos.map { tasks[$0].status } ?? .completed
        guard TaskRules.allows(action, status, config.conventions), let p = taskPos else {
            throw .scheduleStatus(
                action: action.rawValue, status: status, allowed: TaskRules.allowedStatuses(action, config.conventions))
        }
        switch (action, status) {
        case (.cancel, .waiting), (.cancel, .suspended):
            cancel(p, at: now)
            schedules[k].pendingTaskID = nil
            schedules[k].statusText = config.statusStrings.string(for: .canceled)
        case (.suspend, .waiting):
            suspend(p, at: now)
        case (.resume, .suspended):
            resume(p, at: now)
        default:
            break  // accepted without a change (already in the target status): 200
        }
        schedules[k].modifyTime = now
        refreshSchedules()
        return .json(job(c.ctx, affected: [c.ctx.url(Route.schedule.path(id))], now: now, schemaSpelling: true), status: 200)
    }

    // MARK: Properties

    func listPropertyDefinitions(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let templateID = try owningTemplate(c.req, c.caller)
        return try list(propertyDefinitions, c.req, c.ctx) { d in templateID.map { d.templateID == $0 } ?? true }
    }

    /// The property definition of the route's id; 404 otherwise.
    func propertyDefinition(_ c: RouteCall) throws(SimulatorError) -> SimPropertyDefinition {
        guard let d = propertyDefinitions.first(where: { $0.id == c.id }) else { throw .notFound(what: "PropertyDefinitions/\(c.id)") }
        return d
    }

    func listPropertyInformations(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let ctx = c.ctx
        let owners = ["serviceID", "taskID", "scheduleID", "shared"].filter { c.req.has($0) }
        guard owners.count == 1 else { throw .missingQuery("exactly one of serviceID, taskID, scheduleID, shared") }
        let values = try ownedValues(c.req, c.caller)
        let items: [JSON] = values.map { v in
            var o = JSONObject()
            let d = v.definitionID.flatMap { id in propertyDefinitions.first { $0.id == id } }
            if let d, case .object(let defJSON) = d.render(ctx) { for (k, x) in defJSON { o[k] = x } }
            o["instanceID"] = .int(v.id)
            o["keyName"] = .string(v.keyName)
            o["value"] = .string(v.value)
            o["propertyDefinitionID"] = d.map { JSON.int($0.id) } ?? JSON.null
            o["serviceID"] = ctx.json(FieldValue(v.serviceID))
            o["taskID"] = ctx.json(FieldValue(v.taskID))
            o["scheduleID"] = ctx.json(FieldValue(v.scheduleID))
            return .object(o)
        }
        return .json(collection(items), status: 200)
    }

    /// The property value of the route's id that the caller may see; 404 otherwise.
    func propertyValue(_ c: RouteCall) throws(SimulatorError) -> SimPropertyValue {
        guard let v = propertyValues[c.id], valueVisible(v, c.caller) else { throw .notFound(what: "PropertyValues/\(c.id)") }
        return v
    }

    func updatePropertyValue(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let v = try propertyValue(c)
        try require(Roles.adm, c.caller, group: valueGroup(v), "update property values")
        let body = try bodyObject(c.req)
        guard let newValue = body["value"] else { throw .badBody("'value' is required") }
        try update(c.id, to: newValue, readOnly: nil, hidden: nil)
        return .json(try propertyValue(c).render(c.ctx), status: 200)
    }

    func listPropertyGroups(_ c: RouteCall) throws(SimulatorError) -> Outcome {
        let owners = ["serviceTemplateID", "serviceID", "scheduleID", "taskID"].filter { c.req.has($0) }
        guard owners.count == 1 else { throw .missingQuery("exactly one of serviceTemplateID, serviceID, scheduleID, taskID") }
        guard let templateID = try owningTemplate(c.req, c.caller) else { throw .missingQuery("an owner") }
        let defs = definitions(ofTemplate: templateID)
        var names: [String] = []
        for d in defs where !names.contains(d.groupName) { names.append(d.groupName) }
        let items: [JSON] = names.enumerated().map { n, name in
            [
                "instanceID": .int(templateID * 10 + n + 1), "name": .string(name), "displayName": .string(name),
                "serviceTemplateID": .int(templateID),
                "propertyKeys": .string(defs.filter { $0.groupName == name }.map(\.keyName).joined(separator: ",")),
            ]
        }
        return .json(collection(items), status: 200)
    }

    /// The template whose definitions apply for serviceTemplateID / serviceID / taskID / scheduleID.
    private func owningTemplate(_ req: SimRequest, _ caller: Caller) throws(SimulatorError) -> Int? {
        if let id = try intQuery(req, "serviceTemplateID") {
            guard templateIndex(id) != nil else { throw .notFound(what: "ServiceTemplates/\(id)") }
            return id
        }
        if let id = try intQuery(req, "serviceID") {
            guard let i = serviceIndex(id), visible(caller, group: services[i].groupName) else { throw .notFound(what: "Services/\(id)") }
            return services[i].templateID
        }
        if let id = try intQuery(req, "taskID") {
            guard let i = taskIndex(id), visible(caller, group: tasks[i].groupName) else { throw .notFound(what: "Tasks/\(id)") }
            return tasks[i].templateID
        }
        if let id = try intQuery(req, "scheduleID") {
            guard let k = scheduleIndex(id) else { throw .notFound(what: "Schedules/\(id)") }
            return schedules[k].templateID
        }
        return nil
    }

    func ownedValues(_ req: SimRequest, _ caller: Caller) throws(SimulatorError) -> [SimPropertyValue] {
        if let id = try intQuery(req, "serviceID") {
            guard let i = serviceIndex(id), visible(caller, group: services[i].groupName) else { throw .notFound(what: "Services/\(id)") }
            return services[i].propertyValueIDs.compactMap { propertyValues[$0] }
        }
        if let id = try intQuery(req, "taskID") {
            guard let i = taskIndex(id), visible(caller, group: tasks[i].groupName) else { throw .notFound(what: "Tasks/\(id)") }
            return tasks[i].propertyValueIDs.compactMap { propertyValues[$0] }
        }
        if let id = try intQuery(req, "scheduleID") {
            guard let k = scheduleIndex(id) else { throw .notFound(what: "Schedules/\(id)") }
            let taskID = schedules[k].pendingTaskID ?? tasks.last { $0.scheduleID == id }?.id
            guard let taskID, let i = taskIndex(taskID) else { return [] }
            return tasks[i].propertyValueIDs.compactMap { propertyValues[$0] }.map { v in
                var v = v
                v.scheduleID = id
                return v
            }
        }
        return sharedPropertyValueIDs.compactMap { propertyValues[$0] }
    }

    private func valueGroup(_ v: SimPropertyValue) -> String? {
        if let sid = v.serviceID, let i = serviceIndex(sid) { return services[i].groupName }
        if let tid = v.taskID, let i = taskIndex(tid) { return tasks[i].groupName }
        return nil
    }

    private func valueVisible(_ v: SimPropertyValue, _ caller: Caller) -> Bool {
        if v.serviceID == nil && v.taskID == nil { return true }
        if let tid = v.taskID, taskIndex(tid) == nil { return false }
        guard let g = valueGroup(v) else { return false }
        return visible(caller, group: g)
    }

    private func update(_ id: Int, to newValue: JSON, readOnly: Bool?, hidden: Bool?) throws(SimulatorError) {
        guard var v = propertyValues[id] else { throw .notFound(what: "PropertyValues/\(id)") }
        let text: String
        switch newValue {
        case .string(let s): text = s
        case .int(let i): text = String(i)
        case .bool(let b): text = b ? "true" : "false"
        case .double(let d): text = String(d)
        case .null, .array, .object: throw .badBody("'value' must be a string")
        }
        if v.taskID != nil { throw .badBody("property values of tasks are not editable") }
        if let d = v.definitionID.flatMap({ id in propertyDefinitions.first { $0.id == id } }) { try validate(text, d) }
        v.value = text
        if let readOnly { v.readOnly = readOnly }
        if let hidden { v.hidden = hidden }
        propertyValues[id] = v
    }

    func batchUpdate(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext) throws(SimulatorError) -> Outcome {
        let serviceID = try intQuery(req, "serviceID")
        var group: String?
        if let serviceID {
            guard let i = serviceIndex(serviceID), visible(caller, group: services[i].groupName) else {
                throw .notFound(what: "Services/\(serviceID)")
            }
            group = services[i].groupName
        }
        try require(Roles.adm, caller, group: group, "update property values")
        let body = try bodyObject(req)
        guard case .array(let items)? = body["data"] else { throw .badBody("expected { \"pagination\": {}, \"data\": [ … ], \"count\": n }") }
        var planned: [(Int, JSON, Bool?, Bool?)] = []
        for item in items {
            guard let o = item.objectValue, let id = o["instanceID"]?.intValue, let value = o["value"] else {
                throw .badBody("each item needs instanceID and value")
            }
            guard let v = propertyValues[id], serviceID.map({ v.serviceID == $0 }) ?? (v.serviceID == nil && v.taskID == nil) else {
                throw .badBody("property value \(id) does not belong to \(serviceID.map { "service \($0)" } ?? "the shared properties")")
            }
            let ro = serviceID == nil ? nil : o["readOnly"]?.boolValue
            let hi = serviceID == nil ? nil : o["hidden"]?.boolValue
            planned.append((id, value, ro, hi))
        }
        for (id, value, ro, hi) in planned { try update(id, to: value, readOnly: ro, hidden: hi) }
        return .json(collection(planned.compactMap { propertyValues[$0.0]?.render(ctx) }), status: 200)
    }

    // MARK: Tags

    func tagsList(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext) throws(SimulatorError) -> Outcome {
        guard let kind = req.query("resourceType") else { return try list(tags, req, ctx) }
        var used: Set<String> = []
        switch kind {
        case "ServiceTemplate": for t in templates { used.formUnion(t.tags.split(separator: ",").map(String.init)) }
        case "Service":
            for s in services where visible(caller, group: s.groupName) { used.formUnion(s.tags.split(separator: ",").map(String.init)) }
        case "Task":
            for s in services where visible(caller, group: s.groupName) && tasks.contains(where: { $0.serviceID == s.id }) {
                used.formUnion(s.tags.split(separator: ",").map(String.init))
            }
        case "TaskHistory":
            for h in histories where visible(caller, group: h.task.groupName) { used.formUnion(h.task.tags.split(separator: ",").map(String.init)) }
        default:
            throw .badQuery(name: "resourceType", value: kind, expected: "ServiceTemplate, Service, Task or TaskHistory")
        }
        return try list(tags, req, ctx) { used.contains($0.name) }
    }
}
