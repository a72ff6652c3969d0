/// One function of the API (reference §2.0 and §2.10): its method, path template, section,
/// what it answers and who may call it. The table `Route.all` is the one place the client,
/// the simulator's router, the shell's help and `docs/api-coverage.md` learn the routes from.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    /// What a route answers (reference §2 "Response").
    public enum Answer: String, Sendable, Hashable, CaseIterable {
        /// One resource object.
        case object
        /// A collection envelope `{data, count}` (§1.9).
        case collection
        /// An action template (§1.10).
        case actionTemplate = "action template"
        /// A job result (§1.10).
        case job
        /// A file download (template export).
        case file
        /// An HTML page (the import form).
        case page
        /// No body (204), or a 303 for a task DELETE.
        case nothing
    }

    /// The roles of reference §1.6 (A, D, M, S).
    public struct Roles: OptionSet, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let admin = Roles(rawValue: 1)
        public static let develop = Roles(rawValue: 2)
        public static let modify = Roles(rawValue: 4)
        public static let submit = Roles(rawValue: 8)
        /// A D M S.
        public static let all: Roles = [.admin, .develop, .modify, .submit]
        /// A D M.
        public static let adm: Roles = [.admin, .develop, .modify]
        /// A D.
        public static let ad: Roles = [.admin, .develop]

        /// `A D M S`.
        public var description: String {
            [(Roles.admin, "A"), (.develop, "D"), (.modify, "M"), (.submit, "S")].filter { contains($0.0) }.map(\.1)
                .joined(separator: " ")
        }
    }

    /// `GET`, `POST`, `PUT` or `DELETE`.
    public let method: String
    /// The path relative to `/Automation/v1`, with `{id}` for the object's id.
    public let template: String
    /// The section of the vendor manual, e.g. `2.7.9`.
    public let section: String
    /// What the route answers.
    public let answer: Answer
    /// Who may call it.
    public let roles: Roles
    /// The manual's title of the function.
    public let title: String
    /// What it does, for error explanations.
    public let verb: APIOperation.Verb
    /// The kind of object it works on.
    public let resource: APIOperation.Resource

    init(
        _ method: String, _ template: String, _ section: String, _ answer: Answer, _ roles: Roles, _ title: String,
        _ verb: APIOperation.Verb, _ resource: APIOperation.Resource
    ) {
        self.method = method
        self.template = template
        self.section = section
        self.answer = answer
        self.roles = roles
        self.title = title
        self.verb = verb
        self.resource = resource
    }

    /// The path for the object `id` (the template when the route takes no id).
    public func path(_ id: Int? = nil) -> String {
        guard let id else { return template }
        return template.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0 == "{id}" ? String(id) : String($0) }.joined(separator: "/")
    }

    /// True when the path holds `{id}`.
    public var takesID: Bool { template.contains("{id}") }

    /// True for a request that changes the server's state: every POST but the export
    /// download, every PUT and DELETE.
    public var changesState: Bool { method != "GET" && answer != .file }

    /// What was being done to the object `id`, for messages.
    public func operation(_ id: Int? = nil) -> APIOperation { APIOperation(verb, resource, id: id) }

    /// The route that reads the object a state-changing route acts on (to check whether it
    /// was done): the task for a task action, the service for a service action, …
    public var check: Route? {
        guard changesState else { return nil }
        switch resource {
        case .tasks: return Route.task
        case .services: return Route.service
        case .schedules: return Route.schedule
        case .serviceTemplates: return verb == .importTemplate ? Route.listServiceTemplates : Route.serviceTemplate
        case .taskHistories: return verb == .deleteMatching ? Route.listTaskHistories : Route.taskHistory
        case .propertyValues: return template.hasSuffix("{id}") ? Route.propertyValue : Route.listPropertyValues
        case .flowSteps, .taskLogs, .propertyDefinitions, .propertyInformations, .propertyGroups, .serviceGroups,
            .tagGroups, .tags, .user, .version, .server:
            return nil
        }
    }

    /// `POST /objects/Tasks/{id}/actions/forceStop/invoke`.
    public var description: String { "\(method) \(template)" }

    /// True when `method` and `path` (relative to `/Automation/v1`, no query) are this route.
    public func matches(method: String, path: String) -> Bool {
        guard method.uppercased() == self.method else { return false }
        let want = template.split(separator: "/")
        let have = path.split(separator: "/")
        guard want.count == have.count else { return false }
        for (w, h) in zip(want, have) {
            if w == "{id}" {
                guard Int(h) != nil else { return false }
            } else if w != h {
                return false
            }
        }
        return true
    }

    /// The route for `method` and `path`, or nil when the table has none.
    public static func find(method: String, path: String) -> Route? {
        all.first { $0.matches(method: method, path: path) }
    }
}

