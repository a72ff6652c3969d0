import ATSLanguage
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A host whose `block` command waits until Ctrl-C (the interrupt flag) and then fails, the
/// way an HTTP request cancelled by Ctrl-C does; `block --ignore` returns a value instead.
/// It counts the commands that started waiting, so a test raises the flag only once one is
/// really in flight.
final class BlockingHost: Host, @unchecked Sendable {
    let signatures: [CommandSignature] = [
        CommandSignature("block", summary: "waits for Ctrl-C", options: [OptionSpec("ignore", help: "return a value when interrupted")]),
    ]
    private let started = Mutex(0)

    /// How many `block` commands have started waiting.
    var blocked: Int { started.withLock { $0 } }

    func run(_ call: CommandCall, context: CommandContext) throws(ErrorValue) -> Value {
        started.withLock { $0 += 1 }
        // Bounded so that a broken test cannot hang the suite.
        for _ in 0..<10_000 where !context.interrupt.isRaised {
            var ts = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&ts, nil)
        }
        if call.flag("ignore") { return .string("done") }
        throw ErrorValue(kind: .http, summary: "request cancelled", command: call.text)
    }
}

/// Raises `flag` from another thread once `host` has a command in flight, as the shell's
/// SIGINT handler does when Ctrl-C is pressed during a request.
final class RaiseWhenBlocked: @unchecked Sendable {
    private var thread = pthread_t()
    let flag: InterruptFlag
    let host: BlockingHost

    init(_ flag: InterruptFlag, when host: BlockingHost) {
        self.flag = flag
        self.host = host
        let me = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let me = Unmanaged<RaiseWhenBlocked>.fromOpaque(raw!).takeRetainedValue()
            // Bounded (10 s) so that a broken test cannot hang the suite.
            for _ in 0..<10_000 where me.host.blocked == 0 {
                var ts = timespec(tv_sec: 0, tv_nsec: 1_000_000)
                nanosleep(&ts, nil)
            }
            me.flag.raise()
            return nil
        }, me)
    }

    func join() { pthread_join(thread, nil) }
}

/// Ctrl-C during a host command ends the run with exit 130; `try … catch` cannot swallow it.
@Suite struct Interrupts {
    func run(_ text: String) -> (RunOutcome, String) {
        let flag = InterruptFlag()
        let sink = CollectingSink()
        let host = BlockingHost()
        let raiser = RaiseWhenBlocked(flag, when: host)
        let outcome = Interpreter.onInterpreterThread {
            Interpreter(host: host, output: sink, interrupt: flag, isInteractive: false).run(Source(name: "t.ats", text: text))
        }
        raiser.join()
        #expect(host.blocked >= 1, "the interrupt came while a command was in flight")
        return (outcome, sink.stdout)
    }

    @Test(arguments: [
        "block\necho after",
        "try { block } catch err { echo \"caught ${err.message}\" }\necho after",
        "try { block --ignore } catch err { echo caught }\necho after",
        "fn f() { try { return (block) } catch e { return 0 } }\nlet x = f()\necho after",
        "try { [1, 2, 3] | each --parallel 3 { block } } catch e { echo caught }\necho after",
        "try { [1, 2] | each { try { block } catch e { 0 } } } catch e { echo caught }\necho after",
    ])
    func interruptDuringAHostCommandEndsTheRun(script: String) {
        let (outcome, stdout) = run(script)
        guard case .interrupted = outcome else {
            Issue.record("expected .interrupted, got \(outcome)")
            return
        }
        #expect(outcome.exitCode == 130)
        #expect(stdout == "")
    }

    @Test func anOrdinaryFailureIsStillCaught() {
        let sink = CollectingSink()
        let outcome = Interpreter.onInterpreterThread {
            Interpreter(host: Harness.host, output: sink, interrupt: InterruptFlag(), isInteractive: false)
                .run(Source(name: "t.ats", text: "try { fail 404 } catch err { echo \"caught ${err.code}\" }"))
        }
        #expect(outcome.exitCode == 0)
        #expect(sink.stdout == "caught 404\n")
    }
}
