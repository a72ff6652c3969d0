import ATSJSON
import Foundation
import ATSLanguage

/// Renders `help` from command signatures: an overview, one command's usage, options and
/// examples, or the whole reference as Markdown (`ats help --markdown` → docs/commands.md).
public struct HelpRenderer: Sendable {
    /// The shell's own commands, grouped.
    public var areas: [(title: String, commands: [CommandSignature])]
    /// The language's built-in commands (echo, sleep, where, …), listed after the shell's.
    public var builtins: [CommandSignature]

    public init(areas: [(title: String, commands: [CommandSignature])] = CommandCatalog.areas, builtins: [CommandSignature]) {
        self.areas = areas
        self.builtins = builtins
    }

    private var everything: [CommandSignature] { areas.flatMap(\.commands) + builtins }

    /// The one-line usage of a command: `stop ID… [--force] [--output FORMAT]`.
    public static func usage(_ s: CommandSignature) -> String {
        var parts = [s.name]
        for p in s.parameters {
            switch p.arity {
            case .required: parts.append(p.name)
            case .optional: parts.append("[\(p.name)]")
            case .variadic: parts.append("\(p.name)…")
            }
        }
        for o in s.options {
            switch o.kind {
            case .flag: parts.append("[--\(o.name)]")
            case .value(let n): parts.append("[--\(o.name) \(n)]")
            case .repeated(let n): parts.append("[--\(o.name) \(n)]…")
            }
        }
        return parts.joined(separator: " ")
    }

    /// The commands by area, the language's built-ins last: what `help` and ats(1) list.
    public var groups: [(title: String, commands: [CommandSignature])] {
        builtins.isEmpty ? areas : areas + [("Language", builtins)]
    }

    /// `help` with no topic: every command with its summary.
    public func overview() -> String {
        var out = "Commands (`help COMMAND` for options and examples, `help statuses`, `help formats`):\n"
        let width = min(24, (groups.flatMap(\.commands).map(\.name.count).max() ?? 0) + 2)
        for (title, commands) in groups {
            out += "\n\(title):\n"
            for c in commands {
                out += "  " + c.name.padding(width) + c.summary + "\n"
            }
        }
        return out
    }

    /// Help for `topic`: a command (and its subcommands), a topic, or nil when unknown.
    public func help(_ topic: String) -> String? {
        let key = topic.trimmed()
        if let text = Self.topics[key.lowercased()] { return text }
        let matches = everything.filter { $0.name == key || $0.name.hasPrefix(key + " ") }
        guard !matches.isEmpty else { return nil }
        return matches.map(command).joined(separator: "\n")
    }

    /// Names close to `topic`, for "did you mean".
    public func suggestions(for topic: String) -> [String] {
        everything.map(\.name).filter { NearMiss.distance($0, topic) <= 2 || $0.hasPrefix(topic) }
    }

    /// The full help of one command.
    public func command(_ s: CommandSignature) -> String {
        var out = "usage: \(Self.usage(s))\n\n\(s.summary)\n"
        if !s.parameters.isEmpty {
            out += "\narguments:\n"
            let w = (s.parameters.map(\.name.count).max() ?? 0) + 3
            for p in s.parameters { out += "  " + (p.name + (p.arity == .variadic ? "…" : "")).padding(w) + p.help + "\n" }
        }
        if !s.options.isEmpty {
            out += "\noptions:\n"
            let labels = s.options.map(Self.optionLabel)
            let w = (labels.map(\.count).max() ?? 0) + 2
            for (o, label) in zip(s.options, labels) { out += "  " + label.padding(w) + o.help + "\n" }
        }
        if !s.examples.isEmpty {
            out += "\nexamples:\n"
            for e in s.examples { out += "  \(e)\n" }
        }
        let routes = CommandRoutes.lines(of: s.name)
        if !routes.isEmpty {
            out += "\ncalls:\n"
            for r in routes { out += "  \(r)\n" }
        }
        return out
    }

    static func optionLabel(_ o: OptionSpec) -> String {
        switch o.kind {
        case .flag: return "--\(o.name)"
        case .value(let n): return "--\(o.name) \(n)"
        case .repeated(let n): return "--\(o.name) \(n) (repeatable)"
        }
    }

    /// The reference of every command as Markdown (docs/commands.md).
    public func markdown() -> String {
        var out = """
        # ats commands

        Generated from the command signatures by `ats help --markdown`; a test checks that this
        file matches them. Every command also works in call form: `stop 5381 --force` is
        `stop(5381, force: true)`. Every command takes `--output FORMAT`.

        """
        for (title, commands) in areas {
            out += "\n## \(title)\n"
            for s in commands { out += markdown(s) }
        }
        if !builtins.isEmpty {
            out += "\n## Language built-ins\n"
            for s in builtins { out += markdown(s) }
        }
        for (name, text) in Self.topics.sorted(by: { $0.key < $1.key }) {
            out += "\n## Topic: \(name)\n\n```\n\(text)```\n"
        }
        return out
    }

    private func markdown(_ s: CommandSignature) -> String {
        var out = "\n### `\(s.name)`\n\n\(s.summary)\n\n```\n\(Self.usage(s))\n```\n"
        if !s.parameters.isEmpty {
            out += "\n| Argument | Meaning |\n|---|---|\n"
            for p in s.parameters { out += "| `\(p.name)\(p.arity == .variadic ? "…" : "")`\(p.arity == .optional ? " (optional)" : "") | \(p.help.markdownCell) |\n" }
        }
        if !s.options.isEmpty {
            out += "\n| Option | Meaning |\n|---|---|\n"
            for o in s.options { out += "| `\(Self.optionLabel(o))` | \(o.help.markdownCell) |\n" }
        }
        if !s.examples.isEmpty {
            out += "\nExamples:\n\n```\n" + s.examples.joined(separator: "\n") + "\n```\n"
        }
        let routes = CommandRoutes.lines(of: s.name)
        if !routes.isEmpty {
            out += "\nCalls: " + routes.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    /// Topics that are not commands.
    static let topics: [String: String] = [
        "statuses": """
            Task statuses: write the API string, the display name, or any case of either.
              waiting            Waiting
              holding            Suspended (also: suspended)
              inProgress         In Progress (also: running)
              waitingResponse    Waiting for Input (also: Waiting for Response)
              abnormalDetected   In Progress (with Error) (also: Abnormal Detection)
              terminating        In Progress (Terminating)
              longRunning        Long Running
              completed          Completed
              failed             Failed
              canceled           Canceled (also: cancelled)
            Categories: scheduled (waiting, holding), active (the five in progress), finished (the last three).

            """,
        "formats": """
            Output formats (`format F` for the session, `--output F` for one command):
              pretty   tables for lists, indented JSON for objects (the default on a terminal)
              table    always a table
              json     JSON (the default off a terminal: pipes and files)
              jsonl    one JSON value per line
              csv      comma-separated values with a header line
              raw      strings without quotes, everything else as compact JSON
            NO_COLOR or --no-color turns colours off; colours are never written to a pipe or file.

            """,
        "errors": """
            A failed command gives an error value; `try { … } catch err { … }` catches it.
            Its fields: status, reason, messageID, message, method, url,
            kind (http, transport, timeout, tls, auth, script) and location.
            Uncaught, it ends a script with exit code 1.

            """,
    ]
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    var markdownCell: String { replacingOccurrences(of: "|", with: "\\|") }
}