// MARK: The table

extension Route {

    // Service templates (2.4)
    public static let listServiceTemplates = Route("GET", "/objects/ServiceTemplates", "2.4.1", .collection, .adm, "List service templates", .list, .serviceTemplates)
    public static let serviceTemplate = Route("GET", "/objects/ServiceTemplates/{id}", "2.4.2", .object, .adm, "Get a service template", .get, .serviceTemplates)
    public static let deleteServiceTemplate = Route("DELETE", "/objects/ServiceTemplates/{id}", "2.4.3", .nothing, .ad, "Delete a service template", .delete, .serviceTemplates)
    public static let serviceTemplateActions = Route("GET", "/objects/ServiceTemplates/{id}/actions", "2.4.4", .collection, .adm, "List service template actions", .listActions, .serviceTemplates)
    public static let importForm = Route("GET", "/services/ServiceTemplates/actions/import", "2.4.5", .page, .ad, "Get the import form", .importTemplate, .serviceTemplates)
    public static let importServiceTemplate = Route("POST", "/services/ServiceTemplates/actions/import/invoke", "2.4.6", .job, .ad, "Import a service template", .importTemplate, .serviceTemplates)

    // Services (2.5)
    public static let listServices = Route("GET", "/objects/Services", "2.5.1", .collection, .all, "List services", .list, .services)
    public static let service = Route("GET", "/objects/Services/{id}", "2.5.2", .object, .all, "Get a service", .get, .services)
    public static let editService = Route("PUT", "/objects/Services/{id}", "2.5.3", .object, .adm, "Edit a service", .edit, .services)
    public static let deleteService = Route("DELETE", "/objects/Services/{id}", "2.5.4", .nothing, .adm, "Delete a service", .delete, .services)
    public static let serviceActions = Route("GET", "/objects/Services/{id}/actions", "2.5.5", .collection, .all, "List service actions", .listActions, .services)

    // Schedules (2.6)
    public static let listSchedules = Route("GET", "/objects/Schedules", "2.6.1", .collection, .all, "List schedules", .list, .schedules)
    public static let schedule = Route("GET", "/objects/Schedules/{id}", "2.6.2", .object, .all, "Get a schedule", .get, .schedules)
    public static let scheduleActions = Route("GET", "/objects/Schedules/{id}/actions", "2.6.3", .collection, .all, "List schedule actions", .listActions, .schedules)

    // Tasks (2.7)
    public static let listTasks = Route("GET", "/objects/Tasks", "2.7.1", .collection, .all, "List tasks", .list, .tasks)
    public static let task = Route("GET", "/objects/Tasks/{id}", "2.7.2", .object, .all, "Get a task", .get, .tasks)
    public static let editTask = Route("PUT", "/objects/Tasks/{id}", "2.7.3", .object, .all, "Edit a task", .edit, .tasks)
    public static let deleteTask = Route("DELETE", "/objects/Tasks/{id}", "2.7.4", .nothing, .adm, "Delete a task", .delete, .tasks)
    public static let taskActions = Route("GET", "/objects/Tasks/{id}/actions", "2.7.5", .collection, .all, "List task actions", .listActions, .tasks)
    public static let flowSteps = Route("GET", "/objects/FlowSteps", "2.7.20", .collection, .all, "List the steps of a task", .list, .flowSteps)
    public static let taskLog = Route("GET", "/objects/TaskLogs", "2.7.21", .object, .all, "Get a task log", .get, .taskLogs)

