import ATSJSON

// One function per route of reference §2.0. Paths are relative to `/Automation/v1`.

// MARK: Tasks (2.7)

extension AOClient {
    /// `GET /objects/Tasks` (2.7.1).
    public func listTasks(_ query: TaskQuery = TaskQuery()) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.list, .tasks), "/objects/Tasks", query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Tasks/{id}` (2.7.2).
    public func task(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .tasks, id: id), "/objects/Tasks/\(id)")
    }

    /// `PUT /objects/Tasks/{id}` (2.7.3): only `notes` and `toDo` are taken by the server;
    /// `nil` leaves a member out. Returns the updated task.
    public func editTask(_ id: Int, notes: String? = nil, toDo: Bool? = nil) async throws(APIError) -> JSON {
        var body = JSONObject()
        if let notes { body["notes"] = .string(notes) }
        if let toDo { body["toDo"] = .bool(toDo) }
        return try await put(APIOperation(.edit, .tasks, id: id), "/objects/Tasks/\(id)", body: .object(body))
    }

    /// `DELETE /objects/Tasks/{id}` (2.7.4): 204 → `.deleted`; 303 → `.archiveInstead` with
    /// the `Location` (a normal task is archived, not deleted).
    public func deleteTask(_ id: Int) async throws(APIError) -> TaskDeletion {
        let r = try await delete(APIOperation(.delete, .tasks, id: id), "/objects/Tasks/\(id)")
        if r.status == 303 {
            return .archiveInstead(taskID: id, location: r.headers["Location"]?.revealed().trimmed())
        }
        return .deleted
    }

    /// `GET /objects/Tasks/{id}/actions` (2.7.5). Not a statement of what is allowed now.
    public func taskActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.listActions, .tasks, id: id), "/objects/Tasks/\(id)/actions")
    }

    /// `GET /objects/Tasks/{id}/actions/{action}` (2.7.6, .8, .10, .12, .14, .16, .18).
    public func taskActionTemplate(_ id: Int, _ action: TaskAction) async throws(APIError) -> JSON {
        do {
            return try await getObject(
                APIOperation(.actionTemplate(action.rawValue), .tasks, id: id), "/objects/Tasks/\(id)/actions/\(action.rawValue)")
        } catch {
            throw await withTaskStatus(error, id)
        }
    }

    /// Runs a task action (2.7.7, .9, .11, .13, .15, .17, .19): GET the template, let `fill`
    /// change values, POST it to `/objects/Tasks/{id}/actions/{action}/invoke`. On 409 the
    /// error names the task's current status (one extra GET) and the statuses the action needs.
    public func invokeTaskAction(
        _ id: Int, _ action: TaskAction, fill: (inout JSON) -> Void = { _ in }
    ) async throws(APIError) -> Job {
        do {
            return try await runAction(.tasks, id: id, action: action.rawValue, fill: fill)
        } catch {
            throw await withTaskStatus(error, id)
        }
    }

    /// POSTs a template you already hold to `/objects/Tasks/{id}/actions/{action}/invoke`
    /// (no template GET) — e.g. the force stop of the seed page.
    public func invokeTaskAction(_ id: Int, _ action: TaskAction, template: JSON) async throws(APIError) -> Job {
        do {
            return try await invoke(
                APIOperation(.invoke(action.rawValue), .tasks, id: id), "/objects/Tasks/\(id)/actions/\(action.rawValue)",
                template: template)
        } catch {
            throw await withTaskStatus(error, id)
        }
    }

    /// Resubmits a finished task (2.7.10–11) with a new schedule and/or property values.
    public func resubmitTask(_ id: Int, _ request: SubmitRequest) async throws(APIError) -> Job {
        try await invokeTaskAction(id, .resubmit) { request.apply(to: &$0) }
    }

    /// `GET /objects/FlowSteps?taskID={id}` (2.7.20).
    public func flowSteps(taskID: Int) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.list, .flowSteps, id: taskID), "/objects/FlowSteps", [("taskID", String(taskID))])
    }

    /// `GET /objects/TaskLogs?taskID={id}[&offset=n][&readSize=n][&reverse]` (2.7.21).
    /// The log chunk's members are not documented; the body is returned verbatim.
    public func taskLog(taskID: Int, offset: Int? = nil, readSize: Int? = nil, reverse: Bool = false) async throws(APIError) -> JSON {
        var q: [(String, String?)] = [("taskID", String(taskID))]
        if let offset { q.append(("offset", String(offset))) }
        if let readSize { q.append(("readSize", String(readSize))) }
        if reverse { q.append(("reverse", nil)) }
        let op = APIOperation(.get, .taskLogs, id: taskID)
        let u = url("/objects/TaskLogs", q)
        let r = try await exchange(op, method: "GET", url: u)
        if r.body.isEmpty { return .null }
        return try decodeJSON(r, op, method: "GET", url: u, expected: "a task log")
    }

    /// Adds the task's current status to a 409 (best effort: one GET, failures ignored).
    private func withTaskStatus(_ error: APIError, _ id: Int) async -> APIError {
        guard error.status == 409, error.taskStatus == nil else { return error }
        var e = error
        if let t = try? await task(id), let status = Tolerant.string(t["status"]) { e.taskStatus = status }
        return e
    }
}

// MARK: Task histories (2.8)

extension AOClient {
    /// `GET /objects/TaskHistories` (2.8.1).
    public func listTaskHistories(_ query: TaskHistoryQuery = TaskHistoryQuery()) async throws(APIError) -> ResourceList {
        try await getList(
            APIOperation(.list, .taskHistories), "/objects/TaskHistories", query.items(limitName: conventions.limitParameter))
    }

    /// `DELETE /objects/TaskHistories?start=&end=&serviceGroupID=` (2.8.2). Dates are sent
    /// with `+hh:mm` offsets.
    public func deleteTaskHistories(start: String? = nil, end: String? = nil, serviceGroupID: Int? = nil) async throws(APIError) {
        var b = QueryBuilder()
        b.add("serviceGroupID", serviceGroupID)
        b.add("start", start.map(APIDate.normalisedForSending))
        b.add("end", end.map(APIDate.normalisedForSending))
        _ = try await delete(APIOperation(.deleteMatching, .taskHistories), "/objects/TaskHistories", b.items)
    }

    /// `GET /objects/TaskHistories/{id}` (2.8.3).
    public func taskHistory(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .taskHistories, id: id), "/objects/TaskHistories/\(id)")
    }

    /// `DELETE /objects/TaskHistories/{id}` (2.8.4); succeeds also when absent.
    public func deleteTaskHistory(_ id: Int) async throws(APIError) {
        _ = try await delete(APIOperation(.delete, .taskHistories, id: id), "/objects/TaskHistories/\(id)")
    }

    /// `GET /objects/TaskHistories/{id}/actions` (2.8.5).
    public func taskHistoryActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.listActions, .taskHistories, id: id), "/objects/TaskHistories/\(id)/actions")
    }
}

// MARK: Services (2.5)

extension AOClient {
    /// `GET /objects/Services` (2.5.1).
    public func listServices(_ query: ServiceQuery = ServiceQuery()) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.list, .services), "/objects/Services", query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Services/{id}` (2.5.2).
    public func service(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .services, id: id), "/objects/Services/\(id)")
    }

    /// `PUT /objects/Services/{id}` (2.5.3) with a Service object (`name` required;
    /// `description`, `tags`, `favorite`, `serviceState`, `supportedScheduleType` are taken).
    public func editService(_ id: Int, _ service: JSON) async throws(APIError) -> JSON {
        try await put(APIOperation(.edit, .services, id: id), "/objects/Services/\(id)", body: service)
    }

    /// `DELETE /objects/Services/{id}` (2.5.4).
    public func deleteService(_ id: Int) async throws(APIError) {
        _ = try await delete(APIOperation(.delete, .services, id: id), "/objects/Services/\(id)")
    }

    /// `GET /objects/Services/{id}/actions` (2.5.5).
    public func serviceActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.listActions, .services, id: id), "/objects/Services/\(id)/actions")
    }

    /// `GET /objects/Services/{id}/actions/{action}` (2.5.6, .8, .10, .12, .14, .16).
    public func serviceActionTemplate(_ id: Int, _ action: ServiceAction) async throws(APIError) -> JSON {
        try await getObject(
            APIOperation(.actionTemplate(action.rawValue), .services, id: id), "/objects/Services/\(id)/actions/\(action.rawValue)")
    }

    /// Runs a service action (2.5.7, .9, .11, .13, .15): template GET, `fill`, POST invoke.
    public func invokeServiceAction(
        _ id: Int, _ action: ServiceAction, fill: (inout JSON) -> Void = { _ in }
    ) async throws(APIError) -> Job {
        try await runAction(.services, id: id, action: action.rawValue, fill: fill)
    }

    /// Submits (runs) a service (2.5.6–7): fills the submit template's Schedule and
    /// PropertyValue parameters from `request`. The new task's id is
    /// `job.affectedIDs(in: "Tasks").first`.
    public func submitService(_ id: Int, _ request: SubmitRequest = SubmitRequest()) async throws(APIError) -> Job {
        try await invokeServiceAction(id, .submit) { request.apply(to: &$0) }
    }
}

