import ATSLanguage
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C in the REPL.
///
/// Design: statements run on the main thread (the session hands them to the interpreter's
/// thread itself); a SIGINT handler does only async-signal-safe work: it counts the signal and
/// writes one byte to a pipe. A watcher thread reads the pipe and raises the running
/// statement's `InterruptFlag` (the interpreter and host commands watch it), so nothing in the
/// handler touches Swift objects. When no statement runs, the signal only interrupts libedit's
/// `readline()` (installed without `SA_RESTART`, so the read fails with `EINTR`); `readline()`
/// then returns NULL exactly as at end of input, and the count tells the two apart. A signal
/// delivered to another thread is forwarded to the main thread, so the read is always
/// interrupted. libedit also catches SIGINT while it reads (to restore the terminal) and
/// passes it on with `kill(0, SIGINT)`; that second delivery may land on another thread and
/// reach the handler only after `readline()` has returned, so a read that failed with `EINTR`
/// counts as a Ctrl-C whose signal is still in flight (`takePending(readInterrupted:)`), and
/// that signal, when it comes, is not counted again. ("The main thread" is the thread that
/// installed the handler and reads lines; `install()` unblocks SIGINT on it, since the main
/// actor may run on a Dispatch thread, and Dispatch threads block SIGINT.)
///
/// POSIX signal dispositions are process-wide, so this is the one process-wide state of the
/// REPL: a raw `SignalState` record (written by `install()` before the handler can run, then
/// only its counter changes) and the lock-protected `Interruption.shared`.
final class Interruption: @unchecked Sendable {
    /// The process's one instance.
    static let shared = Interruption()

    private let lock = NSLock()
    private var running: InterruptFlag?
    /// The signal count when the running statement started: earlier signals are not its.
    private var runningSince: sig_atomic_t = 0
    /// The signal count the reader has seen (main thread only); one ahead of the handler's
    /// count while the signal of an interrupted read is in flight.
    private var seen: sig_atomic_t = 0
    /// How many signals the watcher has handled.
    private var handledSignals = 0
    private var installed = false
    /// Write a newline to standard error when Ctrl-C stops a statement, so that what the
    /// session prints next starts on a line of its own after the terminal's `^C` (a terminal
    /// REPL sets it).
    var newlineOnInterrupt = false

    /// Installs the SIGINT handler and starts the watcher thread (once). Call it on the thread
    /// that reads lines (the main thread): signals are forwarded to it.
    func install() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        signalState.pointee = SignalState(count: 0, pipeWrite: fds[1], mainThread: pthread_self())
        let readEnd = fds[0]
        let thread = Thread { [self] in watch(readEnd) }
        thread.name = "ats-sigint"
        thread.start()

        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = sigintHandler
        #else
        action.__sigaction_u.__sa_handler = sigintHandler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocked read returns EINTR
        sigaction(SIGINT, &action, nil)
        // Top-level async code and the main actor run on Dispatch threads, which block SIGINT.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// True when Ctrl-C was pressed since the last call, or when `readInterrupted` (the
    /// caller's read failed with `EINTR`): then the signal may still be on its way, and is
    /// marked seen before it is counted.
    func takePending(readInterrupted: Bool = false) -> Bool {
        let count = signalState.pointee.count
        if isAfter(count, seen) {
            seen = count
            return true
        }
        if readInterrupted {
            seen = count &+ 1
            return true
        }
        return false
    }

    /// How many signals the watcher has handled (tests wait on it).
    var handled: Int {
        lock.lock()
        defer { lock.unlock() }
        return handledSignals
    }

    /// Runs `body` with Ctrl-C raising `flag` (reset first).
    func whileRunning<T>(raising flag: InterruptFlag, _ body: () -> T) -> T {
        lock.lock()
        flag.reset()
        running = flag
        let count = signalState.pointee.count
        runningSince = isAfter(seen, count) ? seen : count
        lock.unlock()
        defer {
            lock.lock()
            running = nil
            lock.unlock()
            _ = takePending()
        }
        return body()
    }

    private func watch(_ fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            lock.lock()
            if isAfter(signalState.pointee.count, runningSince), let flag = running {
                flag.raise()
                if newlineOnInterrupt { writeAll(2, "\n") }
            }
            handledSignals += 1
            lock.unlock()
        }
    }
}

/// True when signal count `a` is later than `b` (the counts wrap).
private func isAfter(_ a: sig_atomic_t, _ b: sig_atomic_t) -> Bool {
    (a &- b) > 0
}

/// The record the signal handler reads and writes.
struct SignalState {
    /// How many SIGINTs the reading thread has received (only the handler writes it).
    var count: sig_atomic_t
    var pipeWrite: Int32
    var mainThread: pthread_t
}

/// Written by `Interruption.install()` before the handler is installed; afterwards only the
/// handler changes it (`count`), and other threads only read it.
nonisolated(unsafe) private let signalState: UnsafeMutablePointer<SignalState> = {
    let pointer = UnsafeMutablePointer<SignalState>.allocate(capacity: 1)
    pointer.initialize(to: SignalState(count: 0, pipeWrite: -1, mainThread: pthread_self()))
    return pointer
}()

/// The SIGINT handler: async-signal-safe calls only.
private let sigintHandler: @convention(c) (Int32) -> Void = { signo in
    let savedErrno = errno
    defer { errno = savedErrno }
    if pthread_equal(pthread_self(), signalState.pointee.mainThread) == 0 {
        _ = pthread_kill(signalState.pointee.mainThread, signo)
        return
    }
    signalState.pointee.count &+= 1
    var byte: UInt8 = 1
    _ = write(signalState.pointee.pipeWrite, &byte, 1)
}
