import ATSLanguage

extension CommandCatalog {
    /// Services and submitting them (reference §2.2).
    static let services: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "services", summary: "list services",
            options: [
                OptionSpec("group", .value(name: "NAME"), help: "only this service group (name or id)"),
                OptionSpec("template", .value(name: "ID"), help: "only services made from this template"),
                OptionSpec("favorite", help: "only favourite services"),
                OptionSpec("property", .value(name: "KEY"), help: "only services having a property whose key contains KEY"),
                OptionSpec("tag", .value(name: "T[,T…]"), help: "only services having all these tags"),
                OptionSpec("search", .value(name: "TEXT"), help: "full-text search over name, description, tags, template, vendor"),
            ] + CommonOptions.listing(sortExample: "name"),
            examples: ["services", "services --search backup", "services | select instanceID name serviceState"]),
        CommandSignature(
            "service", summary: "one service, by id or by name",
            parameters: [ParameterSpec("SERVICE", help: "an id or a name", completion: .services)],
            examples: ["service 2004", "service \"Backup Database\""]),
        CommandSignature(
            "service update", summary: "edit a service",
            parameters: [ParameterSpec("SERVICE", help: "an id or a name", completion: .services)],
            options: [
                OptionSpec("name", .value(name: "NAME"), help: "a new name"),
                OptionSpec("description", .value(name: "TEXT"), help: "a new description"),
                OptionSpec("tags", .value(name: "T[,T…]"), help: "the new tags"),
                OptionSpec("favorite", .value(name: "on|off"), help: "mark as favourite or not", completion: .choices(["on", "off"])),
            ],
            examples: ["service update 2004 --description \"nightly backup\"", "service update 2004 --favorite on"],
            isDestructive: true),
        CommandSignature(
            "service delete", summary: "delete a service; fails while tasks made from it exist",
            parameters: [ParameterSpec("SERVICE", .variadic, help: "ids or names", completion: .services)],
            examples: ["service delete 2004"], isDestructive: true),
        CommandSignature(
            "service release", summary: "put a service into release state; returns the server's job",
            parameters: [ParameterSpec("SERVICE", help: "an id or a name", completion: .services)],
            examples: ["service release 2004"], isDestructive: true),
        CommandSignature(
            "service maintenance", summary: "put a service into maintenance; returns the server's job",
            parameters: [ParameterSpec("SERVICE", help: "an id or a name", completion: .services)],
            examples: ["service maintenance 2004"], isDestructive: true),
        CommandSignature(
            "service disable", summary: "disable services",
            parameters: [ParameterSpec("SERVICE", .variadic, help: "ids or names", completion: .services)],
            examples: ["service disable 2004"], isDestructive: true),
        CommandSignature(
            "service apply-template", summary: "change the service template version a service uses; returns the server's job",
            parameters: [
                ParameterSpec("SERVICE", help: "an id or a name", completion: .services),
                ParameterSpec("TEMPLATE_ID", help: "the service template (a version of the service's template) to use"),
            ],
            examples: ["service apply-template 2004 1116"], isDestructive: true),
        CommandSignature(
            "service reset", summary: "reset a service's counters",
            parameters: [ParameterSpec("SERVICE", help: "an id or a name", completion: .services)],
            examples: ["service reset 2004"], isDestructive: true),
        CommandSignature(
            "submit", summary: "run a service now, at a time (--at), or on a recurrence (--every); returns the new task",
            parameters: [ParameterSpec("SERVICE", help: "an id or a name", completion: .services)],
            options: [
                OptionSpec("param", .repeated(name: "KEY=VALUE"), help: "an input property (keyName=value)"),
                OptionSpec("name", .value(name: "NAME"), help: "the task's name (default: the service name and the time)"),
                OptionSpec("description", .value(name: "TEXT"), help: "the task's description"),
                OptionSpec("at", .value(name: "TIME"), help: "run once at TIME (ISO 8601, e.g. 2026-12-01T02:00)"),
                OptionSpec("every", .value(name: "PATTERN"), help: "run on a recurrence: daily[:HH:MM], hourly:N, weekly:mon,fri[@HH:MM], monthly:1,15[@HH:MM]"),
            ],
            examples: [
                "submit \"Backup Database\" --param target=db01 --param mode=full",
                "let t = submit 2004; wait $t.instanceID",
                "submit \"Rotate Logs\" --every daily:02:00",
            ],
            isDestructive: true),
    ])

    /// Schedules (reference §2.3).
    static let schedules: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "schedules", summary: "list schedules",
            options: [
                OptionSpec("service", .value(name: "NAME"), help: "only schedules of this service (name or id)", completion: .services),
                OptionSpec("group", .value(name: "NAME"), help: "only this service group (name or id)"),
                OptionSpec("template", .value(name: "ID"), help: "only schedules of services made from this template"),
                OptionSpec("running", help: "only schedules whose task has not run yet"),
            ] + CommonOptions.listing(sortExample: "scheduledStartTime"),
            examples: ["schedules", "schedules --running"]),
        CommandSignature(
            "schedule", summary: "one schedule",
            parameters: [ParameterSpec("ID", help: "a schedule id")], examples: ["schedule 2060"]),
        CommandSignature(
            "schedule cancel", summary: "cancel a schedule: its waiting task becomes canceled; returns the server's job",
            parameters: [ParameterSpec("ID", help: "a schedule id")], examples: ["schedule cancel 2060"], isDestructive: true),
        CommandSignature(
            "schedule suspend", summary: "pause a schedule; returns the server's job",
            parameters: [ParameterSpec("ID", help: "a schedule id")], examples: ["schedule suspend 2060"], isDestructive: true),
        CommandSignature(
            "schedule resume", summary: "resume a paused schedule; returns the server's job",
            parameters: [ParameterSpec("ID", help: "a schedule id")], examples: ["schedule resume 2060"], isDestructive: true),
    ])
}