// MARK: Schedules (2.6)

extension AOClient {
    /// `GET /objects/Schedules` (2.6.1).
    public func listSchedules(_ query: ScheduleQuery = ScheduleQuery()) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.list, .schedules), "/objects/Schedules", query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Schedules/{id}` (2.6.2).
    public func schedule(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .schedules, id: id), "/objects/Schedules/\(id)")
    }

    /// `GET /objects/Schedules/{id}/actions` (2.6.3).
    public func scheduleActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.listActions, .schedules, id: id), "/objects/Schedules/\(id)/actions")
    }

    /// `GET /objects/Schedules/{id}/actions/{action}` (2.6.4, .6, .8).
    public func scheduleActionTemplate(_ id: Int, _ action: ScheduleAction) async throws(APIError) -> JSON {
        try await getObject(
            APIOperation(.actionTemplate(action.rawValue), .schedules, id: id), "/objects/Schedules/\(id)/actions/\(action.rawValue)")
    }

    /// Cancels, suspends or resumes a schedule (2.6.5, .7, .9).
    public func invokeScheduleAction(
        _ id: Int, _ action: ScheduleAction, fill: (inout JSON) -> Void = { _ in }
    ) async throws(APIError) -> Job {
        try await runAction(.schedules, id: id, action: action.rawValue, fill: fill)
    }
}

// MARK: Service templates (2.4)

extension AOClient {
    /// `GET /objects/ServiceTemplates` (2.4.1).
    public func listServiceTemplates(_ query: ServiceTemplateQuery = ServiceTemplateQuery()) async throws(APIError) -> ResourceList {
        try await getList(
            APIOperation(.list, .serviceTemplates), "/objects/ServiceTemplates", query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/ServiceTemplates/{id}` (2.4.2).
    public func serviceTemplate(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .serviceTemplates, id: id), "/objects/ServiceTemplates/\(id)")
    }

    /// `DELETE /objects/ServiceTemplates/{id}` (2.4.3).
    public func deleteServiceTemplate(_ id: Int) async throws(APIError) {
        _ = try await delete(APIOperation(.delete, .serviceTemplates, id: id), "/objects/ServiceTemplates/\(id)")
    }

    /// `GET /objects/ServiceTemplates/{id}/actions` (2.4.4).
    public func serviceTemplateActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.listActions, .serviceTemplates, id: id), "/objects/ServiceTemplates/\(id)/actions")
    }

    /// `GET /services/ServiceTemplates/actions/import` (2.4.5): the HTML upload form, as text.
    public func serviceTemplateImportForm() async throws(APIError) -> String {
        let u = url("/services/ServiceTemplates/actions/import")
        let r = try await exchange(APIOperation(.importTemplate, .serviceTemplates), method: "GET", url: u, accept: "text/html")
        return String(decoding: r.body, as: UTF8.self)
    }

    /// `POST /services/ServiceTemplates/actions/import/invoke` (2.4.6): uploads a `.st` or
    /// `.zip` package as the `file` part of a `multipart/form-data` body.
    public func importServiceTemplate(fileName: String, contents: [UInt8]) async throws(APIError) -> Job {
        let op = APIOperation(.importTemplate, .serviceTemplates)
        let (body, contentType) = Multipart.formData(fieldName: "file", fileName: fileName, contents: contents)
        let u = url("/services/ServiceTemplates/actions/import/invoke")
        let r = try await exchange(op, method: "POST", url: u, body: .bytes(body, contentType: contentType))
        return try readJob(r, op, method: "POST", url: u)
    }

    /// `GET /objects/ServiceTemplates/{id}/actions/{action}` (2.4.7, .9, .10). For
    /// `detailhelp` the template's `href` is the help URL.
    public func serviceTemplateActionTemplate(_ id: Int, _ action: ServiceTemplateAction) async throws(APIError) -> JSON {
        try await getObject(
            APIOperation(.actionTemplate(action.rawValue), .serviceTemplates, id: id),
            "/objects/ServiceTemplates/\(id)/actions/\(action.rawValue)")
    }

    /// Exports a template (2.4.7–8): GET the export template, POST it with
    /// `Accept: application/octet-stream`; returns the bytes and the file name from
    /// `Content-disposition`.
    public func exportServiceTemplate(_ id: Int) async throws(APIError) -> DownloadedFile {
        let base = "/objects/ServiceTemplates/\(id)/actions/export"
        let template = try await getObject(APIOperation(.actionTemplate("export"), .serviceTemplates, id: id), base)
        let u = url(base + "/invoke")
        let r = try await exchange(
            APIOperation(.invoke("export"), .serviceTemplates, id: id), method: "POST", url: u, body: .json(template),
            accept: "application/octet-stream")
        let disposition = r.headers["Content-disposition"]?.revealed()
        return DownloadedFile(
            filename: disposition.flatMap(DownloadedFile.filename(fromContentDisposition:)),
            contentType: r.headers["Content-Type"]?.revealed(), bytes: r.body)
    }

    /// Creates a service from a template (2.4.10–11): `fill` sets the Services object
    /// (`name` required) and PropertyValues in the bind template's `parameters`.
    public func bindServiceTemplate(_ id: Int, fill: (inout JSON) -> Void) async throws(APIError) -> Job {
        try await runAction(.serviceTemplates, id: id, action: "bind", fill: fill)
    }
}

