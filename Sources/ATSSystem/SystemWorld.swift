#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import AOClient
import AOHTTPClient
import AOSimulator
import ATSLanguage
import ATSShell
import Dispatch
import Foundation

// The real world of the `ats` binary, which `main` wires: file descriptors 0, 1 and 2 and
// whether each is a terminal, the machine's clock and files, the process environment,
// `/bin/sh` for the user's commands, SIGINT, the controlling terminal, and the transports
// (AsyncHTTPClient for a URL, the simulator in this process for `connect sim`).

extension World {
    /// The process's world.
    public static func system() -> World {
        let environment = ProcessInfo.processInfo.environment
        let terminals = Terminals(stdin: isatty(0) == 1, stdout: isatty(1) == 1, stderr: isatty(2) == 1)
        return World(
            transports: SystemTransports(environment: environment),
            stdin: StandardInput(),
            stdout: FileDescriptorStream(fileDescriptor: 1, lineBuffered: terminals.stdout),
            stderr: FileDescriptorStream(fileDescriptor: 2, lineBuffered: true),
            terminals: terminals,
            measureWidth: { windowColumns(1) },
            clock: MachineClock(),
            files: LocalFileSystem(),
            environment: environment,
            commands: ShellCommands(),
            signals: ProcessSignals(),
            prompter: ControllingTerminal(),
            hostName: ProcessInfo.processInfo.hostName)
    }

    /// The terminal's column count, or `nil` when it cannot be read.
    public static func windowColumns(_ fileDescriptor: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

/// `connect URL` over AsyncHTTPClient; `connect sim` in this process, at the speed of
/// `ATS_SIM_SPEED` (a factor; 60 makes a minute of the simulator pass in a second).
public struct SystemTransports: TransportFactory {
    /// The process environment (`ATS_SIM_SPEED`).
    public var environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    public func open(_ kind: TransportKind, settings: ConnectionSettings) throws(APIError) -> OpenedTransport {
        switch kind {
        case .server:
            let http = try HTTPTransport(settings: settings)
            return OpenedTransport(http) { Self.shutdown(http) }
        case .simulator:
            var configuration = SimulatorConfiguration()
            if let speed = environment["ATS_SIM_SPEED"].flatMap(Double.init), speed > 0 { configuration.speed = speed }
            return OpenedTransport(SimulatorTransport(Simulator(configuration: configuration)))
        }
    }

    /// Stops an HTTP client's threads (synchronously; called when a connection ends).
    static func shutdown(_ http: HTTPTransport) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await http.shutdown()
            done.signal()
        }
        done.wait()
    }
}

/// File descriptor 0, read to its end.
public struct StandardInput: InputSource {
    public init() {}
    public func readAll() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(0, &buffer, buffer.count)
            if n > 0 {
                bytes.append(contentsOf: buffer[0..<n])
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return bytes
            }
        }
    }
}

/// SIGINT while a script runs: ignored by the default handler, delivered to a Dispatch
/// source that raises the running statement's flag.
public struct ProcessSignals: SignalSource {
    public init() {}
    public func whileRunning<T>(raising flag: InterruptFlag, _ body: () -> T) -> T {
        signal(SIGINT, SIG_IGN)
        let interrupts = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupts.setEventHandler { flag.raise() }
        interrupts.resume()
        defer { interrupts.cancel() }
        return body()
    }
}

/// Questions on `/dev/tty`, passwords with `getpass`.
public struct ControllingTerminal: Prompter {
    public init() {}

    public func confirm(_ question: String) -> Bool {
        guard let tty = fopen("/dev/tty", "r+") else { return false }
        defer { fclose(tty) }
        fputs(question, tty)
        fflush(tty)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        guard getline(&line, &capacity, tty) > 0, let line else { return false }
        let answer = String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return answer == "y" || answer == "yes"
    }

    public func password(_ prompt: String) -> String? {
        guard isatty(0) == 1 || access("/dev/tty", R_OK) == 0 else { return nil }
        guard let p = getpass(prompt) else { return nil }
        return String(cString: p)
    }
}
