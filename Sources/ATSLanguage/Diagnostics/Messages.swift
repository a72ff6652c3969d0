import ATSJSON

// Every message the language shows, in one place (habit 3): diagnostics found before a
// script runs, notes, and errors raised while it runs. Each enum is closed and switched
// over exhaustively.

/// What a diagnostic says.
public enum DiagnosticMessage: Sendable, Hashable {
    case unexpectedCharacter(String)
    case unterminatedString
    case unexpectedEnd(expected: String)
    case unclosed(closer: String, what: String, line: Int, column: Int)
    case expected(String, found: String)
    case expectedExpression(found: String)
    case missingCondition(after: String)
    case invalidEscape(String)
    case numberOutOfRange(String)
    case nestingTooDeep(limit: Int)
    case invalidAssignmentTarget
    case bareNameInExpression(String)
    case optionNeedsValue(option: String, command: String)
    case unknownCommand(String)
    case unknownOption(option: String, command: String)
    case optionOfLaterCommand(option: String, command: String)
    case undefinedVariable(String)
    case tooFewArguments(command: String, expected: Int, got: Int)
    case tooManyArguments(command: String, expected: Int, got: Int)
    case redefinesCommand(String)
    case duplicateFunction(String)
    case duplicateParameter(String)
    case outsideLoop(String)
    case returnOutsideFunction
    case assignmentInParallel(String)
    case notAStage(String)
    case stageWithoutInput(String)
    case needsBlock(String)

    /// The message text.
    public var text: String {
        switch self {
        case .unexpectedCharacter(let c): return "unexpected character `\(c)`"
        case .unterminatedString: return "unterminated string"
        case .unexpectedEnd(let expected): return "unexpected end of input: expected \(expected)"
        case .unclosed(let closer, let what, let line, let column):
            return "expected `\(closer)` to close the \(what) opened at line \(line):\(column)"
        case .expected(let what, let found): return "expected \(what), found \(found)"
        case .expectedExpression(let found): return "expected an expression, found \(found)"
        case .missingCondition(let keyword): return "expected a condition after `\(keyword)`"
        case .invalidEscape(let e): return "invalid escape `\\\(e)` (use \\n \\t \\\" \\\\ or \\$)"
        case .numberOutOfRange(let n): return "number `\(n)` is out of range"
        case .nestingTooDeep(let limit): return "nesting is too deep (more than \(limit) levels)"
        case .invalidAssignmentTarget: return "only a variable, a member or an element can be assigned to"
        case .bareNameInExpression(let n):
            return "`\(n)` in an expression: write a string in quotes, call it as `\(n)()`, or put the command in parentheses"
        case .optionNeedsValue(let option, let command): return "option `--\(option)` of `\(command)` needs a value"
        case .unknownCommand(let n): return "unknown command `\(n)`"
        case .unknownOption(let option, let command): return "unknown option `--\(option)` for `\(command)`"
        case .optionOfLaterCommand(let option, let command):
            return "`\(command)` is only known when the script runs (it may come from `source`), so `--\(option)` cannot be bound: pass its arguments in order"
        case .undefinedVariable(let n): return "undefined variable `$\(n)`"
        case .tooFewArguments(let command, let expected, let got):
            return "`\(command)` needs \(ListPhrase.count(expected, "argument")), got \(got)"
        case .tooManyArguments(let command, let expected, let got):
            return "`\(command)` takes at most \(ListPhrase.count(expected, "argument")), got \(got)"
        case .redefinesCommand(let n): return "`\(n)` is a built-in command; a function cannot redefine it"
        case .duplicateFunction(let n): return "function `\(n)` is already defined in this scope"
        case .duplicateParameter(let n): return "parameter `\(n)` is listed twice"
        case .outsideLoop(let keyword): return "`\(keyword)` outside a loop"
        case .returnOutsideFunction: return "`return` outside a function"
        case .assignmentInParallel(let n):
            return "cannot assign to `$\(n)` inside `each --parallel`: the block runs on several threads at once"
        case .notAStage(let n): return "`\(n)` does not take input from a pipeline"
        case .stageWithoutInput(let n): return "`\(n)` works on the output of a pipeline: write `… | \(n)`"
        case .needsBlock(let n): return "`\(n)` needs a block `{ … }`"
        }
    }

