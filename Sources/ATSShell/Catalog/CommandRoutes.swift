import AOClient

/// The routes of the client's table (`Route.all`) that each command calls, for `help` and
/// for the test that every route is reachable from a command. Derived from the table: no
/// path is spelled here.
enum CommandRoutes {
    /// The routes of `command`, in the order it calls them; empty for commands that call none
    /// (or, like `api`, any).
    static func routes(of command: String) -> [Route] { table[command] ?? [] }

    private static func action(_ a: TaskAction) -> [Route] { [Route.template(a), Route.invoke(a)] }
    private static func action(_ a: ServiceAction) -> [Route] { [Route.template(a)] + [Route.invoke(a)].compactMap { $0 } }
    private static func action(_ a: ScheduleAction) -> [Route] { [Route.template(a), Route.invoke(a)] }

    static let table: [String: [Route]] = [
        "connect": [.user, .version],
        "whoami": [.user],
        "server": [.version],
        "tasks": [.listTasks],
        "task": [.task],
        "task delete": [.deleteTask],
        "steps": [.flowSteps],
        "log": [.taskLog, .task],
        "actions": [
            .taskActions, .serviceActions, .scheduleActions, .serviceTemplateActions, .taskHistoryActions,
            .propertyDefinitionActions, .propertyValueActions,
        ] + TaskAction.allCases.map { Route.template($0) } + ServiceAction.allCases.map { Route.template($0) }
            + ScheduleAction.allCases.map { Route.template($0) } + ServiceTemplateAction.allCases.map { Route.template($0) },
        "stop": action(.stop) + action(.forceStop),
        "respond": action(.response),
        "retry": action(.rerunStart) + action(.rerunStepStart),
        "resubmit": action(.resubmit) + [.task],
        "archive": action(.archive),
        "note": [.task, .editTask],
        "todo": [.task, .editTask],
        "wait": [.task],
        "history": [.listTaskHistories, .taskHistory],
        "history delete": [.deleteTaskHistory, .deleteTaskHistories],
        "services": [.listServices],
        "service": [.service],
        "service update": [.service, .editService],
        "service delete": [.deleteService],
        "service release": action(.release),
        "service maintenance": action(.maintenance),
        "service disable": action(.disable),
        "service reset": action(.reset),
        "service apply-template": action(.applyTemplate),
        "submit": action(.submit) + [.task],
        "schedules": [.listSchedules],
        "schedule": [.schedule],
        "schedule cancel": action(.cancel),
        "schedule suspend": action(.suspend),
        "schedule resume": action(.resume),
        "templates": [.listServiceTemplates],
        "template": [.serviceTemplate],
        "template export": [Route.template(.export)] + [Route.invoke(.export)].compactMap { $0 },
        "template import": [.importServiceTemplate],
        "template delete": [.deleteServiceTemplate],
        "template bind": [Route.template(.bind)] + [Route.invoke(.bind)].compactMap { $0 },
        "template form": [.importForm],
        "props": [.listPropertyValues, .propertyValue],
        "props definitions": [.listPropertyDefinitions, .propertyDefinition],
        "props info": [.listPropertyInformations],
        "props groups": [.listPropertyGroups],
        "props actions": [.propertyValueActions, .propertyDefinitionActions],
        "props set": [.propertyValue, .updatePropertyValue],
        "props update": [.updatePropertyValues],
        "groups": [.listServiceGroups, .serviceGroup],
        "tags": [.listTags, .listTagGroups],
    ]

    /// `METHOD TEMPLATE (SECTION)` of each route, one per line, for help.
    static func lines(of command: String) -> [String] {
        routes(of: command).map { "\($0.method) \($0.template) (\($0.section))" }
    }
}
