import ATSJSON
import ATSLanguage

/// The shell's `OutputSink`: prints the values of statements whose value is unused (spec
/// §1.6) by the rules of §5, and the text of `echo` and of warnings.
///
/// - Format: the `format` override (`--output`, `format …`) if set; otherwise `pretty` on a
///   terminal and `json` off one.
/// - Text rendered by an output stage (`tasks | csv`) is printed verbatim in every format
///   (see `OutputStages`).
/// - `null` prints nothing.
///
/// Thread-safe: each `emit`/`write`/`writeError` writes its whole text under one lock and
/// flushes, so `each --parallel` never interleaves parts of lines, and standard output is
/// flushed before anything is written to standard error.
public final class ShellOutput: OutputSink, @unchecked Sendable {
    /// Where standard output goes.
    public let stdout: TextStream
    /// Where standard error goes.
    public let stderr: TextStream
    /// Terminal, colour and width (the width as detected at the start; see `width`).
    public let terminal: TerminalInfo
    /// Reads the terminal's width again (it may be resized during a session).
    private let measureWidth: (@Sendable () -> Int?)?

    private let lock = OutputLock()
    private var formatOverride: OutputFormat?
    private var quietFlag = false
    private var renderedTexts: [RenderedText] = []
    /// What was done, by job `instanceID` (for the one-line form of a job); recent ones only.
    private var jobLabels: [String: String] = [:]
    static let jobLabelMemory = 4096
    /// How many recent output-stage results are remembered for verbatim printing.
    static let renderedTextMemory = 16

    /// An output over `stdout` and `stderr` with the facts in `terminal` and an optional
    /// format override. `measureWidth`, when given, is asked for the current width before
    /// each table (a resized terminal); `nil` from it means "keep `terminal.width`".
    public init(
        stdout: TextStream, stderr: TextStream, terminal: TerminalInfo, format: OutputFormat? = nil,
        measureWidth: (@Sendable () -> Int?)? = nil
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.terminal = terminal
        self.measureWidth = measureWidth
        self.formatOverride = format
    }

    /// The same, with the terminal facts given one by one.
    public convenience init(
        stdout: TextStream, stderr: TextStream, isTerminal: Bool, color: Bool, width: Int,
        format: OutputFormat? = nil
    ) {
        self.init(
            stdout: stdout, stderr: stderr, terminal: TerminalInfo(isTerminal: isTerminal, color: color, width: width),
            format: format)
    }

    /// The override set by `--output` or `format`; `nil` for the default rules.
    public var format: OutputFormat? {
        get { lock.withLock { formatOverride } }
        set { lock.withLock { formatOverride = newValue } }
    }

    /// `--quiet`: statement values are not printed (`write` and `writeError` still are).
    public var quiet: Bool {
        get { lock.withLock { quietFlag } }
        set { lock.withLock { quietFlag = newValue } }
    }

    /// The format used now: the override, or `pretty` on a terminal and `json` off one.
    public var effectiveFormat: OutputFormat {
        format ?? (terminal.isTerminal ? .pretty : .json)
    }

    /// Standard output is a terminal.
    public var isTerminal: Bool { terminal.isTerminal }
    /// Colour is on.
    public var color: Bool { terminal.color }
    /// Columns of the terminal now (or `COLUMNS`, or 80).
    public var width: Int {
        guard let measured = measureWidth?(), measured > 0 else { return terminal.width }
        return max(measured, TerminalInfo.minimumWidth)
    }

    /// The renderer for this output: its colour; tables fitted to the width on a terminal.
    public var renderer: ValueRenderer {
        var r = ValueRenderer(color: terminal.color, width: terminal.isTerminal ? width : nil)
        r.jobLabels = lock.withLock { jobLabels }
        return r
    }

    /// Remembers what the job `instanceID` did (`forceStop`), for its one-line form.
    func label(job instanceID: String, _ action: String) {
        lock.withLock {
            if jobLabels.count >= Self.jobLabelMemory { jobLabels.removeAll() }
            jobLabels[instanceID] = action
        }
    }

