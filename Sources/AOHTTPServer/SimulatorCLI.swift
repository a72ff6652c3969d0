import AOClient
import AOSimulator
import ATSSupport
import Foundation

/// `ats sim`: runs the simulator (or a replay) as an HTTP server until SIGINT or SIGTERM.
/// Its command line is read by ATSShell's `ats` definition (`SimCommand`), which hands over
/// `Options`.
public enum SimulatorCLI {
    /// What the command line of `ats sim` asks for.
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 22015
        public var configuration = SimulatorConfiguration()
        /// PEM certificate and key for HTTPS; both or neither.
        public var tlsCert: String?
        public var tlsKey: String?
        /// A case file to serve instead of the simulator.
        public var replay: String?

        public init() {}
    }

    /// Runs `ats sim` with its options; returns the exit code.
    public static func main(_ options: Options) async -> Int32 {
        let transport: any Transport
        var banner = "(user system, password manager)"
        if let replay = options.replay {
            // A recorded case file served as-is (the support module's ReplayTransport).
            do {
                let r = try ReplayTransport(caseFile: replay)
                if !r.problems.isEmpty {
                    FileHandle.standardError.write(Data("ats sim: \(replay): skipped \(r.problems.count) unreadable line(s)\n".utf8))
                }
                transport = r
                banner = "(replaying \(r.exchangeCount) exchanges from \(replay))"
            } catch {
                FileHandle.standardError.write(Data("ats sim: \(error)\n".utf8))
                return 1
            }
        } else {
            transport = SimulatorTransport(Simulator(configuration: options.configuration))
        }
        // Catch SIGINT and SIGTERM before the banner: a parent may signal as soon as it reads it.
        let termination = TerminationSignals()
        let tls = options.tlsCert.map { SimulatorServer.TLSFiles(certificatePath: $0, privateKeyPath: options.tlsKey ?? "") }
        let server = SimulatorServer(transport: transport, host: options.host, port: options.port, tls: tls)
        do {
            try await server.start()
        } catch {
            var message = "ats sim: \(error)\n"
            if case SimulatorServer.StartError.addressInUse(_, let port) = error {
                message += "ats sim: is another server on port \(port)? Choose a port with --port N, or --port 0 for any free one\n"
            }
            FileHandle.standardError.write(Data(message.utf8))
            return 1
        }
        if options.replay == nil, options.configuration.faults != .none {
            banner += " with faults"
        }
        // Written straight to the file descriptor: unbuffered, so a parent process sees it at once.
        FileHandle.standardOutput.write(Data("ats sim: listening on \(server.baseURL) \(banner)\n".utf8))
        await termination.wait()
        await server.stop()
        return 0
    }
}

/// SIGINT and SIGTERM, caught from the moment this is made until `wait()` returns.
private final class TerminationSignals: @unchecked Sendable {
    private let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        sources = [SIGINT, SIGTERM].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            return source
        }
    }

    /// Returns on the first signal.
    func wait() async {
        for await _ in stream { break }
        sources.forEach { $0.cancel() }
    }
}
