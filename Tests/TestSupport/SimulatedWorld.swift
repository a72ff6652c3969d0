// A world for in-process tests of the shell: memory streams, the in-memory simulator, and
// one manual clock that the simulator, `now()`, `sleep` and `wait` all read, so a script that
// waits ten minutes runs in milliseconds.
import AOClient
import AOSimulator
import ATSLanguage
import ATSCommandLine
import ATSShell
import Foundation

/// A `WallClock` over the simulator's `ManualClock`: `sleep` moves the time forward at once.
public final class ManualWallClock: WallClock, @unchecked Sendable {
    /// The clock the simulator reads too.
    public let clock: ManualClock
    /// The zone `now()` is written in (the simulator's, +09:00, unless told otherwise).
    public let utcOffsetSeconds: Int

    public init(clock: ManualClock = ManualClock(), utcOffsetSeconds: Int = 9 * 3600) {
        self.clock = clock
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public func now() -> TimeValue {
        TimeValue(millisecondsSinceEpoch: clock.now(), utcOffsetSeconds: utcOffsetSeconds)
    }

    public func sleep(milliseconds: Int64, interrupt: InterruptFlag) -> Bool {
        if interrupt.isRaised { return false }
        clock.advance(by: .milliseconds(milliseconds))
        return !interrupt.isRaised
    }
}

/// `connect sim` opens a fresh simulator seeded from `configuration` (its clock is the
/// world's), and so does `connect URL`: nothing here may reach a network.
public struct InMemoryTransports: TransportFactory {
    public var configuration: SimulatorConfiguration

    public init(configuration: SimulatorConfiguration) { self.configuration = configuration }

    /// A URL's requests are answered by the simulator, which checks the credentials as a
    /// server would.
    public func open(_ kind: TransportKind, settings: ConnectionSettings) throws(APIError) -> OpenedTransport {
        OpenedTransport(SimulatorTransport(Simulator(configuration: configuration)))
    }
}

/// The user's commands, answered from a table: a command in it prints its text and exits 0;
/// any other exits 127, as `sh` does for a command it cannot find.
public struct FixedCommands: CommandRunner {
    public var outputs: [String: String]

    public init(_ outputs: [String: String] = [:]) { self.outputs = outputs }

    public func run(shell command: String) -> CommandOutcome {
        guard let output = outputs[command] else { return .exited(status: 127, output: []) }
        return .exited(status: 0, output: Array(output.utf8))
    }
}

/// A test world and the streams it writes to.
public struct SimulatedWorld: Sendable {
    public let world: World
    public let stdout: MemoryStream
    public let stderr: MemoryStream
    public let clock: ManualWallClock

    /// A world with `stdin`, `environment`, files under `workingDirectory`, and a simulator
    /// on a manual clock that starts at the simulator's default day.
    public init(
        stdin: String = "", environment: [String: String] = [:], workingDirectory: String,
        commands: [String: String] = [:], simulator: SimulatorConfiguration = SimulatorConfiguration()
    ) {
        let clock = ManualWallClock()
        var configuration = simulator
        configuration.clock = clock.clock
        let stdout = MemoryStream()
        let stderr = MemoryStream()
        self.stdout = stdout
        self.stderr = stderr
        self.clock = clock
        world = World(
            transports: InMemoryTransports(configuration: configuration), stdin: FixedInput(stdin),
            stdout: stdout, stderr: stderr, clock: clock,
            files: LocalFileSystem(workingDirectory: workingDirectory), environment: environment,
            commands: FixedCommands(commands), hostName: "testhost")
    }

    /// Runs `ats ARGUMENTS…` in this world; the exit code (the REPL is never started: standard
    /// input is not a terminal).
    ///
    /// It runs on a thread of its own, as in the binary: the shell blocks its thread while
    /// API calls run as Swift tasks, so on a test's cooperative thread a few cases at once
    /// would take every thread of the pool and wait for each other.
    public func run(_ arguments: [String]) async -> Int32 {
        let world = self.world
        return await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
            Thread.detachNewThread {
                switch ATSCommandLine.parse(arguments) {
                case .shell(let options, let invocation):
                    done.resume(returning: ShellCLI.run(options, invocation, world: world) { _ in
                        fatalError("the REPL starts only when standard input is a terminal")
                    })
                case .exit(let text, let code):
                    done.resume(returning: ShellCLI.finish(text, code: code, world: world))
                case .simulator, .diff, .languageServer:
                    fatalError("`ats sim`, `ats diff` and `ats lsp` are tested through the binary")
                }
            }
        }
    }
}