    // Task histories (2.8)
    public static let listTaskHistories = Route("GET", "/objects/TaskHistories", "2.8.1", .collection, .all, "List task history records", .list, .taskHistories)
    public static let deleteTaskHistories = Route("DELETE", "/objects/TaskHistories", "2.8.2", .nothing, .adm, "Delete history records by condition", .deleteMatching, .taskHistories)
    public static let taskHistory = Route("GET", "/objects/TaskHistories/{id}", "2.8.3", .object, .all, "Get a history record", .get, .taskHistories)
    public static let deleteTaskHistory = Route("DELETE", "/objects/TaskHistories/{id}", "2.8.4", .nothing, .adm, "Delete a history record", .delete, .taskHistories)
    public static let taskHistoryActions = Route("GET", "/objects/TaskHistories/{id}/actions", "2.8.5", .collection, .all, "List history record actions", .listActions, .taskHistories)

    // Properties (2.9)
    public static let listPropertyDefinitions = Route("GET", "/objects/PropertyDefinitions", "2.9.1", .collection, .all, "List property definitions", .list, .propertyDefinitions)
    public static let propertyDefinition = Route("GET", "/objects/PropertyDefinitions/{id}", "2.9.2", .object, .all, "Get a property definition", .get, .propertyDefinitions)
    public static let propertyDefinitionActions = Route("GET", "/objects/PropertyDefinitions/{id}/actions", "2.9.3", .collection, .all, "List the operations of a property definition", .listActions, .propertyDefinitions)
    public static let listPropertyInformations = Route("GET", "/objects/PropertyInformations", "2.9.4", .collection, .all, "List definitions with values", .list, .propertyInformations)
    public static let listPropertyValues = Route("GET", "/objects/PropertyValues", "2.9.5", .collection, .all, "List property values", .list, .propertyValues)
    public static let updatePropertyValues = Route("PUT", "/objects/PropertyValues", "2.9.6", .collection, .adm, "Batch update property values", .edit, .propertyValues)
    public static let propertyValue = Route("GET", "/objects/PropertyValues/{id}", "2.9.7", .object, .all, "Get a property value", .get, .propertyValues)
    public static let updatePropertyValue = Route("PUT", "/objects/PropertyValues/{id}", "2.9.8", .object, .adm, "Update a property value", .edit, .propertyValues)
    public static let propertyValueActions = Route("GET", "/objects/PropertyValues/{id}/actions", "2.9.9", .collection, .all, "List the operations of a property value", .listActions, .propertyValues)
    public static let listPropertyGroups = Route("GET", "/objects/PropertyGroups", "2.9.10", .collection, .all, "List property groups", .list, .propertyGroups)

    // Groups, tags, user, version (2.10–2.12)
    public static let listServiceGroups = Route("GET", "/objects/ServiceGroups", "2.10.1", .collection, .all, "List service groups", .list, .serviceGroups)
    public static let serviceGroup = Route("GET", "/objects/ServiceGroups/{id}", "2.10.2", .object, .all, "Get a service group", .get, .serviceGroups)
    public static let listTagGroups = Route("GET", "/objects/TagGroups", "2.11.1", .collection, .all, "List tag groups", .list, .tagGroups)
    public static let listTags = Route("GET", "/objects/Tags", "2.11.2", .collection, .all, "List tags", .list, .tags)
    public static let user = Route("GET", "/user", "2.12.1", .object, .all, "Get the current user", .get, .user)
    public static let version = Route("GET", "/configuration/version", "2.12.2", .object, .all, "Get versions", .get, .version)

    // MARK: Actions (template GET and invoke POST per action)

    /// The template route of a task action (2.7.6, .8, …, .18).
    public static func template(_ action: TaskAction) -> Route { taskActionRoutes[action]!.template }
    /// The invoke route of a task action (2.7.7, .9, …, .19).
    public static func invoke(_ action: TaskAction) -> Route { taskActionRoutes[action]!.invoke }
    /// The template route of a service action (2.5.6 … 2.5.17).
    public static func template(_ action: ServiceAction) -> Route { serviceActionRoutes[action]!.template }
    /// The invoke route of a service action; nil for `detailhelp`, which has none.
    public static func invoke(_ action: ServiceAction) -> Route? { serviceActionRoutes[action]!.invoke }
    /// The template route of a schedule action (2.6.4, .6, .8).
    public static func template(_ action: ScheduleAction) -> Route { scheduleActionRoutes[action]!.template }
    /// The invoke route of a schedule action (2.6.5, .7, .9).
    public static func invoke(_ action: ScheduleAction) -> Route { scheduleActionRoutes[action]!.invoke }
    /// The template route of a service template action (2.4.7, .9, .10).
    public static func template(_ action: ServiceTemplateAction) -> Route { templateActionRoutes[action]!.template }
    /// The invoke route of a service template action; nil for `detailhelp`.
    public static func invoke(_ action: ServiceTemplateAction) -> Route? { templateActionRoutes[action]!.invoke }