    /// True for the messages that only mean "the input stopped too early".
    public var isIncompleteInput: Bool {
        switch self {
        case .unexpectedEnd, .unterminatedString: return true
        case .unexpectedCharacter, .unclosed, .expected, .expectedExpression, .missingCondition, .invalidEscape, .numberOutOfRange,
            .nestingTooDeep, .invalidAssignmentTarget, .bareNameInExpression, .optionNeedsValue, .unknownCommand,
            .unknownOption, .optionOfLaterCommand, .undefinedVariable, .tooFewArguments, .tooManyArguments, .redefinesCommand,
            .duplicateFunction, .duplicateParameter, .outsideLoop, .returnOutsideFunction, .assignmentInParallel,
            .notAStage, .stageWithoutInput, .needsBlock:
            return false
        }
    }
}

/// What a note says.
public enum NoteMessage: Sendable, Hashable {
    case openedHere(String)
    case definedHere(String)

    public var text: String {
        switch self {
        case .openedHere(let what): return "the \(what) was opened here"
        case .definedHere(let name): return "`\(name)` was defined here"
        }
    }
}

/// Errors raised while a script runs (turned into `ErrorValue`s of kind `script`).
enum RuntimeError: Error, Sendable {
    case typeMismatch(op: String, left: String, right: String)
    case badOperand(op: String, type: String)
    case divisionByZero
    case integerOverflow
    case undefinedVariable(String)
    case notAFunction(String)
    case unknownCommand(String)
    case wrongArgumentCount(name: String, expected: Int, got: Int)
    case recursionTooDeep(limit: Int)
    case assertionFailed(String?)
    case invalidArgument(function: String, detail: String)
    case notIterable(String)
    case badIndex(container: String, index: String)
    case cannotAssign(container: String)
    case invalidRegex(String)
    case fileError(path: String, reason: String)
    case invalidJSON(String)
    case invalidDate(String)
    case invalidNumber(String)
    case assignmentInParallel(String)
    /// `source FILE` of a file that does not parse or check; its diagnostics become the details.
    case sourceHasErrors(Source, [Diagnostic])

    var summary: String {
        switch self {
        case .typeMismatch(let op, let l, let r): return "cannot apply `\(op)` to \(l) and \(r)"
        case .badOperand(let op, let t): return "cannot apply `\(op)` to \(t)"
        case .divisionByZero: return "division by zero"
        case .integerOverflow: return "integer overflow"
        case .undefinedVariable(let n): return "undefined variable `$\(n)`"
        case .notAFunction(let n): return "`\(n)` is not a function"
        case .unknownCommand(let n): return "unknown command `\(n)`"
        case .wrongArgumentCount(let n, let e, let g): return "`\(n)` takes \(ListPhrase.count(e, "argument")), got \(g)"
        case .recursionTooDeep(let limit): return "recursion is too deep (more than \(limit) nested calls)"
        case .assertionFailed(let m): return m.map { "assertion failed: \($0)" } ?? "assertion failed"
        case .invalidArgument(let f, let d): return "\(f): \(d)"
        case .notIterable(let t): return "cannot iterate over \(t)"
        case .badIndex(let c, let i): return "cannot index \(c) with \(i)"
        case .cannotAssign(let c): return "cannot assign a member or element of \(c)"
        case .invalidRegex(let p): return "invalid regular expression `\(p)`"
        case .fileError(let p, let r): return "\(p): \(r)"
        case .invalidJSON(let d): return "invalid JSON: \(d)"
        case .invalidDate(let t): return "cannot read `\(t)` as a date (expected e.g. 2015-08-07T19:00:40.025+0900)"
        case .invalidNumber(let t): return "cannot read `\(t)` as a number"
        case .assignmentInParallel(let n): return "cannot assign to `$\(n)` inside `each --parallel`"
        case .sourceHasErrors(let source, _): return "\(source.name) has errors"
        }
    }

    /// The lines under the summary (the nested diagnostics of `source`, rendered without colour).
    var details: [String] {
        switch self {
        case .sourceHasErrors(let source, let diagnostics):
            return DiagnosticRenderer(color: false).render(diagnostics, in: source).split(separator: "\n").map(String.init)
        case .typeMismatch, .badOperand, .divisionByZero, .integerOverflow, .undefinedVariable, .notAFunction, .unknownCommand,
            .wrongArgumentCount, .recursionTooDeep, .assertionFailed, .invalidArgument, .notIterable, .badIndex, .cannotAssign,
            .invalidRegex, .fileError, .invalidJSON, .invalidDate, .invalidNumber, .assignmentInParallel:
            return []
        }
    }
}
