import ATSLanguage
import Dispatch
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the loop-interrupting thread needs: the flag to raise and the event to wait for.
private final class Raiser: Sendable {
    let flag: InterruptFlag
    let started: DispatchSemaphore
    init(flag: InterruptFlag, started: DispatchSemaphore) {
        self.flag = flag
        self.started = started
    }
}

/// The API the shell and the REPL use.
@Suite struct InterpreterAPI {
    func make(_ sink: CollectingSink, _ flag: InterruptFlag = InterruptFlag()) -> Interpreter {
        Interpreter(host: Harness.host, output: sink, interrupt: flag, isInteractive: true, arguments: ["a"], environment: ["HOME": "/h"])
    }

    @Test func globalScopePersistsAcrossRuns() {
        let sink = CollectingSink()
        let (first, second, names, value, sigs) = Interpreter.onInterpreterThread { () -> (Int32, Int32, [String], String, [String]) in
            let i = make(sink)
            let a = i.run(Source(name: "<repl>", text: "let x = 40\nfn twice(n) { return $n * 2 }"))
            let b = i.run(Source(name: "<repl>", text: "$x += 2\ntwice $x"))
            return (a.exitCode, b.exitCode, i.globalNames, i.globalValue("x").map { $0.text } ?? "-", i.commandSignatures.map(\.name))
        }
        #expect(first == 0 && second == 0)
        #expect(sink.stdout == "84\n")
        #expect(names.contains("x") && names.contains("twice"))
        #expect(value == "42")
        #expect(sigs.contains("twice") && sigs.contains("call") && sigs.contains("where"))
    }

    @Test func lastValueIsReturned() {
        let sink = CollectingSink()
        let outcome = Interpreter.onInterpreterThread { make(sink).run(Source(name: "<repl>", text: "1 + 2")) }
        guard case .finished(let v?) = outcome, case .int(3) = v else {
            Issue.record("expected 3, got \(outcome)")
            return
        }
    }

    @Test func failedLineDoesNotLeaveNames() {
        let sink = CollectingSink()
        let names = Interpreter.onInterpreterThread { () -> [String] in
            let i = make(sink)
            _ = i.run(Source(name: "<repl>", text: "let ok = 1"))
            _ = i.run(Source(name: "<repl>", text: "let bad = 2\nsampel 1"))
            return i.globalNames
        }
        #expect(names.contains("ok") && !names.contains("bad"))
    }

    @Test func interruptStopsALoop() {
        let flag = InterruptFlag()
        let sink = CollectingSink()
        // Another thread raises the flag once the script says it is about to loop (not after
        // a guessed delay), so the loop has really been reached when Ctrl-C comes.
        let started = DispatchSemaphore(value: 0)
        sink.onWrite = { text in if text.contains("looping") { started.signal() } }
        final class Box: @unchecked Sendable { var t = pthread_t() }
        let box = Box()
        let raiser = Unmanaged.passRetained(Raiser(flag: flag, started: started)).toOpaque()
        pthread_create(&box.t, nil, { raw in
            let r = Unmanaged<Raiser>.fromOpaque(raw!).takeRetainedValue()
            r.started.wait()
            r.flag.raise()
            return nil
        }, raiser)
        let outcome = Interpreter.onInterpreterThread {
            make(sink, flag).run(Source(name: "t", text: "echo looping\nwhile true { }\necho after"))
        }
        pthread_join(box.t, nil)
        #expect(outcome.exitCode == 130)
        #expect(sink.stdout == "looping\n")
        flag.reset()
        let sleeping = Interpreter.onInterpreterThread { () -> Int32 in
            let i = make(sink, flag)
            flag.raise()
            return i.run(Source(name: "t", text: "sleep 1h")).exitCode
        }
        #expect(sleeping == 130)
    }

    @Test func sourceRunsAFileInTheGlobalScope() {
        let dir = "/tmp/ats-lang-source-\(getpid())"
        mkdir(dir, 0o700)
        Harness.write(dir + "/lib.ats", "let greeting = \"hello\"\nfn shout(s) { return upper($s) + \"!\" }\n")
        Harness.write(dir + "/main.ats", "source lib.ats\necho (shout $greeting)\n")
        let text = Harness.read(dir + "/main.ats") ?? ""
        let run = Harness.run(text, name: dir + "/main.ats")
        #expect(run.stdout == "HELLO!\n")
        #expect(run.code == 0)
        let missing = Harness.run("source /nonexistent/lib.ats")
        #expect(missing.code == 1)
        #expect(missing.stderr.contains("/nonexistent/lib.ats"))
        Harness.write(dir + "/bad.ats", "let = 1\n")
        let bad = Harness.run("source \(dir)/bad.ats")
        #expect(bad.code == 1)
        #expect(bad.stderr.contains("has errors"))
        unlink(dir + "/lib.ats")
        unlink(dir + "/main.ats")
        unlink(dir + "/bad.ats")
        rmdir(dir)
    }

    @Test func sourcedFileIsCompiledLikeAScript() {
        let dir = "/tmp/ats-lang-sourced-\(getpid())"
        mkdir(dir, 0o700)
        // The sourcing script's functions take options in the sourced file.
        Harness.write(dir + "/call.ats", "greet --name bob\n")
        let options = Harness.run("fn greet(name) { echo $name }\nsource call.ats\n", name: dir + "/main.ats")
        #expect(options.stdout == "bob\n")
        #expect(options.code == 0)
        // A sourced file with errors leaves no names behind for a later file.
        Harness.write(dir + "/bad.ats", "let y = 1\nbreak\n")
        Harness.write(dir + "/read.ats", "echo $y\n")
        let stale = Harness.run("try { source bad.ats } catch e { }\nsource read.ats\n", name: dir + "/main.ats")
        #expect(stale.code == 1)
        #expect(stale.stderr.contains("undefined variable `$y`"))
        for f in ["call.ats", "bad.ats", "read.ats"] { unlink(dir + "/" + f) }
        rmdir(dir)
    }

    @Test func exitCodes() {
        #expect(Harness.run("exit 3").code == 3)
        #expect(Harness.run("assert 1 == 2").code == 1)
        #expect(Harness.run("let = 1").code == 2)
        #expect(Harness.run("echo ok").code == 0)
    }

    @Test func builtinSignaturesDescribeTheLanguage() {
        let names = Language.builtinSignatures.map(\.name)
        for n in ["echo", "print", "sleep", "assert", "len", "date", "where", "each", "group", "source", "vars", "exit"] {
            #expect(names.contains(n), "\(n)")
        }
        let each = Language.builtinSignatures.first { $0.name == "each" }
        #expect(each?.option("parallel") != nil)
        #expect(each?.takesInput == true)
    }

    @Test func parallelEachRunsConcurrentlyAndKeepsOrder() {
        let run = Harness.run("print ([1, 2, 3, 4, 5, 6, 7, 8] | each --parallel 4 { slow $it })")
        #expect(run.stdout == "[1,2,3,4,5,6,7,8]\n")
        #expect(run.code == 0)
    }
}
