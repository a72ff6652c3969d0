import ATSLanguage
import Foundation
import Testing

@testable import ATSREPL

#if canImport(Glibc)
import Glibc
#endif

/// Polls `condition` every 5 ms for up to five seconds.
private func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<1000 {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// On one thread (the main actor), as the REPL: the handler forwards signals to the thread that
/// installed it. The signal is sent to this thread only (`pthread_kill`), not to the process:
/// a process-wide SIGINT would land on any thread of the test runner and interrupt the system
/// calls of tests running in parallel.
@Suite("SIGINT handling", .serialized)
@MainActor
struct InterruptionTests {
    @Test("SIGINT while a statement runs raises its interrupt flag")
    func raisesRunningFlag() {
        Interruption.shared.install()
        let flag = InterruptFlag()
        let raised = Interruption.shared.whileRunning(raising: flag) { () -> Bool in
            kill(getpid(), SIGINT)
            return eventually { flag.isRaised }
        }
        #expect(raised)
    }

    @Test("SIGINT at the prompt is remembered for the reader and not raised on the next statement")
    func idleInterrupt() {
        Interruption.shared.install()
        _ = Interruption.shared.takePending()
        kill(getpid(), SIGINT)
        #expect(eventually { Interruption.shared.takePending() })
        let flag = InterruptFlag()
        let raisedDuringRun = Interruption.shared.whileRunning(raising: flag) { () -> Bool in
            usleep(50_000)
            return flag.isRaised
        }
        #expect(!raisedDuringRun)
    }
}
