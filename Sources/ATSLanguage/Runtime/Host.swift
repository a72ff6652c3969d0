import ATSJSON

// The contract between the language and whatever provides its commands (the shell glue).
// The interpreter is synchronous and runs on a thread of its own; a host command may block
// on I/O (an HTTP request) and must watch `CommandContext.interrupt` to stop early.

/// How a command's option is written.
public enum OptionKind: Sendable, Hashable {
    /// `--force`: present or not.
    case flag
    /// `--status failed`, `--status=failed`.
    case value(name: String)
    /// `--param k=v --param k2=v2`: may be given several times; the command gets a list.
    case repeated(name: String)
}

/// What the REPL may offer when completing a value.
public enum CompletionHint: Sendable, Hashable {
    case none, statuses, services, taskIDs, files, commands, formats, choices([String])
}

/// One `--option` of a command.
public struct OptionSpec: Sendable, Hashable {
    public var name: String
    public var kind: OptionKind
    public var help: String
    public var completion: CompletionHint

    public init(_ name: String, _ kind: OptionKind = .flag, help: String, completion: CompletionHint = .none) {
        self.name = name
        self.kind = kind
        self.help = help
        self.completion = completion
    }
}

/// One positional parameter of a command.
public struct ParameterSpec: Sendable, Hashable {
    public enum Arity: Sendable, Hashable { case required, optional, variadic }
    public var name: String
    public var arity: Arity
    public var help: String
    public var completion: CompletionHint

    public init(_ name: String, _ arity: Arity = .required, help: String, completion: CompletionHint = .none) {
        self.name = name
        self.arity = arity
        self.help = help
        self.completion = completion
    }
}

/// The declared shape of a command: what `help` shows, what the parser and checker use to
/// tell switches from valued options, and what completion offers. A name with a space
/// (`"history delete"`, `"service release"`) declares a subcommand: the binder picks it when
/// the command's first argument is that bare word.
public struct CommandSignature: Sendable, Hashable {
    public var name: String
    public var summary: String
    public var parameters: [ParameterSpec]
    public var options: [OptionSpec]
    public var examples: [String]
    /// A pipeline stage that consumes the previous stage's value as its input.
    public var takesInput: Bool
    /// Changes state on the server (dry-run prints instead of sending; confirmation rules).
    public var isDestructive: Bool

    public init(
        _ name: String, summary: String, parameters: [ParameterSpec] = [], options: [OptionSpec] = [],
        examples: [String] = [], takesInput: Bool = false, isDestructive: Bool = false
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.options = options
        self.examples = examples
        self.takesInput = takesInput
        self.isDestructive = isDestructive
    }

    /// The option named `name`, if declared.
    public func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }
}

/// One invocation of a host command, bound against its signature.
public struct CommandCall: Sendable {
    /// The signature that matched (for a subcommand, e.g. `"history delete"`).
    public var signature: CommandSignature
    /// Positional arguments, in order (a variadic parameter's values are flattened here).
    public var arguments: [Value]
    /// Options by name: a flag is `.bool(true)`, a valued option its value, a repeated
    /// option a `.list` of the values given.
    public var options: [String: Value]
    /// The previous pipeline stage's value, for commands with `takesInput`.
    public var input: Value?
    /// The command as the user typed it (for error messages: `stop 5381 --force`).
    public var text: String
    /// Where it was typed.
    public var location: SourceLocation?

    public init(
        signature: CommandSignature, arguments: [Value] = [], options: [String: Value] = [:],
        input: Value? = nil, text: String = "", location: SourceLocation? = nil
    ) {
        self.signature = signature
        self.arguments = arguments
        self.options = options
        self.input = input
        self.text = text
        self.location = location
    }

    /// True when the flag `name` was given.
    public func flag(_ name: String) -> Bool {
        if case .bool(true)? = options[name] { return true }
        return false
    }
}

/// A file name with a line and column (1-based), as shown in messages: `cleanup.ats:12:5`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The statement's bytes in the source named `file`, when known: the renderer shows
    /// that source line with a caret under them.
    public var range: SourceRange?

    public init(file: String, line: Int, column: Int, range: SourceRange? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.range = range
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Set from a signal handler or another thread; checked by loops and by host commands.
public final class InterruptFlag: @unchecked Sendable {
    private let storage = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    public init() { storage.initialize(to: 0) }
    deinit { storage.deallocate() }
    /// True once `raise()` was called, until `reset()`.
    public var isRaised: Bool { atomicLoad() != 0 }
    public func raise() { atomicStore(1) }
    public func reset() { atomicStore(0) }
    private func atomicLoad() -> Int { withExtendedLifetime(self) { storage.pointee } }
    private func atomicStore(_ v: Int) { storage.pointee = v }
}

/// Where the interpreter sends what statements print. The shell formats values for a
/// terminal or a pipe; tests collect them.
public protocol OutputSink: AnyObject, Sendable {
    /// A statement's unused value (§1.6 of the spec). `null` is passed too; sinks decide.
    func emit(_ value: Value)
    /// Text from `echo` and friends, with its newline.
    func write(_ text: String)
    /// Text for standard error (warnings, progress), with its newline.
    func writeError(_ text: String)
}

/// What a host command gets besides its arguments.
public struct CommandContext: Sendable {
    public var output: OutputSink
    public var interrupt: InterruptFlag
    /// True when a person is at a terminal (confirmations, progress lines).
    public var isInteractive: Bool

    public init(output: OutputSink, interrupt: InterruptFlag, isInteractive: Bool) {
        self.output = output
        self.interrupt = interrupt
        self.isInteractive = isInteractive
    }
}

/// Provides the commands beyond the language's own (the API commands of the shell).
public protocol Host: AnyObject, Sendable {
    /// The commands this host provides.
    var signatures: [CommandSignature] { get }
    /// Runs one command on the interpreter's thread; may block. A failure is returned as a
    /// thrown `ErrorValue`, which scripts can catch (`try … catch err`).
    func run(_ call: CommandCall, context: CommandContext) throws(ErrorValue) -> Value
}
