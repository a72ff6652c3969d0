import ATSLanguage
import ATSShell
import Foundation

/// What the completion engine knows about the session when Tab is pressed.
public struct CompletionContext: Sendable {
    /// The commands (language built-ins and host commands); names with a space are subcommands.
    public var commands: [CommandSignature]
    /// Variable names without `$`.
    public var variableNames: [String]
    /// Task status names (`inProgress`, …).
    public var statusNames: [String]
    /// Service names of the connected server (asked lazily: only when a position wants them).
    public var serviceNames: @Sendable () -> [String]
    /// Task ids of the last listing, newest listing order.
    public var taskIDs: [Int]
    /// Where file names are completed from (relative paths from its working directory).
    public var files: any FileSystem
    /// What `~/` stands for; nil leaves `~/` as it is.
    public var home: String?
    /// The REPL's meta commands (`:help`, …).
    public var metaCommands: [String]

    public init(
        commands: [CommandSignature] = [], variableNames: [String] = [], statusNames: [String] = [],
        serviceNames: @escaping @Sendable () -> [String] = { [] }, taskIDs: [Int] = [],
        files: any FileSystem = LocalFileSystem(), home: String? = nil, metaCommands: [String] = []
    ) {
        self.commands = commands
        self.variableNames = variableNames
        self.statusNames = statusNames
        self.serviceNames = serviceNames
        self.taskIDs = taskIDs
        self.files = files
        self.home = home
        self.metaCommands = metaCommands
    }
}

/// The answer to one Tab: the candidates replace the text from `wordStart` to the cursor.
public struct Completion: Sendable, Equatable {
    /// The UTF-8 offset, in the text before the cursor, where the completed word begins.
    public var wordStart: Int
    /// Whole replacements for the word, sorted, without duplicates.
    public var candidates: [String]

    public init(wordStart: Int, candidates: [String]) {
        self.wordStart = wordStart
        self.candidates = candidates
    }

    /// The longest prefix shared by every candidate (what one Tab inserts when ambiguous).
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// Whether a unique candidate should be followed by a space (not after a directory, an
    /// `--option=` or a meta command's argument position).
    public var appendsSpace: Bool {
        guard candidates.count == 1, let only = candidates.first else { return false }
        return !(only.hasSuffix("/") || only.hasSuffix("="))
    }
}

/// Completion in pure Swift: the text before the cursor and a `CompletionContext` in,
/// candidates out. The libedit glue only calls `complete`.
public enum CompletionEngine {
    /// Language keywords offered where a command name may start.
    public static let keywords = [
        "break", "catch", "continue", "elif", "else", "exit", "fn", "for", "if", "let", "quiet",
        "return", "source", "try", "while",
    ]
    /// Commands whose first argument is a file (besides parameters hinted `.files`).
    public static let fileCommands: Set<String> = ["source", "record", "template import", "replay"]
    /// Commands whose first argument is a service name (besides parameters hinted `.services`).
    public static let serviceCommands: Set<String> = ["submit", "service"]
    /// Commands whose first argument is a task id (besides parameters hinted `.taskIDs`);
    /// `stop` and `archive` take several.
    public static let taskCommands: Set<String> = [
        "task", "steps", "log", "actions", "stop", "respond", "retry", "resubmit", "archive", "note",
        "todo", "wait", "history delete",
    ]
    /// Output formats offered for options hinted `.formats`.
    public static let formats = OutputFormat.allCases.map(\.rawValue)

    /// The characters that end a word for completion (also given to libedit).
    public static let wordBreakCharacters = " \t\n;|{}()[],"

    /// The candidates for the word before `cursor` (a UTF-8 offset into `line`, clamped).
    public static func complete(line: String, cursor: Int, context: CompletionContext) -> Completion {
        let bytes = Array(line.utf8)
        let end = min(max(0, cursor), bytes.count)
        return complete(String(decoding: bytes[0..<end], as: UTF8.self), context: context)
    }

