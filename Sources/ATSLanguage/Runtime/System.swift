#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
    static func parse(_ text: String) -> TimeValue? {
        let u = Array(text.utf8)
        var i = 0
        func number(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard u[k] >= 0x30, u[k] <= 0x39 else { return nil }
                v = v * 10 + Int(u[k] - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < u.count, u[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0, millis = 0, offset = 0
        if i < u.count {
            guard u[i] == 0x54 || u[i] == 0x20 || u[i] == 0x74 else { return nil }
            i += 1
            guard let h = number(2), expect(0x3A), let m = number(2) else { return nil }
            hour = h
            minute = m
            if expect(0x3A) {
                guard let s = number(2) else { return nil }
                second = s
                if expect(0x2E) {
                    var digits = 0
                    var frac = 0
                    while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                        if digits < 3 { frac = frac * 10 + Int(u[i] - 0x30) }
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in digits..<max(digits, 3) { frac *= 10 }
                    millis = frac
                }
            }
            guard hour < 24, minute < 60, second < 61 else { return nil }
            if i < u.count {
                if u[i] == 0x5A || u[i] == 0x7A {
                    i += 1
                } else if u[i] == 0x2B || u[i] == 0x2D {
                    let sign = u[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect(0x3A)
                    guard let om = number(2), oh < 24, om < 60 else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
            guard i == u.count else { return nil }
        }
        // Days from civil (Howard Hinnant).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return TimeValue(millisecondsSinceEpoch: seconds * 1000 + Int64(millis), utcOffsetSeconds: offset)
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
