import ATSJSON

// One function per route of `Route.all` (reference §2.0 and §2.10), each a thin call over
// the table: the route gives the method, the path and what the answer is.

// MARK: Tasks (2.7)

extension AOClient {
    /// `GET /objects/Tasks` (2.7.1).
    public func listTasks(_ query: TaskQuery = TaskQuery()) async throws(APIError) -> ResourceList {
        try await collection(.listTasks, query: query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Tasks/{id}` (2.7.2).
    public func task(_ id: Int) async throws(APIError) -> JSON {
        try await object(.task, id)
    }

    /// `PUT /objects/Tasks/{id}` (2.7.3): only `notes` and `toDo` are taken by the server;
    /// `nil` keeps the task's current value (read first, as the server wants both).
    /// Returns the updated task.
    public func editTask(_ id: Int, notes: String? = nil, toDo: Bool? = nil) async throws(APIError) -> JSON {
        let current = try await task(id)
        let body: JSON = [
            "notes": notes.map(JSON.string) ?? current["notes"] ?? "",
            "toDo": toDo.map(JSON.bool) ?? current["toDo"] ?? false,
        ]
        return try await object(.editTask, id, body: body)
    }

    /// `DELETE /objects/Tasks/{id}` (2.7.4): 204 → `.deleted`; 303 → `.archiveInstead` with
    /// the `Location` (a normal task is archived, not deleted).
    public func deleteTask(_ id: Int) async throws(APIError) -> TaskDeletion {
        let r = try await nothing(.deleteTask, id)
        if r.status == 303 {
            return .archiveInstead(taskID: id, location: r.headers["Location"]?.revealed().trimmingSpaces())
        }
        return .deleted
    }

    /// `GET /objects/Tasks/{id}/actions` (2.7.5). Not a statement of what is allowed now.
    public func taskActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await collection(.taskActions, id)
    }

    /// `GET /objects/Tasks/{id}/actions/{action}` (2.7.6, .8, .10, .12, .14, .16, .18).
    public func taskActionTemplate(_ id: Int, _ action: TaskAction) async throws(APIError) -> JSON {
        do {
            return try await object(Route.template(action), id)
        } catch {
            throw await withTaskStatus(error, id)
        }
    }

    /// Runs a task action (2.7.7, .9, .11, .13, .15, .17, .19): GET the template, let `fill`
    /// change values, POST it to `/objects/Tasks/{id}/actions/{action}/invoke`. On 409 the
    /// error names the task's current status (one extra GET) and the statuses the action needs.
    public func invokeTaskAction(
        _ id: Int, _ action: TaskAction, fill: (inout JSON) throws(APIError) -> Void = { _ in }
    ) async throws(APIError) -> Job {
        do {
            return try await runAction(template: Route.template(action), invoke: Route.invoke(action), id: id, fill: fill)
        } catch {
            throw await withTaskStatus(error, id)
        }
    }

    /// POSTs a template you already hold to `/objects/Tasks/{id}/actions/{action}/invoke`
    /// (no template GET) — e.g. the force stop of the seed page.
    public func invokeTaskAction(_ id: Int, _ action: TaskAction, template: JSON) async throws(APIError) -> Job {
        do {
            return try await job(Route.invoke(action), id, body: .json(template))
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
        try await collection(.flowSteps, query: [("taskID", String(taskID))])
    }

    /// `GET /objects/TaskLogs?taskID={id}[&offset=n][&readSize=n][&reverse]` (2.7.21).
    /// The log chunk's members are not documented; the body is returned verbatim.
    public func taskLog(taskID: Int, offset: Int? = nil, readSize: Int? = nil, reverse: Bool = false) async throws(APIError) -> JSON {
        var q: [(String, String?)] = [("taskID", String(taskID))]
        if let offset { q.append(("offset", String(offset))) }
        if let readSize { q.append(("readSize", String(readSize))) }
        if reverse { q.append(("reverse", nil)) }
        let c = try await call(.taskLog, query: q)
        if c.response.body.isEmpty { return .null }
        return try c.json(expected: "a task log")
    }

    /// The task a job created or changed (the first `…/Tasks/{id}` of `affectedResource`):
    /// the one place that reads a created task's id (submit, resubmit).
    public func createdTaskID(_ job: Job) -> Int? {
        job.affectedIDs(in: "Tasks").first
    }

    /// Adds the task's current status to a 409 (best effort: one GET, failures ignored).
    /// The one place a 409 of a task action learns the task's status.
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
        try await collection(.listTaskHistories, query: query.items(limitName: conventions.limitParameter))
    }

    /// `DELETE /objects/TaskHistories?start=&end=&serviceGroupID=` (2.8.2). Dates are sent
    /// with `+hh:mm` offsets.
    public func deleteTaskHistories(start: String? = nil, end: String? = nil, serviceGroupID: Int? = nil) async throws(APIError) {
        var b = QueryBuilder()
        b.add("serviceGroupID", serviceGroupID)
        b.add("start", start.map(APIDate.normalisedForSending))
        b.add("end", end.map(APIDate.normalisedForSending))
        _ = try await nothing(.deleteTaskHistories, query: b.items)
    }

    /// `GET /objects/TaskHistories/{id}` (2.8.3).
    public func taskHistory(_ id: Int) async throws(APIError) -> JSON {
        try await object(.taskHistory, id)
    }

    /// `DELETE /objects/TaskHistories/{id}` (2.8.4); succeeds also when absent.
    public func deleteTaskHistory(_ id: Int) async throws(APIError) {
        _ = try await nothing(.deleteTaskHistory, id)
    }

    /// `GET /objects/TaskHistories/{id}/actions` (2.8.5).
    public func taskHistoryActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await collection(.taskHistoryActions, id)
    }
}

// MARK: Services (2.5)

extension AOClient {
    /// `GET /objects/Services` (2.5.1).
    public func listServices(_ query: ServiceQuery = ServiceQuery()) async throws(APIError) -> ResourceList {
        try await collection(.listServices, query: query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Services/{id}` (2.5.2).
    public func service(_ id: Int) async throws(APIError) -> JSON {
        try await object(.service, id)
    }

    /// `PUT /objects/Services/{id}` (2.5.3) with a Service object (`name` required;
    /// `description`, `tags`, `favorite`, `serviceState`, `supportedScheduleType` are taken).
    public func editService(_ id: Int, _ service: JSON) async throws(APIError) -> JSON {
        try await object(.editService, id, body: service)
    }

    /// `DELETE /objects/Services/{id}` (2.5.4).
    public func deleteService(_ id: Int) async throws(APIError) {
        _ = try await nothing(.deleteService, id)
    }

    /// `GET /objects/Services/{id}/actions` (2.5.5).
    public func serviceActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await collection(.serviceActions, id)
    }

    /// `GET /objects/Services/{id}/actions/{action}` (2.5.6, .8, .10, .12, .14, .16, .17).
    public func serviceActionTemplate(_ id: Int, _ action: ServiceAction) async throws(APIError) -> JSON {
        try await object(Route.template(action), id)
    }

    /// Runs a service action (2.5.7, .9, .11, .13, .15, .18): template GET, `fill`, POST invoke.
    /// `detailhelp` has no invoke: its template is returned as read, as a job without members.
    public func invokeServiceAction(
        _ id: Int, _ action: ServiceAction, fill: (inout JSON) throws(APIError) -> Void = { _ in }
    ) async throws(APIError) -> Job {
        guard let invoke = Route.invoke(action) else { return Job(json: try await serviceActionTemplate(id, action))! }
        return try await runAction(template: Route.template(action), invoke: invoke, id: id, fill: fill)
    }

    /// Submits (runs) a service (2.5.6–7): fills the submit template's Schedule and
    /// PropertyValue parameters from `request`. The new task's id is `createdTaskID(job)`.
    public func submitService(_ id: Int, _ request: SubmitRequest = SubmitRequest()) async throws(APIError) -> Job {
        try await invokeServiceAction(id, .submit) { request.apply(to: &$0) }
    }

    /// Changes the service template version a service uses (2.5.17–18): the template's
    /// ServiceTemplate parameter gets `instanceID` = `templateID` (one is added if absent).
    public func applyTemplate(_ id: Int, templateID: Int) async throws(APIError) -> Job {
        try await invokeServiceAction(id, .applyTemplate) { t in
            var params = t["parameters"]?.arrayValue ?? []
            if params.isEmpty { params.append(.object(JSONObject())) }
            params[0] = SubmitRequest.rewrap(params[0], wrappers: ["ServiceTemplate"]) { $0["instanceID"] = .int(templateID) }
            t["parameters"] = .array(params)
        }
    }
}

// MARK: Schedules (2.6)

extension AOClient {
    /// `GET /objects/Schedules` (2.6.1).
    public func listSchedules(_ query: ScheduleQuery = ScheduleQuery()) async throws(APIError) -> ResourceList {
        try await collection(.listSchedules, query: query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Schedules/{id}` (2.6.2).
    public func schedule(_ id: Int) async throws(APIError) -> JSON {
        try await object(.schedule, id)
    }

    /// `GET /objects/Schedules/{id}/actions` (2.6.3).
    public func scheduleActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await collection(.scheduleActions, id)
    }

    /// `GET /objects/Schedules/{id}/actions/{action}` (2.6.4, .6, .8).
    public func scheduleActionTemplate(_ id: Int, _ action: ScheduleAction) async throws(APIError) -> JSON {
        try await object(Route.template(action), id)
    }

    /// Cancels, suspends or resumes a schedule (2.6.5, .7, .9).
    public func invokeScheduleAction(
        _ id: Int, _ action: ScheduleAction, fill: (inout JSON) throws(APIError) -> Void = { _ in }
    ) async throws(APIError) -> Job {
        try await runAction(template: Route.template(action), invoke: Route.invoke(action), id: id, fill: fill)
    }
}

// MARK: Service templates (2.4)

extension AOClient {
    /// `GET /objects/ServiceTemplates` (2.4.1).
    public func listServiceTemplates(_ query: ServiceTemplateQuery = ServiceTemplateQuery()) async throws(APIError) -> ResourceList {
        try await collection(.listServiceTemplates, query: query.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/ServiceTemplates/{id}` (2.4.2).
    public func serviceTemplate(_ id: Int) async throws(APIError) -> JSON {
        try await object(.serviceTemplate, id)
    }

    /// `DELETE /objects/ServiceTemplates/{id}` (2.4.3).
    public func deleteServiceTemplate(_ id: Int) async throws(APIError) {
        _ = try await nothing(.deleteServiceTemplate, id)
    }

    /// `GET /objects/ServiceTemplates/{id}/actions` (2.4.4).
    public func serviceTemplateActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await collection(.serviceTemplateActions, id)
    }

    /// `GET /services/ServiceTemplates/actions/import` (2.4.5): the HTML upload form, as text.
    public func serviceTemplateImportForm() async throws(APIError) -> String {
        let c = try await call(.importForm, accept: "text/html")
        return String(decoding: c.response.body, as: UTF8.self)
    }

    /// `POST /services/ServiceTemplates/actions/import/invoke` (2.4.6): uploads a `.st` or
    /// `.zip` package as the `file` part of a `multipart/form-data` body.
    public func importServiceTemplate(fileName: String, contents: [UInt8]) async throws(APIError) -> Job {
        let (body, contentType) = Multipart.formData(fieldName: "file", fileName: fileName, contents: contents)
        return try await job(.importServiceTemplate, body: .bytes(body, contentType: contentType))
    }

    /// `GET /objects/ServiceTemplates/{id}/actions/{action}` (2.4.7, .9, .10). For
    /// `detailhelp` the template's `href` is the help URL.
    public func serviceTemplateActionTemplate(_ id: Int, _ action: ServiceTemplateAction) async throws(APIError) -> JSON {
        try await object(Route.template(action), id)
    }

    /// Exports a template (2.4.7–8): GET the export template, POST it with
    /// `Accept: application/octet-stream`; returns the bytes and the file name from
    /// `Content-disposition`.
    public func exportServiceTemplate(_ id: Int) async throws(APIError) -> DownloadedFile {
        let template = try await serviceTemplateActionTemplate(id, .export)
        let c = try await call(Route.invoke(.export)!, id, body: .json(template), accept: "application/octet-stream")
        let disposition = c.response.headers["Content-disposition"]?.revealed()
        return DownloadedFile(
            filename: disposition.flatMap(DownloadedFile.filename(fromContentDisposition:)),
            contentType: c.response.headers["Content-Type"]?.revealed(), bytes: c.response.body)
    }

    /// Creates a service from a template (2.4.10–11): `fill` sets the Services object
    /// (`name` required) and PropertyValues in the bind template's `parameters`.
    public func bindServiceTemplate(_ id: Int, fill: (inout JSON) throws(APIError) -> Void) async throws(APIError) -> Job {
        try await runAction(template: Route.template(.bind), invoke: Route.invoke(.bind)!, id: id, fill: fill)
    }

    /// Creates a service from a template (2.4.10–11) as `request` says.
    public func bindServiceTemplate(_ id: Int, _ request: BindRequest) async throws(APIError) -> Job {
        try await bindServiceTemplate(id) { request.apply(to: &$0) }
    }
}

// MARK: Properties (2.9)

extension AOClient {
    /// `GET /objects/PropertyDefinitions` (2.9.1); `.shared` sends no owner parameter.
    public func listPropertyDefinitions(_ scope: PropertyScope = .shared, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await collection(.listPropertyDefinitions, query: scope.items() + hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/PropertyDefinitions/{id}` (2.9.2).
    public func propertyDefinition(_ id: Int) async throws(APIError) -> JSON {
        try await object(.propertyDefinition, id)
    }

    /// `GET /objects/PropertyDefinitions/{id}/actions` (2.9.3).
    public func propertyDefinitionActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await collection(.propertyDefinitionActions, id)
    }

    /// `GET /objects/PropertyInformations` (2.9.4); `.shared` sends `?shared`.
    public func listPropertyInformations(_ scope: PropertyScope, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        let owner: [(String, String?)] = scope == .shared ? [("shared", nil)] : scope.items()
        return try await collection(.listPropertyInformations, query: owner + hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/PropertyValues` (2.9.5); `.shared` lists the service share values.
    public func listPropertyValues(_ scope: PropertyScope = .shared, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await collection(.listPropertyValues, query: scope.items() + hql.items(limitName: conventions.limitParameter))
    }

    /// `PUT /objects/PropertyValues[?serviceID=n]` (2.9.6): batch update. Sends
    /// `{ "pagination": {}, "data": items, "count": items.count }`; each item should carry
    /// `instanceID` and `value` (and `readOnly`/`hidden`, honoured only with a service id).
    public func updatePropertyValues(_ items: [JSON], serviceID: Int? = nil) async throws(APIError) -> JSON {
        var q: [(String, String?)] = []
        if let serviceID { q.append(("serviceID", String(serviceID))) }
        let body: JSON = ["pagination": .object(JSONObject()), "data": .array(items), "count": .int(items.count)]
        let c = try await call(.updatePropertyValues, query: q, body: .json(body))
        if c.response.body.isEmpty { return .null }
        return try c.json(expected: "a JSON object")
    }

    /// `GET /objects/PropertyValues/{id}` (2.9.7).
    public func propertyValue(_ id: Int) async throws(APIError) -> JSON {
        try await object(.propertyValue, id)
    }

    /// `PUT /objects/PropertyValues/{id}` (2.9.8) with `{ "value": … }` (plus `extra` members).
    public func updatePropertyValue(_ id: Int, value: JSON, extra: JSONObject = JSONObject()) async throws(APIError) -> JSON {
        var body = extra
        body["value"] = value
        return try await object(.updatePropertyValue, id, body: .object(body))
    }

    /// `GET /objects/PropertyValues/{id}/actions` (2.9.9).
    public func propertyValueActions(_ id: Int) async throws(APIError) -> ResourceList {
        try await collection(.propertyValueActions, id)
    }

    /// `GET /objects/PropertyGroups?{one owner}` (2.9.10); pass exactly one owner (not `.shared`).
    public func listPropertyGroups(_ scope: PropertyScope, hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await collection(.listPropertyGroups, query: scope.items() + hql.items(limitName: conventions.limitParameter))
    }
}

// MARK: Groups, tags, user, version (2.10–2.12)

extension AOClient {
    /// `GET /objects/ServiceGroups` (2.10.1).
    public func listServiceGroups(_ hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await collection(.listServiceGroups, query: hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/ServiceGroups/{id}` (2.10.2).
    public func serviceGroup(_ id: Int) async throws(APIError) -> JSON {
        try await object(.serviceGroup, id)
    }

    /// `GET /objects/TagGroups` (2.11.1).
    public func listTagGroups(_ hql: HQLOptions = HQLOptions()) async throws(APIError) -> ResourceList {
        try await collection(.listTagGroups, query: hql.items(limitName: conventions.limitParameter))
    }

    /// `GET /objects/Tags` (2.11.2).
    public func listTags(_ query: TagQuery = TagQuery()) async throws(APIError) -> ResourceList {
        try await collection(.listTags, query: query.items(limitName: conventions.limitParameter))
    }

    /// `GET /user` (2.12.1): the current user.
    public func user() async throws(APIError) -> JSON {
        try await object(.user)
    }

    /// `GET /configuration/version` (2.12.2): product and API version.
    public func version() async throws(APIError) -> JSON {
        try await object(.version)
    }
}

// MARK: Paging and actions by name

extension AOClient {
    /// Objects per request when every page of a list is read: a tenth of the requests of
    /// the API's default page of 100 (the page size parameter accepts up to 2^31 - 1).
    public static let pageSize = 1000

    /// Every item of a list function, page by page (`HQL::offset` and the page size
    /// parameter of `conventions`), up to `limit` items. `page` reads one page with the
    /// HQL options given; `interrupted` is asked between pages.
    public func allPages(
        _ hql: HQLOptions, limit: Int? = nil, interrupted: () -> Bool = { false },
        _ page: (HQLOptions) async throws(APIError) -> ResourceList
    ) async throws(APIError) -> [JSON] {
        var items: [JSON] = []
        while true {
            if interrupted() { throw APIError(transport: .cancelled, operation: .raw, method: "GET", url: address.apiRoot) }
            var h = hql
            h.offset = (hql.offset ?? 0) + items.count
            h.limit = Self.pageSize
            let list = try await page(h)
            items += list.items
            if list.items.isEmpty || list.items.count < Self.pageSize || (list.count.map { items.count >= $0 } ?? false) { break }
            if let limit, items.count >= limit { break }
        }
        if let limit, items.count > limit { items = Array(items.prefix(limit)) }
        return items
    }

    /// The objects whose actions the API lists (§1.10).
    public enum ActionOwner: String, Sendable, CaseIterable {
        case task = "Tasks", service = "Services", schedule = "Schedules", serviceTemplate = "ServiceTemplates"
        case taskHistory = "TaskHistories", propertyDefinition = "PropertyDefinitions", propertyValue = "PropertyValues"

        /// The route listing the actions of one such object.
        public var actionsRoute: Route {
            switch self {
            case .task: return .taskActions
            case .service: return .serviceActions
            case .schedule: return .scheduleActions
            case .serviceTemplate: return .serviceTemplateActions
            case .taskHistory: return .taskHistoryActions
            case .propertyDefinition: return .propertyDefinitionActions
            case .propertyValue: return .propertyValueActions
            }
        }
    }

    /// `GET …/{id}/actions` of any owner (2.4.4, 2.5.5, 2.6.3, 2.7.5, 2.8.5, 2.9.3, 2.9.9).
    public func actions(of owner: ActionOwner, _ id: Int) async throws(APIError) -> ResourceList {
        try await collection(owner.actionsRoute, id)
    }

    /// `GET …/{id}/actions/{name}`: one action template by name. The name is
    /// percent-encoded as a path segment; the route is the table's when the name is known.
    public func actionTemplate(of owner: ActionOwner, _ id: Int, named name: String) async throws(APIError) -> JSON {
        let path = owner.actionsRoute.path(id) + "/" + QueryEncoding.encodePathSegment(name)
        let route = Route.find(method: "GET", path: owner.actionsRoute.path(id) + "/" + name)
        let op = route?.operation(id) ?? APIOperation(.actionTemplate(name), APIOperation.Resource(owner), id: id)
        let u = url(path)
        let r = try await exchange(op, route: route, method: "GET", url: u)
        let c = Call(route: route ?? owner.actionsRoute, id: id, url: u, response: r)
        let json = try c.json(expected: "an action template")
        guard case .object = json else { throw c.problem(.unexpectedShape(expected: "an action template")) }
        return json
    }
}

extension APIOperation.Resource {
    init(_ owner: AOClient.ActionOwner) {
        switch owner {
        case .task: self = .tasks
        case .service: self = .services
        case .schedule: self = .schedules
        case .serviceTemplate: self = .serviceTemplates
        case .taskHistory: self = .taskHistories
        case .propertyDefinition: self = .propertyDefinitions
        case .propertyValue: self = .propertyValues
        }
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
