// The syntax tree: value types, each node with its source range. Equality ignores ranges,
// so two parses of differently formatted text compare equal (the formatter's round trip).

/// An expression with its range.
public struct Expr: Sendable, Equatable {
    public var kind: ExprKind
    public var range: SourceRange
    public init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
    public static func == (a: Expr, b: Expr) -> Bool { a.kind == b.kind }
}

/// Binary operators, loosest first in `precedence`.
public enum BinaryOp: String, Sendable, Equatable {
    case or, and
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", match = "=~", `in`
    case coalesce = "??"
    case range = ".."
    case add = "+", sub = "-"
    case mul = "*", div = "/", mod = "%"

    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .eq, .ne, .lt, .le, .gt, .ge, .match, .in: return 4
        case .coalesce: return 5
        case .range: return 6
        case .add, .sub: return 7
        case .mul, .div, .mod: return 8
        }
    }
}

/// Prefix operators.
public enum UnaryOp: String, Sendable, Equatable { case neg = "-", not }

/// Assignment operators.
public enum AssignOp: String, Sendable, Equatable { case set = "=", add = "+=", sub = "-=", mul = "*=", div = "/=" }

/// A piece of a double-quoted string.
public enum StringPart: Sendable, Equatable {
    case text(String)
    /// `$name.path` or `${name.path}`.
    case path(Expr)
    /// `$( … )`.
    case sub(Pipeline)
}

/// `key: value` in an object literal (`key` may have been quoted).
public struct ObjectEntry: Sendable, Equatable {
    public var key: String
    public var value: Expr
}

/// `name: value` in a call.
public struct NamedArgument: Sendable, Equatable {
    public var name: String
    public var value: Expr
}

/// Expression forms.
public indirect enum ExprKind: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    /// Milliseconds.
    case duration(Int64)
    case string([StringPart])
    case rawString(String)
    /// A bare word in a command's arguments (a string).
    case word(String)
    /// `$name`.
    case variable(String)
    /// `.field` at the start of a path: the current pipeline item's member.
    case itemMember(String)
    case list([Expr])
    case object([ObjectEntry])
    case member(Expr, String)
    case index(Expr, Expr)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `name(a, b, key: v)`.
    case call(name: String, arguments: [Expr], named: [NamedArgument])
    /// `( pipeline )`.
    case group(Pipeline)
    /// `$( pipeline )`.
    case substitution(Pipeline)
}

/// One argument of a command in shell form.
public enum Argument: Sendable, Equatable {
    case positional(Expr)
    /// `--name`, `--name value` or `--name=value`.
    case option(name: String, value: Expr?, equals: Bool, range: SourceRange)
    case block(Block)

    public static func == (a: Argument, b: Argument) -> Bool {
        switch (a, b) {
        case (.positional(let x), .positional(let y)): return x == y
        case (.option(let n1, let v1, _, _), .option(let n2, let v2, _, _)): return n1 == n2 && v1 == v2
        case (.block(let x), .block(let y)): return x == y
        case (.positional, _), (.option, _), (.block, _): return false
        }
    }
}

/// `NAME ARG…`.
public struct Command: Sendable, Equatable {
    public var name: String
    public var nameRange: SourceRange
    public var arguments: [Argument]
    public var range: SourceRange
    public static func == (a: Command, b: Command) -> Bool { a.name == b.name && a.arguments == b.arguments }
}

/// What starts a pipeline.
public enum PipelineHead: Sendable, Equatable {
    case command(Command)
    case expression(Expr)
}

/// `A | B | C`.
public struct Pipeline: Sendable, Equatable {
    public var head: PipelineHead
    public var stages: [Command]
    public var range: SourceRange
    public static func == (a: Pipeline, b: Pipeline) -> Bool { a.head == b.head && a.stages == b.stages }
}

/// `{ statements }`.
public struct Block: Sendable, Equatable {
    public var statements: [Stmt]
    public var range: SourceRange
    public static func == (a: Block, b: Block) -> Bool { a.statements == b.statements }
}

/// `if`/`elif` condition and body.
public struct ConditionalBlock: Sendable, Equatable {
    public var condition: Expr
    public var body: Block
}

/// A function parameter.
public struct Parameter: Sendable, Equatable {
    public var name: String
    public var range: SourceRange
    public static func == (a: Parameter, b: Parameter) -> Bool { a.name == b.name }
}

/// A statement with its range.
public struct Stmt: Sendable, Equatable {
    public var kind: StmtKind
    public var range: SourceRange
    public static func == (a: Stmt, b: Stmt) -> Bool { a.kind == b.kind }
}

/// Statement forms.
public indirect enum StmtKind: Sendable, Equatable {
    case pipeline(Pipeline)
    case letBinding(name: String, value: Pipeline)
    case assignment(target: Expr, op: AssignOp, value: Pipeline)
    case ifChain([ConditionalBlock], otherwise: Block?)
    case forLoop(variable: String, sequence: Expr, body: Block)
    case whileLoop(condition: Expr, body: Block)
    case function(name: String, parameters: [Parameter], body: Block)
    case tryCatch(body: Block, errorName: String?, handler: Block)
    case returnValue(Pipeline?)
    case breakLoop
    case continueLoop
    case quiet(Block)
}

/// A parsed file.
public struct Program: Sendable, Equatable {
    public var statements: [Stmt]
}
