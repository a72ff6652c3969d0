#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ATSJSON
import Synchronization

// Threads with big stacks: what the interpreter needs from the operating system besides the
// clock and the files, which it is given (see World.swift).

enum System {
    #if canImport(Darwin)
    typealias Thread = pthread_t?
    #else
    typealias Thread = pthread_t
    #endif

    /// Starts `body` on a new thread with a stack of `stackSize` bytes; `nil` when the
    /// system refuses a thread (the caller then runs `body` itself).
    static func startThread(stackSize: Int, _ body: @escaping () -> Void) -> Thread? {
        final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setstacksize(&attr, stackSize)
        defer { pthread_attr_destroy(&attr) }
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let rc = pthread_create(&thread, &attr, { raw in
            #if canImport(Darwin)
            let box = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
            #else
            let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue()
            #endif
            (box as! Box).body()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<AnyObject>.fromOpaque(box).release()
            return nil
        }
        return thread
    }

    /// Waits for a thread started by `startThread`.
    static func join(_ thread: Thread) {
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
    }

    /// Lets a thread started by `startThread` end on its own (nobody joins it).
    static func detach(_ thread: Thread) {
        #if canImport(Darwin)
        pthread_detach(thread!)
        #else
        pthread_detach(thread)
        #endif
    }

    /// Runs `body` on a new thread with a stack of `stackSize` bytes and waits for it.
    static func runOnThread(stackSize: Int, _ body: @escaping () -> Void) {
        guard let thread = startThread(stackSize: stackSize, body) else {
            // No thread: run here (smaller stack, same semantics).
            body()
            return
        }
        join(thread)
    }
}

/// Dates as the API writes them: `2015-08-07T19:00:40.025+0900`, `+09:00`, `Z`, or a bare date.
enum DateText {
    /// The time `text` names: a date, or a date and a time of at least hours and minutes; a
    /// zone (`Z`, `+0900` or `+09:00`) only after a time; no zone means UTC.
    static func parse(_ text: String) -> TimeValue? {
        guard let scan = ISODateScan(text), scan.precision == .day || scan.precision >= .minute,
            scan.decimalSeparator != UInt8(ascii: ","), scan.fieldsInRange(daysOfTheMonth: false), scan.zoneInRange
        else { return nil }
        if case .offset(_, _, _, _, false) = scan.zone { return nil }
        if scan.zone != nil, scan.precision == .day { return nil }
        return TimeValue(millisecondsSinceEpoch: scan.millisecondsSinceEpoch(), utcOffsetSeconds: scan.utcOffsetSeconds ?? 0)
    }
}

extension System {
    /// Runs `body` on `count` threads at once (16 MB stacks) and waits for all.
    static func runThreads(_ count: Int, _ body: @escaping () -> Void) {
        var threads: [Thread] = []
        var inline = 0
        for _ in 0..<count {
            if let thread = startThread(stackSize: 16 << 20, body) {
                threads.append(thread)
            } else {
                inline += 1
            }
        }
        if inline > 0 { body() }
        for thread in threads { join(thread) }
    }
}

/// Shared by the threads of `each --parallel`: the next item, the results, the first error.
final class ParallelState: Sendable {
    private struct Progress {
        var nextIndex = 0
        var results: [Value]
        var errorIndex = Int.max
        var firstError: Unwind?
    }

    private let count: Int
    private let progress: Mutex<Progress>

    init(count: Int) {
        self.count = count
        progress = Mutex(Progress(results: Array(repeating: .null, count: count)))
    }

    var results: [Value] { progress.withLock { $0.results } }
    var firstError: Unwind? { progress.withLock { $0.firstError } }

    func next() -> Int? {
        progress.withLock { p in
            guard p.nextIndex < count, p.firstError == nil else { return nil }
            p.nextIndex += 1
            return p.nextIndex - 1
        }
    }

    func set(_ i: Int, _ v: Value) {
        progress.withLock { $0.results[i] = v }
    }

    func fail(_ i: Int, _ e: Unwind) {
        progress.withLock { p in
            if i < p.errorIndex {
                p.errorIndex = i
                p.firstError = e
            }
        }
    }
}

/// Compiled regular expressions of `=~`, by pattern: a loop matching the same pattern compiles
/// it once. Bounded (the oldest pattern goes first); shared by the threads of `each --parallel`.
final class RegexCache: Sendable {
    /// `Regex` is immutable and safe to share between threads, but not `Sendable` with `AnyRegexOutput`.
    private struct Compiled: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
    }

    private struct Entries {
        var compiled: [String: Compiled] = [:]
        var order: [String] = []
    }

    private let entries = Mutex(Entries())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The compiled `pattern`, or nil when it is not a valid regular expression.
    func regex(_ pattern: String) -> Regex<AnyRegexOutput>? {
        if let hit = entries.withLock({ $0.compiled[pattern] }) { return hit.regex }
        guard let regex = try? Regex(pattern) else { return nil }
        let compiled = Compiled(regex: regex)
        entries.withLock { e in
            guard e.compiled[pattern] == nil else { return }
            if e.order.count >= capacity { e.compiled[e.order.removeFirst()] = nil }
            e.order.append(pattern)
            e.compiled[pattern] = compiled
        }
        return regex
    }

    /// How many patterns are cached (for tests).
    var count: Int { entries.withLock { $0.compiled.count } }
}