    private static func pair(
        _ collection: String, _ resource: APIOperation.Resource, _ action: String, _ sections: (String, String?),
        _ roles: Roles, _ title: String, invokeAnswer: Answer = .job
    ) -> (template: Route, invoke: Route?) {
        let base = "/objects/\(collection)/{id}/actions/\(action)"
        let t = Route("GET", base, sections.0, .actionTemplate, roles, "Get the \(action) template", .actionTemplate(action), resource)
        let i = sections.1.map { Route("POST", base + "/invoke", $0, invokeAnswer, roles, title, .invoke(action), resource) }
        return (t, i)
    }

    private static let taskActionRoutes: [TaskAction: (template: Route, invoke: Route)] = {
        func p(_ a: TaskAction, _ t: String, _ i: String, _ roles: Roles, _ title: String) -> (template: Route, invoke: Route) {
            let r = pair("Tasks", .tasks, a.rawValue, (t, i), roles, title)
            return (r.template, r.invoke!)
        }
        return [
            .stop: p(.stop, "2.7.6", "2.7.7", .all, "Stop a task"),
            .forceStop: p(.forceStop, "2.7.8", "2.7.9", .all, "Force-stop a task"),
            .resubmit: p(.resubmit, "2.7.10", "2.7.11", .all, "Resubmit a task"),
            .response: p(.response, "2.7.12", "2.7.13", .all, "Respond to a waiting task"),
            .rerunStart: p(.rerunStart, "2.7.14", "2.7.15", .all, "Retry from the failed step"),
            .rerunStepStart: p(.rerunStepStart, "2.7.16", "2.7.17", .all, "Retry from the step after the failed step"),
            .archive: p(.archive, "2.7.18", "2.7.19", .adm, "Archive a task"),
        ]
    }()

    private static let serviceActionRoutes: [ServiceAction: (template: Route, invoke: Route?)] = [
        .submit: pair("Services", .services, "submit", ("2.5.6", "2.5.7"), .all, "Submit a service"),
        .reset: pair("Services", .services, "reset", ("2.5.8", "2.5.9"), .adm, "Reset a service's counters"),
        .release: pair("Services", .services, "release", ("2.5.10", "2.5.11"), .adm, "Release a service"),
        .maintenance: pair("Services", .services, "maintenance", ("2.5.12", "2.5.13"), .adm, "Put a service into maintenance"),
        .disable: pair("Services", .services, "disable", ("2.5.14", "2.5.15"), .adm, "Disable a service"),
        .detailhelp: pair("Services", .services, "detailhelp", ("2.5.16", nil), .all, "Get a service's help URL"),
        .applyTemplate: pair(
            "Services", .services, "applyTemplate", ("2.5.17", "2.5.18"), .adm, "Change the service template version a service uses"),
    ]

    private static let scheduleActionRoutes: [ScheduleAction: (template: Route, invoke: Route)] = {
        func p(_ a: ScheduleAction, _ t: String, _ i: String, _ title: String) -> (template: Route, invoke: Route) {
            let r = pair("Schedules", .schedules, a.rawValue, (t, i), .all, title)
            return (r.template, r.invoke!)
        }
        return [
            .cancel: p(.cancel, "2.6.4", "2.6.5", "Cancel a schedule"),
            .suspend: p(.suspend, "2.6.6", "2.6.7", "Suspend a schedule"),
            .resume: p(.resume, "2.6.8", "2.6.9", "Resume a schedule"),
        ]
    }()

