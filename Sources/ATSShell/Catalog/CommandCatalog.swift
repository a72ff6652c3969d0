import ATSLanguage

/// The declared shape of every command the shell adds to the language (SHELL.md §2), one
/// file per resource area. `help`, completion, the checker and `docs/commands.md` all read
/// these signatures; the handlers in `Commands/` implement them.
public enum CommandCatalog {
    /// Every host command, in the order `help` lists them.
    public static let all: [CommandSignature] =
        session + tasks + histories + services + schedules + templates + properties + groupsAndTags + raw

    /// Every host command and the output stages (`table`, `json`, …): what the language is
    /// given, what `check` and the language server know.
    public static let allWithStages: [CommandSignature] = all + OutputStages.signatures

    /// The signature named `name` (a subcommand is named with a space: `"service release"`).
    public static func signature(_ name: String) -> CommandSignature? {
        all.first { $0.name == name }
    }

    /// The areas as `help` groups them.
    public static let areas: [(title: String, commands: [CommandSignature])] = [
        ("Session", session), ("Tasks", tasks), ("Task histories", histories),
        ("Services", services), ("Schedules", schedules), ("Service templates", templates),
        ("Properties", properties), ("Service groups and tags", groupsAndTags), ("Raw API", raw),
        ("Output stages", OutputStages.signatures),
    ]
}

/// Builders for options that many commands share.
enum CommonOptions {
    /// `--output FORMAT`, taken by every command.
    static let output = OptionSpec(
        "output", .value(name: "FORMAT"), help: "print the result as pretty, table, json, jsonl, csv or raw",
        completion: .formats)
    /// `--yes`: do not ask before acting on several objects.
    static let yes = OptionSpec("yes", help: "do not ask for confirmation")
    /// `--dry-run`: print the request instead of sending it.
    static let dryRun = OptionSpec("dry-run", help: "print the request and its curl equivalent instead of sending it")
    /// `--filter HQL` and friends, shared by list commands.
    static func listing(sortExample: String) -> [OptionSpec] {
        [
            OptionSpec("filter", .value(name: "HQL"), help: "an HQL filter expression, e.g. \"name starts 'Backup'\""),
            OptionSpec("sort", .value(name: "FIELD"), help: "sort by a member (\(sortExample)); -FIELD or 'FIELD desc' sorts descending"),
            OptionSpec("limit", .value(name: "N"), help: "return at most N objects"),
            OptionSpec("all", help: "page through every object (1,000 per request)"),
        ]
    }

    /// Adds `--output` to every command, and `--yes`/`--dry-run` to commands that change state.
    static func finish(_ signatures: [CommandSignature]) -> [CommandSignature] {
        signatures.map { s in
            var s = s
            if s.isDestructive {
                if s.option("dry-run") == nil { s.options.append(dryRun) }
                if s.option("yes") == nil { s.options.append(yes) }
            }
            if s.option("output") == nil { s.options.append(output) }
            return s
        }
    }
}

/// Positional parameters that many commands share.
enum CommonParameters {
    static let taskID = ParameterSpec("ID", help: "a task id (instanceID)", completion: .taskIDs)
    static let taskIDs = ParameterSpec("ID", .variadic, help: "one or more task ids", completion: .taskIDs)
}
