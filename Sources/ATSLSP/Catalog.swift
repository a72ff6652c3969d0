import AOClient
import ATSLanguage
import ATSShell

/// What the server knows of commands, read from the shell's catalog when it starts: the
/// signatures `ats check` checks against, the language's built-ins, `help`'s text, the task
/// statuses and the output formats.
struct Catalog: Sendable {
    /// The shell's commands and output stages, as `ats check` passes them to the language.
    let hostCommands: [CommandSignature]
    /// The language's own commands and stages.
    let builtins: [CommandSignature]
    /// Every signature by name (a subcommand named with a space: `"service release"`).
    let byName: [String: CommandSignature]
    /// `help NAME`.
    let help: HelpRenderer
    /// Task statuses: API name and display name.
    let statuses: [(name: String, display: String)]
    /// `--output` formats.
    let formats: [String]

    init() {
        hostCommands = CommandCatalog.allWithStages
        builtins = Language.builtinSignatures
        var table: [String: CommandSignature] = [:]
        for s in builtins + hostCommands where table[s.name] == nil { table[s.name] = s }
        byName = table
        help = HelpRenderer(builtins: builtins)
        statuses = APIConventions.default.taskStatuses.map { ($0.apiName, $0.displayName) }
        formats = OutputFormat.names
    }

    /// The signature a command site runs: the subcommand when its first word names one.
    func signature(of site: CommandSite) -> CommandSignature? {
        if let w = site.firstWord, let sub = byName["\(site.name) \(w.text)"] { return sub }
        return byName[site.name]
    }

    /// The subcommand words of `name` (`service` → `release`, …).
    func subcommands(of name: String) -> [CommandSignature] {
        byName.values.filter { $0.name.hasPrefix(name + " ") }.sorted { $0.name < $1.name }
    }

    /// The first words of every command, each with the summary of the command of that name,
    /// or a list of its subcommands.
    var commandWords: [(word: String, detail: String)] {
        var seen: [String: String] = [:]
        for s in builtins + hostCommands {
            let word = String(s.name.split(separator: " ").first ?? "")
            if s.name == word {
                seen[word] = s.summary
            } else if seen[word] == nil {
                seen[word] = "subcommands: " + subcommands(of: word).map { String($0.name.dropFirst(word.count + 1)) }.joined(separator: ", ")
            }
        }
        return seen.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The language's keywords: its reserved words and its statement words.
    static let keywords = Language.reservedWords + Language.statementWords
}