// MARK: Properties (2.9)

extension AOClient {
    /// `GET /objects/PropertyDefinitions` (2.9.1); `.shared` sends no owner parameter.
    public func listPropertyDefinitions(_ scope: PropertyScope = .shared, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await getList(
            APIOperation(.list, .propertyDefinitions), "/objects/PropertyDefinitions",
            scope.items() + hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/PropertyDefinitions/{id}` (2.9.2).
    public func propertyDefinition(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .propertyDefinitions, id: id), "/objects/PropertyDefinitions/\(id)")
    }

    /// `GET /objects/PropertyInformations` (2.9.4); `.shared` sends `?shared`.
    public func listPropertyInformations(_ scope: PropertyScope, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        let owner: [(String, String?)] = scope == .shared ? [("shared", nil)] : scope.items()
        return try await getList(
            APIOperation(.list, .propertyInformations), "/objects/PropertyInformations",
            owner + hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/PropertyValues` (2.9.5); `.shared` lists the service share values.
    public func listPropertyValues(_ scope: PropertyScope = .shared, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await getList(
            APIOperation(.list, .propertyValues), "/objects/PropertyValues",
            scope.items() + hql.items(limitName: conventions.limitParameter))
    }

    /// `PUT /objects/PropertyValues[?serviceID=n]` (2.9.6): batch update. Sends
    /// `{ "pagination": {}, "data": items, "count": items.count }`; each item should carry
    /// `instanceID` and `value` (and `readOnly`/`hidden`, honoured only with a service id).
    public func updatePropertyValues(_ items: [JSON], serviceID: Int? = nil) async throws(APIError) -> JSON {
        var q: [(String, String?)] = []
        if let serviceID { q.append(("serviceID", String(serviceID))) }
        let body: JSON = ["pagination": .object(JSONObject()), "data": .array(items), "count": .int(items.count)]
        return try await put(APIOperation(.edit, .propertyValues), "/objects/PropertyValues", q, body: body)
    }

    /// `GET /objects/PropertyValues/{id}` (2.9.7).
    public func propertyValue(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .propertyValues, id: id), "/objects/PropertyValues/\(id)")
    }

