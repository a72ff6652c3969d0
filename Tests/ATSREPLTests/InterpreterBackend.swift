import ATSJSON
import ATSLanguage
import Foundation

@testable import ATSREPL

/// Collects what statements print, for assertions.
final class CollectingSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    var output: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }

    func emit(_ value: Value) {
        if case .null = value { return }
        append(JSONWriter.compact.string(value.toJSON()) + "\n")
    }
    func write(_ text: String) { append(text) }
    func writeError(_ text: String) { append(text) }

    func append(_ more: String) {
        lock.lock()
        text += more
        lock.unlock()
    }
}

/// A console that collects the REPL's own text into the same sink as the statements' output.
final class CollectingConsole: REPLConsole {
    let sink: CollectingSink
    init(sink: CollectingSink) { self.sink = sink }
    func write(_ text: String) { sink.append(text) }
    func writeError(_ text: String) { sink.append(text) }
}

/// A REPL backend on the bare language interpreter (no host, no server): the real
/// classification, the real interpreter, errors rendered by the language's renderer.
final class InterpreterBackend: REPLBackend, @unchecked Sendable {
    let interrupt = InterruptFlag()
    let sink = CollectingSink()
    let interpreter: Interpreter

    init() {
        interpreter = Interpreter(host: nil, output: sink, interrupt: interrupt, isInteractive: true)
    }

    var prompt: String { "ats (not connected)> " }
    var usesColor: Bool { false }

    func classify(_ text: String) -> InputStatus {
        switch Language.classify(Source(name: "<repl>", text: text), commands: []) {
        case .complete: .complete
        case .needsMoreInput: .needsMoreInput
        case .failed: .invalid
        }
    }

    func run(_ text: String, sourceName: String) -> StatementOutcome {
        let source = Source(name: sourceName, text: text)
        let interpreter = self.interpreter
        let outcome = Interpreter.onInterpreterThread { interpreter.run(source) }
        switch outcome {
        case .finished: return .succeeded
        case .exited(let code): return .exited(code)
        case .interrupted:
            sink.append("interrupted\n")
            return .interrupted
        case .failed(let error):
            sink.append(DiagnosticRenderer(color: false).render(error, sources: interpreter.sourcesRun) + "\n")
            return .failed(outcome.exitCode)
        case .syntaxError(let diagnostics):
            sink.append(DiagnosticRenderer(color: false).render(diagnostics, in: source) + "\n")
            return .failed(outcome.exitCode)
        }
    }

    var commandSignatures: [CommandSignature] { interpreter.commandSignatures }
    var variableNames: [String] { interpreter.globalNames }
    var statusNames: [String] { [] }
    var lastTaskIDs: [Int] { [] }
    func serviceNames() -> [String] { [] }
}