    /// The text `value` would print as, in `format` (or the effective format), with this
    /// output's colour and width. Output-stage text is returned as it would be shown.
    public func render(_ value: Value, format: OutputFormat? = nil) -> String {
        if case .string(let text) = value, let shown = lock.withLock({ rendered(text) }) { return shown }
        return renderer.render(value, format: format ?? effectiveFormat)
    }

    /// The text `value` prints as in `format`, given the colour and the table width (`nil`:
    /// tables are not fitted). For callers without a `ShellOutput`.
    public static func render(_ value: Value, format: OutputFormat, color: Bool = false, width: Int? = nil) -> String {
        ValueRenderer(color: color, width: width).render(value, format: format)
    }

    // MARK: - OutputSink

    public func emit(_ value: Value) {
        if case .null = value { return }
        if quiet { return }
        if effectiveFormat == .json, value.isListOrObject {
            streamJSON(value)
            return
        }
        let text = render(value)
        guard !text.isEmpty else { return }
        lock.withLock {
            stdout.write(text)
            stdout.flush()
        }
    }

    /// Writes a list or object as the `json` format prints it, in pieces of 64 KiB: the
    /// text of a large document is never in memory whole (nor twice, as bytes and as a
    /// `String`). The same text as `render(value)`.
    private func streamJSON(_ value: Value) {
        let writer = JSONWriter(indent: 2, colors: terminal.color ? JSONColors.jq : nil)
        let json = value.toJSON()
        lock.withLock {
            var pending: [UInt8] = []
            writer.write(json) { chunk in
                pending.append(contentsOf: chunk)
                let cut = Self.wholeUTF8Prefix(pending)
                stdout.write(String(decoding: pending[..<cut], as: UTF8.self))
                pending.removeFirst(cut)
            }
            stdout.write(String(decoding: pending, as: UTF8.self) + "\n")
            stdout.flush()
        }
    }

    /// How many leading bytes of `bytes` end on a character boundary (a piece of JSON text
    /// may end inside a multi-byte character; the rest waits for the next piece).
    public static func wholeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var i = bytes.count
        while i > 0, bytes.count - i < 4 {
            i -= 1
            let b = bytes[i]
            if b & 0xC0 == 0x80 { continue }  // a continuation byte
            let length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            return bytes.count - i >= length ? bytes.count : i
        }
        return bytes.count
    }

    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        lock.withLock {
            stdout.write(text)
            stdout.flush()
        }
    }

    public func writeError(_ text: String) {
        guard !text.isEmpty else { return }
        lock.withLock {
            stdout.flush()
            stderr.write(text)
            stderr.flush()
        }
    }

    /// Writes out anything still buffered.
    public func flush() {
        lock.withLock {
            stdout.flush()
            stderr.flush()
        }
    }

    // MARK: - Rendered text of output stages

    /// Remembers `plain` (the value an output stage returns) with the text to show for it
    /// when it is emitted (`display`, e.g. with colour; `nil` means `plain` itself).
    func remember(plain: String, display: String?) {
        lock.withLock {
            renderedTexts.removeAll { $0.plain == plain }
            renderedTexts.append(RenderedText(plain: plain, display: display))
            if renderedTexts.count > Self.renderedTextMemory { renderedTexts.removeFirst() }
        }
    }

    /// The text to show for remembered stage output `text`; called with the lock held.
    private func rendered(_ text: String) -> String? {
        guard let entry = renderedTexts.last(where: { $0.plain == text }) else { return nil }
        return entry.display ?? entry.plain
    }
}

/// The result of an output stage and what to show when it is printed.
private struct RenderedText {
    var plain: String
    var display: String?
}

extension Value {
    /// A list or an object (what the JSON formats print over several lines).
    fileprivate var isListOrObject: Bool {
        switch self {
        case .list, .object: return true
        default: return false
        }
    }
}