    /// `PUT /objects/PropertyValues/{id}` (2.9.8) with `{ "value": … }` (plus `extra` members).
    public func updatePropertyValue(_ id: Int, value: String, extra: JSONObject = JSONObject()) async throws(APIError) -> JSON {
        var body = extra
        body["value"] = .string(value)
        return try await put(APIOperation(.edit, .propertyValues, id: id), "/objects/PropertyValues/\(id)", body: .object(body))
    }

    /// `GET /objects/PropertyGroups?{one owner}` (2.9.10); pass exactly one owner (not `.shared`).
    public func listPropertyGroups(_ scope: PropertyScope, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await getList(
            APIOperation(.list, .propertyGroups), "/objects/PropertyGroups",
            scope.items() + hql.items(limitName: conventions.limitParameter))
    }
}

// MARK: Groups, tags, user, version (2.10–2.12)

extension AOClient {
    /// `GET /objects/ServiceGroups` (2.10.1).
    public func listServiceGroups(_ hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.list, .serviceGroups), "/objects/ServiceGroups", hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/ServiceGroups/{id}` (2.10.2).
    public func serviceGroup(_ id: Int) async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .serviceGroups, id: id), "/objects/ServiceGroups/\(id)")
    }

    /// `GET /objects/TagGroups` (2.11.1).
    public func listTagGroups(_ hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.list, .tagGroups), "/objects/TagGroups", hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Tags` (2.11.2).
    public func listTags(_ query: TagQuery = TagQuery()) async throws(APIError) -> ResourceList {
        try await getList(APIOperation(.list, .tags), "/objects/Tags", query.items(limitName: conventions.limitParameter))
    }

    /// `GET /user` (2.12.1): the current user.
    public func user() async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .user), "/user")
    }

    /// `GET /configuration/version` (2.12.2): product and API version.
    public func version() async throws(APIError) -> JSON {
        try await getObject(APIOperation(.get, .version), "/configuration/version")
    }
}

/// `multipart/form-data` bodies (template import).
enum Multipart {
    /// One file part named `fieldName`; returns the body and the `Content-Type` with its boundary.
    static func formData(fieldName: String, fileName: String, contents: [UInt8]) -> ([UInt8], String) {
        let boundary = "----atsFormBoundary" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let safeName = fileName.unicodeScalars.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? fileName
        let quoted = safeName.replacingAll("\"", with: "%22").replacingAll("\r", with: "").replacingAll("\n", with: "")
        var body = [UInt8]()
        body += Array("--\(boundary)\r\n".utf8)
        body += Array("Content-Disposition: form-data; name=\"\(fieldName)\"; filename=\"\(quoted)\"\r\n".utf8)
        body += Array("Content-Type: application/octet-stream\r\n\r\n".utf8)
        body += contents
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }
}
