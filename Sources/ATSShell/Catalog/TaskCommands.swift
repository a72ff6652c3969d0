import ATSLanguage

extension CommandCatalog {
    /// Tasks, their steps, logs and actions (reference §2.4).
    static let tasks: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "tasks", summary: "list tasks",
            options: [
                OptionSpec("status", .value(name: "S[,S…]"), help: "only tasks in these statuses (API strings, display names, any case)", completion: .statuses),
                OptionSpec("service", .value(name: "NAME"), help: "only tasks of this service (name or id)", completion: .services),
                OptionSpec("group", .value(name: "NAME"), help: "only tasks of this service group (name or id)"),
                OptionSpec("tag", .value(name: "T[,T…]"), help: "only tasks having all these tags"),
                OptionSpec("search", .value(name: "TEXT"), help: "full-text search over name, submitter, description, service, tags, notes"),
            ] + CommonOptions.listing(sortExample: "submitTime"),
            examples: [
                "tasks",
                "tasks --status failed,inProgress --limit 20",
                "tasks --service \"Backup Database\" --sort -submitTime",
                "tasks --all | where .status == \"failed\" | count",
            ]),
        CommandSignature(
            "task", summary: "one task",
            parameters: [CommonParameters.taskID], examples: ["task 5381", "let t = task 5381; echo $t.status"]),
        CommandSignature(
            "task delete", summary: "delete a debug task; normal tasks are archived instead",
            parameters: [CommonParameters.taskIDs], examples: ["task delete 5381"], isDestructive: true),
        CommandSignature(
            "steps", summary: "the flow steps of a task",
            parameters: [CommonParameters.taskID], examples: ["steps 5381"]),
        CommandSignature(
            "log", summary: "the log of a task",
            parameters: [CommonParameters.taskID],
            options: [
                OptionSpec("tail", .value(name: "N"), help: "only the last N lines"),
                OptionSpec("follow", help: "keep printing new lines until the task finishes (Ctrl-C stops)"),
            ],
            examples: ["log 5381", "log 5381 --tail 20", "log 5381 --follow"]),
        CommandSignature(
            "actions", summary: "the actions the server offers for an object, or one action's template",
            parameters: [
                ParameterSpec("ID", help: "the object's id"),
                ParameterSpec("ACTION", .optional, help: "one action's name (e.g. forceStop), to see its template"),
            ],
            options: [OptionSpec(
                "of", .value(name: "KIND"),
                help: "task (default), service, schedule, template, history, definition (a property definition) or value (a property value)",
                completion: .choices(["task", "service", "schedule", "template", "history", "definition", "value"]))],
            examples: ["actions 5381", "actions 5381 response", "actions 2004 --of service", "actions 2004 detailhelp --of service"]),
        CommandSignature(
            "stop", summary: "stop tasks, or force-stop them with --force; returns the server's job (a list for several ids)",
            parameters: [CommonParameters.taskIDs],
            options: [OptionSpec("force", help: "force stop: end the running processes at once")],
            examples: ["stop 5381", "stop 5381 5382 --force", "stop(5381, force: true)",
                       "let r = stop 5381 --force; echo $r.state",
                       "(stop 5381 5382 --force) | where .state != \"success\""],
            isDestructive: true),
        CommandSignature(
            "respond", summary: "answer a task that waits for input; returns the server's job",
            parameters: [CommonParameters.taskID],
            options: [OptionSpec("button", .value(name: "N|LABEL"), help: "the answer button: its number (1–9) or its label (default 1)")],
            examples: ["respond 5381", "respond 5381 --button 2", "respond 5381 --button Yes"],
            isDestructive: true),
        CommandSignature(
            "retry", summary: "retry a failed task from the failed step or the step after it; returns the server's job",
            parameters: [CommonParameters.taskID],
            options: [OptionSpec("from-next-step", help: "retry from the step after the failed one")],
            examples: ["retry 5381", "retry 5381 --from-next-step"], isDestructive: true),
        CommandSignature(
            "resubmit", summary: "run a finished task again, as a new task",
            parameters: [CommonParameters.taskID],
            options: [OptionSpec("param", .repeated(name: "KEY=VALUE"), help: "change an input property")],
            examples: ["resubmit 5381", "resubmit 5381 --param target=db02"], isDestructive: true),
        CommandSignature(
            "archive", summary: "archive finished tasks: they move to the task histories; returns the server's jobs",
            parameters: [CommonParameters.taskIDs], examples: ["archive 5381", "archive 5381 5382 --yes"],
            isDestructive: true),
        CommandSignature(
            "note", summary: "set a task's notes",
            parameters: [CommonParameters.taskID, ParameterSpec("TEXT", help: "the new notes")],
            examples: ["note 5381 \"waiting for the DBA\""], isDestructive: true),
        CommandSignature(
            "todo", summary: "mark a task as to-do or not",
            parameters: [CommonParameters.taskID, ParameterSpec("STATE", help: "on or off", completion: .choices(["on", "off"]))],
            examples: ["todo 5381 on"], isDestructive: true),
        CommandSignature(
            "wait", summary: "poll a task until it reaches (--until) or leaves (--while) a status; an error on timeout",
            parameters: [CommonParameters.taskID],
            options: [
                OptionSpec("until", .value(name: "S[,S…]"), help: "stop waiting when the task is in one of these statuses (default: completed, failed, canceled)", completion: .statuses),
                OptionSpec("while", .value(name: "S[,S…]"), help: "keep waiting while the task is in one of these statuses", completion: .statuses),
                OptionSpec("timeout", .value(name: "DUR"), help: "give up after this long (default 10m); a timeout is an error of kind timeout"),
                OptionSpec("every", .value(name: "DUR"), help: "poll interval (default 2s)"),
            ],
            examples: ["wait 5381", "wait $t.instanceID --until completed,failed --timeout 10m --every 2s",
                       "wait 5381 --while inProgress"]),
    ])

    /// Task histories (reference §2.5).
    static let histories: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "history", summary: "archived tasks, or one record with an id",
            parameters: [ParameterSpec("ID", .optional, help: "one history record")],
            options: [
                OptionSpec("from", .value(name: "DATE"), help: "records that started at or after DATE"),
                OptionSpec("to", .value(name: "DATE"), help: "records that ended at or before DATE"),
                OptionSpec("group", .value(name: "NAME"), help: "only this service group (name or id)"),
                OptionSpec("tag", .value(name: "T[,T…]"), help: "only records having all these tags"),
                OptionSpec("search", .value(name: "TEXT"), help: "full-text search"),
            ] + CommonOptions.listing(sortExample: "completionTime"),
            examples: ["history", "history --from 2026-01-01 --to 2026-02-01", "history 5237"]),
        CommandSignature(
            "history delete", summary: "delete history records by id, or all matching --from/--to/--group",
            parameters: [ParameterSpec("ID", .variadic, help: "record ids")],
            options: [
                OptionSpec("from", .value(name: "DATE"), help: "delete records that started at or after DATE"),
                OptionSpec("to", .value(name: "DATE"), help: "delete records that ended at or before DATE"),
                OptionSpec("group", .value(name: "NAME"), help: "only this service group (name or id)"),
            ],
            examples: ["history delete 5237", "history delete --from 2025-01-01 --to 2025-06-30 --yes"],
            isDestructive: true),
    ])
}
