import AOClient
import ATSLanguage

extension CommandCatalog {
    /// Property definitions and values (reference §2.6).
    static let properties: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "props", summary: "property values: of a service, task or schedule, or the shared ones; one value with an id",
            parameters: [ParameterSpec("ID", .optional, help: "one property value")],
            options: [
                OptionSpec("service", .value(name: "NAME"), help: "of this service (name or id)", completion: .services),
                OptionSpec("task", .value(name: "ID"), help: "of this task", completion: .taskIDs),
                OptionSpec("schedule", .value(name: "ID"), help: "of this schedule"),
            ],
            examples: ["props", "props --service \"Backup Database\"", "props --task 5381", "props 24"]),
        CommandSignature(
            "props definitions", summary: "property definitions, or one with an id",
            parameters: [ParameterSpec("ID", .optional, help: "one definition")],
            options: [
                OptionSpec("service", .value(name: "NAME"), help: "of this service (name or id)", completion: .services),
                OptionSpec("task", .value(name: "ID"), help: "of this task", completion: .taskIDs),
                OptionSpec("template", .value(name: "ID"), help: "of this service template"),
            ],
            examples: ["props definitions --service 2004", "props definitions 158"]),
        CommandSignature(
            "props info", summary: "definitions with their values",
            options: [
                OptionSpec("service", .value(name: "NAME"), help: "of this service (name or id)", completion: .services),
                OptionSpec("task", .value(name: "ID"), help: "of this task", completion: .taskIDs),
                OptionSpec("schedule", .value(name: "ID"), help: "of this schedule"),
                OptionSpec("shared", help: "the service share properties"),
            ],
            examples: ["props info --task 5381", "props info --shared"]),
        CommandSignature(
            "props groups", summary: "property groups of one template, service, schedule or task",
            options: [
                OptionSpec("template", .value(name: "ID"), help: "of this service template"),
                OptionSpec("service", .value(name: "NAME"), help: "of this service (name or id)", completion: .services),
                OptionSpec("schedule", .value(name: "ID"), help: "of this schedule"),
                OptionSpec("task", .value(name: "ID"), help: "of this task", completion: .taskIDs),
            ],
            examples: ["props groups --service 2004"]),
        CommandSignature(
            "props set", summary: "change one property value",
            parameters: [ParameterSpec("ID", help: "the property value's id"), ParameterSpec("VALUE", help: "the new value")],
            examples: ["props set 24 db02"], isDestructive: true),
        CommandSignature(
            "props actions", summary: "the operations of a property value, or of a property definition with --definition",
            parameters: [ParameterSpec("ID", help: "the property value's id (the definition's with --definition)")],
            options: [OptionSpec("definition", help: "ID is a property definition")],
            examples: ["props actions 24", "props actions 158 --definition"]),
        CommandSignature(
            "props update", summary: "change several property values at once: shared ones, or a service's with --service",
            parameters: [ParameterSpec("VALUES", help: "a list of objects with instanceID and value (readOnly, hidden with --service)")],
            options: [OptionSpec("service", .value(name: "NAME"), help: "the service (name or id)", completion: .services)],
            examples: ["props update [{instanceID: 7, value: \"x\"}, {instanceID: 24, value: \"y\"}]"],
            isDestructive: true),
    ])

    /// Service groups, tag groups and tags (reference §2.7, §2.8).
    static let groupsAndTags: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "groups", summary: "service groups, or one with an id",
            parameters: [ParameterSpec("ID", .optional, help: "one service group")],
            options: CommonOptions.listing(sortExample: "name"),
            examples: ["groups", "groups 3"]),
        CommandSignature(
            "tags", summary: "tags, or tag groups with their tags (--groups)",
            options: [
                OptionSpec("groups", help: "list tag groups with their tags"),
                OptionSpec("resource-type", .value(name: "TYPE"), help: "tags in use on ServiceTemplate, Service, Task or TaskHistory",
                           completion: .choices(["ServiceTemplate", "Service", "Task", "TaskHistory"])),
                OptionSpec("detail", help: "include tag details"),
            ],
            examples: ["tags", "tags --groups", "tags --resource-type Task"]),
    ])

    /// The raw escape hatch (reference §2.0: any route).
    static let raw: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "api", summary: "send any request through the session; the response body is the result",
            parameters: [
                ParameterSpec("METHOD", help: "GET, POST, PUT or DELETE", completion: .choices(["GET", "POST", "PUT", "DELETE"])),
                ParameterSpec("PATH", help: "a path below /Automation/v1 (e.g. \(Route.task.path(5381)))"),
                ParameterSpec("BODY", .optional, help: "a request body: an object, a list, or JSON text"),
            ],
            options: [
                OptionSpec("query", .repeated(name: "KEY=VALUE"), help: "a query parameter"),
                OptionSpec("accept", .value(name: "TYPE"), help: "the Accept header (default application/json)"),
            ],
            examples: [
                "api GET \(Route.listTasks.path()) --query \(APIConventions.default.limitParameter)=5",
                "api GET \(Route.importForm.path()) --accept text/html",
                "api POST \(Route.invoke(.stop).path(5381)) (api GET \(Route.template(.stop).path(5381)))",
            ],
            isDestructive: true),
    ])
}
