import AOClient
import Foundation
import ATSJSON

/// Services, service templates, schedules, properties and tags (reference §2.1–§2.8).
extension SimState {
    // MARK: Services

    private func visibleService(_ idText: String, _ caller: Caller) throws(SimulatorError) -> Int {
        guard let id = Int(idText), let i = serviceIndex(id), visible(caller, group: services[i].groupName) else {
            throw .notFound(what: "Services/\(idText)")
        }
        return i
    }

    func servicesRoute(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext, now: Int64) throws(SimulatorError) -> Outcome {
        let s = req.segments
        if s.count == 2 {
            try allow(req, ["GET"])
            let groupID = try intQuery(req, "serviceGroupID"), templateID = try intQuery(req, "serviceTemplateID")
            let favorite = try boolQuery(req, "favorite")
            let propertyKey = req.query("propertyKey")
            let tagSet = tagsQuery(req)
            return try list(services, req, ctx) { svc in
                if let groupID, svc.groupID != groupID { return false }
                if let templateID, svc.templateID != templateID { return false }
                if let favorite, svc.favorite != favorite { return false }
                if let propertyKey, !svc.propertyValueIDs.contains(where: { self.propertyValues[$0]?.keyName.contains(propertyKey) == true }) {
                    return false
                }
                if !tagSet.isEmpty && !Self.hasTags(svc.tags, tagSet) { return false }
                return self.visible(caller, group: svc.groupName)
            }
        }
        if s.count == 3 && req.method == "DELETE" {
            guard let id = Int(s[2]), let i = serviceIndex(id), visible(caller, group: services[i].groupName) else {
                return .noContent
            }
            try require(Roles.adm, caller, group: services[i].groupName, "delete services")
            let count = tasks.lazy.filter { $0.serviceID == id }.count
            if count > 0 { throw .serviceHasTasks(id: id, count: count) }
            for v in services[i].propertyValueIDs { propertyValues[v] = nil }
            if let t = templateIndex(services[i].templateID) { templates[t].usedServices -= 1 }
            services.remove(at: i)
            return .noContent
        }
        let i = try visibleService(s[2], caller)
        let group = services[i].groupName
        let url = ctx.url("/objects/Services/\(services[i].id)")
        if s.count == 3 {
            try allow(req, ["GET", "PUT"])
            if req.method == "PUT" { try editService(i, req, caller, now: now) }
            return .json(services[i].render(ctx), status: 200)
        }
        guard s[3] == "actions", s.count <= 6 else { throw .noSuchRoute(method: req.method, path: req.path) }
        if s.count == 4 {
            try allow(req, ["GET"])
            let items = ["update", "submit", "detailhelp", "delete", "reset", "release", "maintenance", "disable"]
                .map { serviceTemplate($0, i, ctx) }
            return .json(collection(items), status: 200)
        }
        let action = s[4]
        guard ["submit", "detailhelp", "reset", "release", "maintenance", "disable"].contains(action) else {
            throw .noSuchRoute(method: req.method, path: req.path)
        }
        let roles = action == "submit" || action == "detailhelp" ? Roles.all : Roles.adm
        if s.count == 5 {
            try allow(req, ["GET"])
            try require(roles, caller, group: group, "use the \(action) action")
            return .json(serviceTemplate(action, i, ctx), status: 200)
        }
        guard s[5] == "invoke", action != "detailhelp" else { throw .noSuchRoute(method: req.method, path: req.path) }
        try allow(req, ["POST"])
        try require(roles, caller, group: group, "use the \(action) action")
        let params = try parameters(try bodyObject(req))
        switch action {
        case "submit":
            let sub = try submission(params, service: i, now: now, defaults: nil)
            guard services[i].state == .release || services[i].state == .test else {
                throw .serviceNotRunnable(name: services[i].name, state: services[i].state.rawValue)
            }
            let created = submit(sub, service: i, caller: caller, now: now)
            let status = ctx.quirks.contains(.status201) ? 201 : 200
            return .json(job(ctx, affected: created.map { ctx.url($0) }, now: now, result: [], resultType: "Task"), status: status)
        case "reset":
            services[i].failedCount = 0
            services[i].completedCount = 0
            services[i].executedCount = 0
            services[i].submitCount = 0
            services[i].resetTime = now
            services[i].modifyTime = now
            if ctx.quirks.contains(.templateAsResult) { return .json(serviceTemplate("reset", i, ctx), status: 200) }
            return .json(job(ctx, affected: [url], now: now), status: 200)
        default:
            let target: ServiceState = action == "release" ? .release : (action == "maintenance" ? .maintenance : .disabled)
            let from = services[i].state
            let allowed = target == .release ? from != .release : from == .release
            guard allowed else { throw .serviceState(from: from.rawValue, to: target.rawValue) }
            setServiceState(i, target, now: now)
            return .json(job(ctx, affected: [url], now: now, result: [], resultType: "Service"), status: 200)
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
        guard let name = body["name"]?.stringValue, !name.trimmed().isEmpty else {
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

    private func serviceTemplate(_ name: String, _ i: Int, _ ctx: RenderContext) -> JSON {
        let svc = services[i]
        let url = ctx.url("/objects/Services/\(svc.id)")
        switch name {
        case "update": return template(ctx, name: "update", href: url, method: "PUT")
        case "delete": return template(ctx, name: "delete", href: url, method: "DELETE")
        case "detailhelp":
            return template(ctx, name: "detailhelp", href: ctx.baseURL + "/Automation/help/services/\(svc.id).html", method: "GET")
        case "submit":
            var params: [JSON] = [[
                "name": "", "description": "", "scheduleType": "immediate", "scheduledStartTime": .null,
                "recurrenceInterval": .null, "recurrenceMinutes": .null, "recurrenceDayOfWeek": .null,
                "recurrenceDayOfMonth": .null, "recurrenceLastDayOfMonth": .null, "recurrenceStartDate": .null,
                "recurrenceTime": .null,
            ]]
            for (key, value) in serviceInputs(svc) {
                params.append(["keyName": .string(key), "value": .string(value)])
            }
            return template(ctx, name: "submit", href: url + "/actions/submit/invoke", parameters: params)
        default:
            return template(ctx, name: name, href: url + "/actions/\(name)/invoke")
        }
    }

    // MARK: Service templates

    func templatesRoute(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext, now: Int64) throws(SimulatorError) -> Outcome {
        let s = req.segments
        if s.count == 2 {
            try allow(req, ["GET"])
            try require(Roles.adm, caller, group: nil, "read service templates")
            return try list(templates, req, ctx)
        }
        if s.count == 3 && req.method == "DELETE" {
            guard let id = Int(s[2]), let i = templateIndex(id) else { return .noContent }
            try require(Roles.ad, caller, group: nil, "delete service templates")
            let used = services.filter { $0.templateID == id }.count
            if used > 0 { throw .templateInUse(id: id, services: used) }
            templates.remove(at: i)
            propertyDefinitions.removeAll { $0.templateID == id }
            return .noContent
        }
        guard let id = Int(s[2]), let i = templateIndex(id) else { throw .notFound(what: "ServiceTemplates/\(s[2])") }
        if s.count == 3 {
            try allow(req, ["GET"])
            try require(Roles.adm, caller, group: nil, "read service templates")
            return .json(templates[i].render(ctx), status: 200)
        }
        guard s[3] == "actions", s.count <= 6 else { throw .noSuchRoute(method: req.method, path: req.path) }
        if s.count == 4 {
            try allow(req, ["GET"])
            try require(Roles.adm, caller, group: nil, "read service templates")
            return .json(collection(["delete", "export", "detailhelp", "bind"].map { templateAction($0, i, ctx) }), status: 200)
        }
        let action = s[4]
        guard ["export", "detailhelp", "bind"].contains(action) else { throw .noSuchRoute(method: req.method, path: req.path) }
        let roles = action == "export" ? Roles.ad : Roles.adm
        if s.count == 5 {
            try allow(req, ["GET"])
            try require(roles, caller, group: nil, "use the \(action) action")
            return .json(templateAction(action, i, ctx), status: 200)
        }
        guard s[5] == "invoke", action != "detailhelp" else { throw .noSuchRoute(method: req.method, path: req.path) }
        try allow(req, ["POST"])
        try require(roles, caller, group: nil, "use the \(action) action")
        let t = templates[i]
        if action == "export" {
            let content = "ATS simulator service template\nkeyName=\(t.keyName)\nvendorID=\(t.vendorID)\nversion=\(t.version)\n"
            return .download(bytes: Array(content.utf8), filename: "\(t.vendorID)_\(t.keyName)_\(t.version).st")
        }
        // bind: one Services object and PropertyValues.
        let params = try parameters(try bodyObject(req))
        guard let svcParam = params.first(where: { $0["name"] != nil && $0["keyName"] == nil }) else {
            throw .badBody("bind needs a Services parameter with 'name'")
        }
        guard let name = svcParam["name"]?.stringValue, !name.trimmed().isEmpty else { throw .badBody("'name' is required") }
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
        if ctx.quirks.contains(.templateAsResult) { return .json(templateAction("bind", i, ctx), status: status) }
        return .json(job(ctx, affected: [ctx.url("/objects/Services/\(sid)")], now: now, result: [], resultType: "Service"), status: status)
    }

    private func templateAction(_ name: String, _ i: Int, _ ctx: RenderContext) -> JSON {
        let t = templates[i]
        let url = ctx.url("/objects/ServiceTemplates/\(t.id)")
        switch name {
        case "delete": return template(ctx, name: "delete", href: url, method: "DELETE")
        case "detailhelp":
            return template(ctx, name: "detailhelp", href: ctx.baseURL + "/Automation/help/templates/\(t.keyName).html", method: "GET")
        case "bind":
            var params: [JSON] = [[
                "name": "", "description": .string(t.description), "tags": .string(t.tags),
                "supportedScheduleType": .string(t.supportedScheduleType), "serviceState": "release",
                "serviceGroupName": "DefaultServiceGroup",
            ]]
            for d in definitions(ofTemplate: t.id) where d.mode == "in" {
                params.append(["keyName": .string(d.keyName), "value": .string(d.defaultValue)])
            }
            return template(ctx, name: "bind", href: url + "/actions/bind/invoke", parameters: params)
        default:
            return template(ctx, name: name, href: url + "/actions/\(name)/invoke")
        }
    }

    func importForm(_ ctx: RenderContext) -> String {
        let action = ctx.url("/services/ServiceTemplates/actions/import/invoke")
        return "<html><body><form method=\"POST\" enctype=\"multipart/form-data\" action=\"\(action)\">"
            + "<input type=\"file\" name=\"file\"/><input type=\"submit\" value=\"Import\"/></form></body></html>\n"
    }

    func importTemplate(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext, now: Int64) throws(SimulatorError) -> Outcome {
        try require(Roles.ad, caller, group: nil, "import service templates")
        let body = String(decoding: req.body ?? [], as: UTF8.self)
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
        return .json(job(ctx, affected: [ctx.url("/objects/ServiceTemplates/\(id)")], now: now, result: [], resultType: "ServiceTemplate"), status: 200)
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

    func schedulesRoute(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext, now: Int64) throws(SimulatorError) -> Outcome {
        let s = req.segments
        refreshSchedules()
        if s.count == 2 {
            try allow(req, ["GET"])
            let serviceID = try intQuery(req, "serviceID"), groupID = try intQuery(req, "serviceGroupID")
            let templateID = try intQuery(req, "serviceTemplateID")
            let running = req.query("scheduleStatus")
            if let running, running != "running" { throw .badQuery(name: "scheduleStatus", value: running, expected: "running") }
            return try list(schedules, req, ctx) { sc in
                if let serviceID, sc.serviceID != serviceID { return false }
                if let groupID, sc.groupID != groupID { return false }
                if let templateID, sc.templateID != templateID { return false }
                if running != nil, sc.pendingTaskID == nil { return false }
                return self.group(sc.groupID).map { self.visible(caller, group: $0.name) } ?? false
            }
        }
        guard let id = Int(s[2]), let k = scheduleIndex(id),
            let g = group(schedules[k].groupID), visible(caller, group: g.name)
        else { throw .notFound(what: "Schedules/\(s[2])") }
        let url = ctx.url("/objects/Schedules/\(id)")
        if s.count == 3 {
            try allow(req, ["GET"])
            return .json(schedules[k].render(ctx), status: 200)
        }
        guard s[3] == "actions", s.count <= 6 else { throw .noSuchRoute(method: req.method, path: req.path) }
        func actionTemplate(_ name: String) -> JSON {
            var href = url + "/actions/\(name)/invoke"
            if name == "cancel" && ctx.quirks.contains(.missingPort), let colon = href.range(of: ":", options: .backwards, range: href.range(of: "://")!.upperBound..<href.endIndex) {
                // `http://host:/Automation/...` as printed on page 2.6.3.
                let afterPort = href[colon.upperBound...].drop { $0.isNumber }
                href = String(href[..<colon.upperBound]) + afterPort
            }
            return template(ctx, name: name, href: href)
        }
        if s.count == 4 {
            try allow(req, ["GET"])
            return .json(collection(["cancel", "suspend", "resume"].map(actionTemplate)), status: 200)
        }
        guard let action = ScheduleAction(rawValue: s[4]) else { throw .noSuchRoute(method: req.method, path: req.path) }
        if s.count == 5 {
            try allow(req, ["GET"])
            try require(Roles.all, caller, group: g.name, "use the \(action.rawValue) action")
            return .json(actionTemplate(action.rawValue), status: 200)
        }
        guard s[5] == "invoke" else { throw .noSuchRoute(method: req.method, path: req.path) }
        try allow(req, ["POST"])
        try require(Roles.all, caller, group: g.name, "use the \(action.rawValue) action")
        _ = try bodyObject(req)
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
        return .json(job(ctx, affected: [url], now: now, schemaSpelling: true), status: 200)
    }

    // MARK: Properties

    func propertiesRoute(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext, now: Int64) throws(SimulatorError) -> Outcome {
        let s = req.segments
        switch s[1] {
        case "PropertyDefinitions":
            if s.count == 2 {
                try allow(req, ["GET"])
                let templateID = try owningTemplate(req, caller)
                return try list(propertyDefinitions, req, ctx) { d in templateID.map { d.templateID == $0 } ?? true }
            }
            guard s.count == 3 else { break }
            try allow(req, ["GET"])
            guard let id = Int(s[2]), let d = propertyDefinitions.first(where: { $0.id == id }) else {
                throw .notFound(what: "PropertyDefinitions/\(s[2])")
            }
            return .json(d.render(ctx), status: 200)
        case "PropertyInformations":
            guard s.count == 2 else { break }
            try allow(req, ["GET"])
            let owners = ["serviceID", "taskID", "scheduleID", "shared"].filter { req.has($0) }
            guard owners.count == 1 else { throw .missingQuery("exactly one of serviceID, taskID, scheduleID, shared") }
            let values = try ownedValues(req, caller)
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
        case "PropertyValues":
            if s.count == 2 {
                try allow(req, ["GET", "PUT"])
                if req.method == "PUT" { return try batchUpdate(req, caller, ctx) }
                return try list(try ownedValues(req, caller), req, ctx)
            }
            guard s.count == 3 else { break }
            try allow(req, ["GET", "PUT"])
            guard let id = Int(s[2]), let v = propertyValues[id], valueVisible(v, caller) else {
                throw .notFound(what: "PropertyValues/\(s[2])")
            }
            if req.method == "PUT" {
                try require(Roles.adm, caller, group: valueGroup(v), "update property values")
                let body = try bodyObject(req)
                guard let newValue = body["value"] else { throw .badBody("'value' is required") }
                try update(id, to: newValue, readOnly: nil, hidden: nil)
            }
            return .json(propertyValues[id]!.render(ctx), status: 200)
        case "PropertyGroups":
            guard s.count == 2 else { break }
            try allow(req, ["GET"])
            let owners = ["serviceTemplateID", "serviceID", "scheduleID", "taskID"].filter { req.has($0) }
            guard owners.count == 1 else { throw .missingQuery("exactly one of serviceTemplateID, serviceID, scheduleID, taskID") }
            guard let templateID = try owningTemplate(req, caller) else { throw .missingQuery("an owner") }
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
        default: break
        }
        throw .noSuchRoute(method: req.method, path: req.path)
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

    private func ownedValues(_ req: SimRequest, _ caller: Caller) throws(SimulatorError) -> [SimPropertyValue] {
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

    private func batchUpdate(_ req: SimRequest, _ caller: Caller, _ ctx: RenderContext) throws(SimulatorError) -> Outcome {
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
