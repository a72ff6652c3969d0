import ATSLanguage
import Foundation
import Testing
import TestSupport

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
/// installed it.
///
/// These tests send SIGINT to the whole test process, which would interrupt the system calls
/// of every test running in parallel with them (and once crashed the runner); they run only
/// in a process of their own (`runsIsolatedSuites`, the second step of `scripts/test`).
@Suite("SIGINT handling", .serialized, .enabled(if: runsIsolatedSuites, "runs in a process of its own"))
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

    @Test("a read that Ctrl-C interrupted before its signal was counted: the late signal is not counted again, nor raised on the next statement")
    func signalAfterTheInterruptedRead() {
        Interruption.shared.install()
        _ = Interruption.shared.takePending()
        // readline() returned NULL with EINTR; libedit's re-raised SIGINT has not arrived yet.
        #expect(Interruption.shared.takePending(readInterrupted: true))
        let flag = InterruptFlag()
        let handledBefore = Interruption.shared.handled
        let raisedByTheLateSignal = Interruption.shared.whileRunning(raising: flag) { () -> Bool in
            kill(getpid(), SIGINT)
            #expect(eventually { Interruption.shared.handled == handledBefore + 1 })
            return flag.isRaised
        }
        #expect(!raisedByTheLateSignal)
        #expect(!Interruption.shared.takePending())
        // The next Ctrl-C is counted as usual.
        kill(getpid(), SIGINT)
        #expect(eventually { Interruption.shared.takePending() })
    }
}