    /// The candidates for the word that ends at the end of `beforeCursor`.
    public static func complete(_ beforeCursor: String, context: CompletionContext) -> Completion {
        guard let segment = currentSegment(beforeCursor) else {
            return Completion(wordStart: beforeCursor.utf8.count, candidates: [])
        }
        let words = splitWords(segment.text)
        let partial = words.partial
        let wordStart = beforeCursor.utf8.count - partial.utf8.count
        func answer(_ all: [String]) -> Completion {
            let matching = Set(all.filter { $0.hasPrefix(partial) && !$0.isEmpty })
            return Completion(wordStart: wordStart, candidates: matching.sorted())
        }

        // `:help`, `:save FILE`, … at the start of the input.
        if segment.isLineStart, words.complete.isEmpty, partial.hasPrefix(":") {
            return answer(context.metaCommands)
        }
        if segment.isLineStart, words.complete.first == ":save" {
            return fileCompletion(partial, wordStart: wordStart, context: context)
        }
        // `$name`, but not a member path (`$t.na`).
        if partial.hasPrefix("$") {
            if partial.dropFirst().contains(where: { $0 == "." || $0 == "[" }) {
                return Completion(wordStart: wordStart, candidates: [])
            }
            return answer(["env", "args"].map { "$" + $0 } + context.variableNames.map { "$" + $0 })
        }
        // The command name.
        guard let commandWord = words.complete.first else {
            let names = context.commands.map { String($0.name.split(separator: " ").first ?? "") }
            return answer(names + keywords)
        }
        let arguments = Array(words.complete.dropFirst())
        let signature = resolve(commandWord, arguments: arguments, in: context.commands)
        let commandName = signature?.name ?? commandWord
        let positional = positionalArguments(arguments, signature: signature)

        // `--opt=va`: the value of an option written with `=`.
        if partial.hasPrefix("--"), let equals = partial.firstIndex(of: "=") {
            let name = String(partial[partial.index(partial.startIndex, offsetBy: 2)..<equals])
            let head = String(partial[...equals])
            let values = optionValues(name, signature: signature, partial: String(partial[partial.index(after: equals)...]), context: context)
            let full = values.candidates.map { head + $0 }
            return Completion(wordStart: wordStart, candidates: full.sorted())
        }
        // `--st`: the options of the command.
        if partial.hasPrefix("-") {
            let options = (signature?.options ?? []).map { "--" + $0.name }
            return answer(options)
        }
        // The value after `--opt`.
        if let previous = arguments.last, previous.hasPrefix("--"), !previous.contains("=") {
            let name = String(previous.dropFirst(2))
            let spec = signature?.option(name)
            let takesValue: Bool
            switch spec?.kind {
            case .flag: takesValue = false
            case .value, .repeated: takesValue = true
            case nil: takesValue = ["status", "until", "while", "output"].contains(name)
            }
            if takesValue {
                let values = optionValues(name, signature: signature, partial: partial, context: context)
                return Completion(wordStart: wordStart, candidates: values.candidates)
            }
        }
        // A positional argument.
        let index = positional.count - subcommandWords(signature)
        let hint = parameterHint(signature, index: index, commandName: commandName)
        return values(for: hint, partial: partial, wordStart: wordStart, context: context)
    }

    // MARK: - Values by hint

    private static func optionValues(
        _ name: String, signature: CommandSignature?, partial: String, context: CompletionContext
    ) -> Completion {
        var hint = signature?.option(name)?.completion ?? .none
        if hint == .none, ["status", "until", "while"].contains(name) { hint = .statuses }
        if hint == .none, name == "output" || name == "format" { hint = .formats }
        return values(for: hint, partial: partial, wordStart: 0, context: context)
    }

    private static func values(
        for hint: CompletionHint, partial: String, wordStart: Int, context: CompletionContext
    ) -> Completion {
        let all: [String]
        switch hint {
        case .none: all = []
        case .statuses:
            // `--status failed,inP` completes the last item of a comma list.
            if let comma = partial.lastIndex(of: ",") {
                let head = String(partial[...comma])
                all = context.statusNames.map { head + $0 }
            } else {
                all = context.statusNames
            }
        case .services:
            // `submit Ba` and `submit "Ba` both find "Backup Database" (inserted quoted).
            let typed = partial.hasPrefix("\"") ? String(partial.dropFirst()) : partial
            let names = context.serviceNames().filter { $0.hasPrefix(typed) }.map(quoteIfNeeded)
            return Completion(wordStart: wordStart, candidates: Set(names).sorted())
        case .taskIDs: all = context.taskIDs.map(String.init)
        case .files: return fileCompletion(partial, wordStart: wordStart, context: context)
        case .commands: all = context.commands.map { String($0.name.split(separator: " ").first ?? "") }
        case .formats: all = formats
        case .choices(let choices): all = choices
        }
        let matching = Set(all.filter { $0.hasPrefix(partial) && !$0.isEmpty })
        return Completion(wordStart: wordStart, candidates: matching.sorted())
    }

    /// A value with spaces or quotes becomes a double-quoted string.
    static func quoteIfNeeded(_ value: String) -> String {
        let plain = value.allSatisfy { !$0.isWhitespace && !"\"'$#;|(){}[],\\".contains($0) }
        if plain, !value.isEmpty { return value }
        var escaped = "\""
        for ch in value {
            switch ch {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "$": escaped += "\\$"
            default: escaped.append(ch)
            }
        }
        return escaped + "\""
    }

