// The runtime's building blocks: frames of slots, the per-thread execution context, the
// completion of a statement and the unwinding of errors, exits and interrupts.

/// How a statement finished (return/break/continue are values, not exceptions).
enum Completion {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
}

/// What unwinds the interpreter's stack: a catchable error, `exit N`, or Ctrl-C.
enum Unwind: Error {
    case error(ErrorValue)
    case exit(Int32)
    case interrupted
}

typealias Eval = (Frame) throws(Unwind) -> Value
typealias Exec = (Frame) throws(Unwind) -> Completion

/// A source with its line map, shared by the closures compiled from it.
final class SourceInfo: Sendable {
    let source: Source
    let map: LineMap
    init(_ source: Source) {
        self.source = source
        self.map = LineMap(source.text)
    }
}

/// A place in a source, turned into `file:line:col` only when an error needs it.
struct Site: Sendable {
    let info: SourceInfo
    let range: SourceRange
    var location: SourceLocation {
        var l = info.map.location(range.start, file: info.source.name)
        l.range = range
        return l
    }
}

/// What one thread of execution carries: call depth, `quiet` nesting, the interrupt flag.
final class ExecContext: @unchecked Sendable {
    unowned let interpreter: Interpreter
    let interrupt: InterruptFlag
    let parallel: Bool
    var depth: Int
    var quiet: Int

    init(interpreter: Interpreter, interrupt: InterruptFlag, parallel: Bool, depth: Int = 0, quiet: Int = 0) {
        self.interpreter = interpreter
        self.interrupt = interrupt
        self.parallel = parallel
        self.depth = depth
        self.quiet = quiet
    }
}

/// The variables of one function activation (or of the global scope), by slot.
final class Frame: @unchecked Sendable {
    private(set) var slots: UnsafeMutablePointer<Value>
    private(set) var capacity: Int
    let parent: Frame?
    let ctx: ExecContext

    init(size: Int, parent: Frame?, ctx: ExecContext) {
        capacity = max(size, 1)
        slots = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        slots.initialize(repeating: .null, count: capacity)
        self.parent = parent
        self.ctx = ctx
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
    }

    /// Grows the frame (the global frame, as the REPL declares more variables).
    func ensure(_ size: Int) {
        guard size > capacity else { return }
        var newCapacity = capacity
        while newCapacity < size { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: slots, count: capacity)
        (fresh + capacity).initialize(repeating: .null, count: newCapacity - capacity)
        slots.deallocate()
        slots = fresh
        capacity = newCapacity
    }

    @inline(__always) func ancestor(_ depth: Int) -> Frame {
        var f = self
        var d = depth
        while d > 0 {
            f = f.parent.unsafelyUnwrapped
            d -= 1
        }
        return f
    }
}

/// The compiled form of a `fn`.
final class FunctionCode: @unchecked Sendable {
    let name: String
    let parameters: [String]
    var frameSize = 0
    var body: Exec = { _ throws(Unwind) in .normal }
    init(name: String, parameters: [String]) {
        self.name = name
        self.parameters = parameters
    }
}

/// A closure: compiled code plus the frame it was defined in.
final class UserFunction: AnyFunctionBody, @unchecked Sendable {
    let code: FunctionCode
    let environment: Frame
    init(code: FunctionCode, environment: Frame) {
        self.code = code
        self.environment = environment
    }
}