    private static let templateActionRoutes: [ServiceTemplateAction: (template: Route, invoke: Route?)] = [
        .export: pair(
            "ServiceTemplates", .serviceTemplates, "export", ("2.4.7", "2.4.8"), .ad, "Export a service template", invokeAnswer: .file),
        .detailhelp: pair("ServiceTemplates", .serviceTemplates, "detailhelp", ("2.4.9", nil), .adm, "Get a template's help URL"),
        .bind: pair("ServiceTemplates", .serviceTemplates, "bind", ("2.4.10", "2.4.11"), .adm, "Create a service from a template"),
    ]

    /// Every route, in the order of the manual's sections.
    public static let all: [Route] = {
        var routes: [Route] = [
            listServiceTemplates, serviceTemplate, deleteServiceTemplate, serviceTemplateActions, importForm,
            importServiceTemplate,
            listServices, service, editService, deleteService, serviceActions,
            listSchedules, schedule, scheduleActions,
            listTasks, task, editTask, deleteTask, taskActions, flowSteps, taskLog,
            listTaskHistories, deleteTaskHistories, taskHistory, deleteTaskHistory, taskHistoryActions,
            listPropertyDefinitions, propertyDefinition, propertyDefinitionActions, listPropertyInformations,
            listPropertyValues, updatePropertyValues, propertyValue, updatePropertyValue, propertyValueActions,
            listPropertyGroups,
            listServiceGroups, serviceGroup, listTagGroups, listTags, user, version,
        ]
        for a in TaskAction.allCases { routes += [template(a), invoke(a)] }
        for a in ServiceAction.allCases { routes.append(template(a)); if let i = invoke(a) { routes.append(i) } }
        for a in ScheduleAction.allCases { routes += [template(a), invoke(a)] }
        for a in ServiceTemplateAction.allCases { routes.append(template(a)); if let i = invoke(a) { routes.append(i) } }
        return routes.sorted { sectionKey($0.section).lexicographicallyPrecedes(sectionKey($1.section)) }
    }()

    /// `2.7.10` → `[2, 7, 10]`.
    static func sectionKey(_ s: String) -> [Int] { s.split(separator: ".").compactMap { Int($0) } }
}

// MARK: The functions of the table, for docs/api-coverage.md

extension Route {
    /// The `AOClient` function that calls this route (for `docs/api-coverage.md`).
    public var clientFunction: String { Self.clientFunctions[section] ?? "send(_:_:)" }