    /// Paths below the directory part of `partial`; directories end with `/`; dot files only
    /// when the typed name starts with a dot.
    private static func fileCompletion(_ partial: String, wordStart: Int, context: CompletionContext) -> Completion {
        var typed = partial
        if typed.hasPrefix("\"") || typed.hasPrefix("'") { typed.removeFirst() }
        let directoryPart: String
        let namePrefix: String
        if let slash = typed.lastIndex(of: "/") {
            directoryPart = String(typed[...slash])
            namePrefix = String(typed[typed.index(after: slash)...])
        } else {
            directoryPart = ""
            namePrefix = typed
        }
        var directory = directoryPart
        if directory.hasPrefix("~/"), let home = context.home {
            directory = home + directory.dropFirst()
        }
        guard let names = context.files.entries(directory) else {
            return Completion(wordStart: wordStart, candidates: [])
        }
        var candidates: [String] = []
        for name in names where name.hasPrefix(namePrefix) {
            if name.hasPrefix("."), !namePrefix.hasPrefix(".") { continue }
            let path = directoryPart + name
            candidates.append(path.contains(where: { $0 == " " || $0 == "\"" }) ? quoteIfNeeded(path) : path)
        }
        return Completion(wordStart: wordStart, candidates: candidates.sorted())
    }

    // MARK: - Reading the line

    /// The part of the statement the cursor is in: after the last unquoted `;`, `|`, `{`, `}`,
    /// `(` or newline; nil inside a comment.
    static func currentSegment(_ text: String) -> (text: Substring, isLineStart: Bool)? {
        var start = text.startIndex
        var quote: Character? = nil
        var escaped = false
        var sawBoundary = false
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            let next = text.index(after: index)
            if escaped {
                escaped = false
            } else if let q = quote {
                if ch == "\\" && q == "\"" { escaped = true } else if ch == q { quote = nil }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "#" {
                // A comment runs to the end of its line.
                guard let newline = text[index...].firstIndex(of: "\n") else { return nil }
                start = text.index(after: newline)
                sawBoundary = true
                index = start
                continue
            } else if ";|{}(\n".contains(ch) {
                start = next
                sawBoundary = true
            }
            index = next
        }
        return (text[start...], !sawBoundary)
    }

    /// Whitespace-separated words (quotes kept), and the unfinished last word.
    static func splitWords(_ text: Substring) -> (complete: [String], partial: String) {
        var words: [String] = []
        var current = ""
        var quote: Character? = nil
        var escaped = false
        for ch in text {
            if escaped {
                current.append(ch)
                escaped = false
            } else if let q = quote {
                current.append(ch)
                if ch == "\\" && q == "\"" { escaped = true } else if ch == q { quote = nil }
            } else if ch == "\"" || ch == "'" {
                quote = ch
                current.append(ch)
            } else if ch.isWhitespace {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        return (words, current)
    }

    /// The signature for `command`: a subcommand (`service release`) when its second word was typed.
    static func resolve(_ command: String, arguments: [String], in commands: [CommandSignature]) -> CommandSignature? {
        if let first = arguments.first, let sub = commands.first(where: { $0.name == command + " " + first }) {
            return sub
        }
        return commands.first { $0.name == command }
    }

    /// Words of the signature's name after the command word (1 for `service release`).
    private static func subcommandWords(_ signature: CommandSignature?) -> Int {
        guard let signature else { return 0 }
        return signature.name.split(separator: " ").count - 1
    }

    /// The arguments that are not options or option values.
    private static func positionalArguments(_ arguments: [String], signature: CommandSignature?) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument.hasPrefix("--") {
                if argument.contains("=") { continue }
                switch signature?.option(String(argument.dropFirst(2)))?.kind {
                case .value, .repeated: skipNext = true
                case .flag, nil: break
                }
                continue
            }
            result.append(argument)
        }
        return result
    }

    /// The completion hint of the positional parameter at `index`, with the shell's defaults for
    /// commands that take files or services.
    private static func parameterHint(_ signature: CommandSignature?, index: Int, commandName: String) -> CompletionHint {
        if let parameters = signature?.parameters, !parameters.isEmpty, index >= 0 {
            let parameter = index < parameters.count
                ? parameters[index] : (parameters.last?.arity == .variadic ? parameters.last : nil)
            if let parameter, parameter.completion != .none { return parameter.completion }
        }
        if index == 0, fileCommands.contains(commandName) { return .files }
        if index == 0, serviceCommands.contains(commandName) { return .services }
        if taskCommands.contains(commandName),
            index == 0 || commandName == "stop" || commandName == "archive" || commandName == "history delete"
        {
            return .taskIDs
        }
        return .none
    }
}
