import CLibEdit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines on a terminal through libedit's readline-compatible API: Emacs keys, Up/Down
/// history, Ctrl-R incremental search (`em-inc-search-prev`), Tab completion through
/// `CompletionEngine`.
///
/// libedit keeps its state in C globals, so only one `EditLineReader` may exist in a process,
/// used from one thread (the main thread). Its completion callback is a `@convention(c)`
/// function that cannot capture context; it reaches the completer through `CompletionBox`, a
/// global, lock-protected box that `init` fills and `deinit` clears.
public final class EditLineReader: LineReader {
    /// Computes the candidates for the text before the cursor.
    public typealias Completer = @Sendable (String) -> Completion

    /// Where prompts and the line being edited are shown: standard output when it is a
    /// terminal, else standard error (`ats > out.txt`: the prompts stay visible).
    private let terminalFileDescriptor: Int32

    /// Sets up libedit: locale (for non-ASCII input), key bindings, completion, history size.
    /// `outputIsTerminal` says whether standard output is a terminal (the world knows).
    public init(historyLimit: Int = 10_000, outputIsTerminal: Bool, completer: @escaping Completer) {
        terminalFileDescriptor = outputIsTerminal ? 1 : 2
        EditLineReader.setUpLocale()
        CompletionBox.shared.set(completer)
        ats_rl_set_readline_name("ats")
        if !outputIsTerminal { ats_rl_use_stderr_for_output() }
        _ = rl_initialize()
        using_history()
        stifle_history(Int32(clamping: historyLimit))
        ats_rl_set_completion(completionCallback)
        ats_rl_set_word_break_characters(EditLineReader.wordBreaks)
        ats_rl_set_completion_query_items(200)
        _ = "bind ^R em-inc-search-prev".withCString { rl_parse_and_bind(UnsafeMutablePointer(mutating: $0)) }
        Interruption.shared.install()
    }

    deinit {
        ats_rl_set_completion(nil)
        CompletionBox.shared.set(nil)
    }

    public func readLine(prompt: String) -> LineInput {
        _ = Interruption.shared.takePending()
        fflush(nil)
        errno = 0
        guard let raw = readline(prompt) else {
            // End the prompt's line on the terminal (standard error when output is redirected).
            // libedit keeps the read's errno: EINTR is Ctrl-C, even before the handler counted it.
            let terminal = terminalFileDescriptor
            if Interruption.shared.takePending(readInterrupted: errno == EINTR) {
                writeAll(terminal, "\n")
                return .interrupted
            }
            writeAll(terminal, "\n")
            return .endOfInput
        }
        defer { free(raw) }
        if Interruption.shared.takePending() {
            // Ctrl-C arrived just as the line was finished: treat it as cancelling the line.
            return .interrupted
        }
        return .line(String(cString: raw))
    }

    public func addHistory(_ statement: String) {
        _ = add_history(statement)
    }

    /// libedit drops non-ASCII input unless LC_CTYPE names a UTF-8 locale: use the user's
    /// locale when it is one, else `C.UTF-8`. Only LC_CTYPE is set, so number formatting and
    /// parsing elsewhere stay in the C locale.
    static func setUpLocale() {
        if let set = setlocale(LC_CTYPE, ""), isUTF8(String(cString: set)) { return }
        if setlocale(LC_CTYPE, "C.UTF-8") == nil {
            _ = setlocale(LC_CTYPE, "en_US.UTF-8")
        }
    }

    private static func isUTF8(_ locale: String) -> Bool {
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }

    /// A C string that lives as long as the process (libedit keeps the pointer).
    nonisolated(unsafe) private static let wordBreaks: UnsafeMutablePointer<CChar> = strdup(CompletionEngine.wordBreakCharacters)!
}

/// The completer the C callback calls; set by `EditLineReader`.
final class CompletionBox: @unchecked Sendable {
    static let shared = CompletionBox()
    private let lock = NSLock()
    private var completer: EditLineReader.Completer?

    func set(_ completer: EditLineReader.Completer?) {
        lock.lock()
        self.completer = completer
        lock.unlock()
    }

    func get() -> EditLineReader.Completer? {
        lock.lock()
        defer { lock.unlock() }
        return completer
    }
}

/// libedit's `rl_attempted_completion_function`: returns a malloc'ed, NULL-terminated array
/// whose first element replaces `text` and whose others are the candidates to list.
private let completionCallback: @convention(c) (
    UnsafePointer<CChar>?, Int32, Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, _ in
    ats_rl_set_attempted_completion_over(1)
    guard let completer = CompletionBox.shared.get(), let lineBuffer = ats_rl_line_buffer() else { return nil }
    let lineBytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(lineBuffer).assumingMemoryBound(to: UInt8.self), count: strlen(lineBuffer)))
    let point = min(max(0, Int(ats_rl_point())), lineBytes.count)
    let before = String(decoding: lineBytes[0..<point], as: UTF8.self)
    let libeditWord = text.map { String(cString: $0) } ?? ""
    let completion = completer(before)
    guard !completion.candidates.isEmpty else { return nil }

    // libedit replaces its own word (`text`); the engine's word may start earlier or later.
    let engineWord = String(decoding: Array(before.utf8).suffix(max(0, before.utf8.count - completion.wordStart)), as: UTF8.self)
    func adapt(_ candidate: String) -> String {
        if engineWord.count > libeditWord.count, engineWord.hasSuffix(libeditWord) {
            let extra = engineWord.dropLast(libeditWord.count)
            return candidate.hasPrefix(extra) ? String(candidate.dropFirst(extra.count)) : candidate
        }
        if libeditWord.count > engineWord.count, libeditWord.hasSuffix(engineWord) {
            return String(libeditWord.dropLast(engineWord.count)) + candidate
        }
        return candidate
    }
    let candidates = completion.candidates.map(adapt)
    ats_rl_set_append_character(completion.appendsSpace ? 32 : 0)
    let count = candidates.count == 1 ? 2 : candidates.count + 2
    guard let array = calloc(count, MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)?
        .assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
    else { return nil }
    if candidates.count == 1 {
        array[0] = strdup(candidates[0])
    } else {
        array[0] = strdup(adapt(completion.commonPrefix))
        for (i, candidate) in candidates.enumerated() { array[i + 1] = strdup(candidate) }
    }
    return array
}