    private static let clientFunctions: [String: String] = [
        "2.4.1": "listServiceTemplates(_ query: ServiceTemplateQuery)",
        "2.4.2": "serviceTemplate(_ id)",
        "2.4.3": "deleteServiceTemplate(_ id)",
        "2.4.4": "serviceTemplateActions(_ id)",
        "2.4.5": "serviceTemplateImportForm() → String",
        "2.4.6": "importServiceTemplate(fileName:contents:)",
        "2.4.7": "serviceTemplateActionTemplate(_ id, .export)",
        "2.4.8": "exportServiceTemplate(_ id) → DownloadedFile",
        "2.4.9": "serviceTemplateActionTemplate(_ id, .detailhelp)",
        "2.4.10": "serviceTemplateActionTemplate(_ id, .bind)",
        "2.4.11": "bindServiceTemplate(_ id, fill:)",
        "2.5.1": "listServices(_ query: ServiceQuery)",
        "2.5.2": "service(_ id)",
        "2.5.3": "editService(_ id, _ service: JSON)",
        "2.5.4": "deleteService(_ id)",
        "2.5.5": "serviceActions(_ id)",
        "2.5.6": "serviceActionTemplate(_ id, .submit)",
        "2.5.7": "submitService(_ id, _ request: SubmitRequest)",
        "2.5.8": "serviceActionTemplate(_ id, .reset)",
        "2.5.9": "invokeServiceAction(_ id, .reset)",
        "2.5.10": "serviceActionTemplate(_ id, .release)",
        "2.5.11": "invokeServiceAction(_ id, .release)",
        "2.5.12": "serviceActionTemplate(_ id, .maintenance)",
        "2.5.13": "invokeServiceAction(_ id, .maintenance)",
        "2.5.14": "serviceActionTemplate(_ id, .disable)",
        "2.5.15": "invokeServiceAction(_ id, .disable)",
        "2.5.16": "serviceActionTemplate(_ id, .detailhelp)",
        "2.5.17": "serviceActionTemplate(_ id, .applyTemplate)",
        "2.5.18": "applyTemplate(_ id, templateID:)",
        "2.6.1": "listSchedules(_ query: ScheduleQuery)",
        "2.6.2": "schedule(_ id)",
        "2.6.3": "scheduleActions(_ id)",
        "2.6.4": "scheduleActionTemplate(_ id, .cancel)",
        "2.6.5": "invokeScheduleAction(_ id, .cancel)",
        "2.6.6": "scheduleActionTemplate(_ id, .suspend)",
        "2.6.7": "invokeScheduleAction(_ id, .suspend)",
        "2.6.8": "scheduleActionTemplate(_ id, .resume)",
        "2.6.9": "invokeScheduleAction(_ id, .resume)",
        "2.7.1": "listTasks(_ query: TaskQuery)",
        "2.7.2": "task(_ id)",
        "2.7.3": "editTask(_ id, notes:toDo:)",
        "2.7.4": "deleteTask(_ id) → TaskDeletion",
        "2.7.5": "taskActions(_ id)",
        "2.7.6": "taskActionTemplate(_ id, .stop)",
        "2.7.7": "invokeTaskAction(_ id, .stop, fill:) / (…, template:)",
        "2.7.8": "taskActionTemplate(_ id, .forceStop)",
        "2.7.9": "invokeTaskAction(_ id, .forceStop, fill:) / (…, template:)",
        "2.7.10": "taskActionTemplate(_ id, .resubmit)",
        "2.7.11": "resubmitTask(_ id, _ request: SubmitRequest)",
        "2.7.12": "taskActionTemplate(_ id, .response)",
        "2.7.13": "invokeTaskAction(_ id, .response, fill:)",
        "2.7.14": "taskActionTemplate(_ id, .rerunStart)",
        "2.7.15": "invokeTaskAction(_ id, .rerunStart)",
        "2.7.16": "taskActionTemplate(_ id, .rerunStepStart)",
        "2.7.17": "invokeTaskAction(_ id, .rerunStepStart)",
        "2.7.18": "taskActionTemplate(_ id, .archive)",
        "2.7.19": "invokeTaskAction(_ id, .archive)",
        "2.7.20": "flowSteps(taskID:)",
        "2.7.21": "taskLog(taskID:offset:readSize:reverse:) → JSON",
        "2.8.1": "listTaskHistories(_ query: TaskHistoryQuery)",
        "2.8.2": "deleteTaskHistories(start:end:serviceGroupID:)",
        "2.8.3": "taskHistory(_ id)",
        "2.8.4": "deleteTaskHistory(_ id)",
        "2.8.5": "taskHistoryActions(_ id)",
        "2.9.1": "listPropertyDefinitions(_ scope: PropertyScope, hql:)",
        "2.9.2": "propertyDefinition(_ id)",
        "2.9.3": "propertyDefinitionActions(_ id)",
        "2.9.4": "listPropertyInformations(_ scope, hql:)",
        "2.9.5": "listPropertyValues(_ scope, hql:)",
        "2.9.6": "updatePropertyValues(_ items: [JSON], serviceID:)",
        "2.9.7": "propertyValue(_ id)",
        "2.9.8": "updatePropertyValue(_ id, value:extra:)",
        "2.9.9": "propertyValueActions(_ id)",
        "2.9.10": "listPropertyGroups(_ scope, hql:)",
        "2.10.1": "listServiceGroups(_ hql: HQLOptions)",
        "2.10.2": "serviceGroup(_ id)",
        "2.11.1": "listTagGroups(_ hql: HQLOptions)",
        "2.11.2": "listTags(_ query: TagQuery)",
        "2.12.1": "user()",
        "2.12.2": "version()",
    ]

    /// The routes table of `docs/api-coverage.md` (`ats help --routes` prints it; a test
    /// checks the file holds it).
    public static func markdownTable() -> String {
        var out = "| Method | Path | § | Answer | Roles | Client function | Test |\n|---|---|---|---|---|---|---|\n"
        for r in all {
            out += "| \(r.method) | `\(r.template)` | \(r.section) | \(r.answer.rawValue) | \(r.roles) | `\(r.clientFunction)` | "
                + "`OperationsTests` \"\(r.section)\" |\n"
        }
        return out
    }
}
