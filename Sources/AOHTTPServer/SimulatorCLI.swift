import AOClient
import AOSimulator
import ATSSupport
import Foundation

/// `ats sim [--port N] [--host H] [--seed N] [--tasks N] [--speed X] [--quirks a,b] [--faults …]
/// [--tls-cert F --tls-key F] [--replay FILE]`: runs the simulator (or a replay) as an HTTP
/// server until SIGINT or SIGTERM.
public enum SimulatorCLI {
    /// The usage text of `ats sim`.
    public static let usage = """
        usage: ats sim [options]
          --port N            port to listen on (default 22015; 0 = any free port)
          --host ADDR         address to bind (default 127.0.0.1)
          --seed N            seed of the generated data (default 1)
          --tasks N           total number of tasks (adds finished bulk tasks; e.g. 100000)
          --speed X           run task steps X times faster (default 1)
          --quirks LIST       manual quirks to reproduce: \(SimulatorQuirk.allCases.map(\.rawValue).joined(separator: ", ")), all
          --faults LIST       starting=N, starting-for=SECONDS, retry-after=SECONDS, 500=ROUTE,
                              drop=ROUTE, html=ROUTE, delay=MS[@ROUTE], token-ttl=SECONDS (ROUTE: [METHOD:]path-fragment)
          --tls-cert FILE     serve HTTPS with this PEM certificate (needs --tls-key)
          --tls-key FILE      PEM private key for --tls-cert
          --replay FILE       serve a recorded case file instead of the simulator
        """

    /// Parsed options of `ats sim`.
    struct Options {
        var host = "127.0.0.1"
        var port = 22015
        var configuration = SimulatorConfiguration()
        var tlsCert: String?
        var tlsKey: String?
        var replay: String?
        var help = false
    }

    /// Parses the arguments after `sim`; returns a message for bad input.
    static func parse(_ arguments: [String]) -> Result<Options, CLIError> {
        Result { () throws(CLIError) in try options(arguments) }
    }

    private static func options(_ arguments: [String]) throws(CLIError) -> Options {
        var o = Options()
        var i = 0
        while i < arguments.count {
            var arg = arguments[i]
            var inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                inline = String(arg[arg.index(after: eq)...])
                arg = String(arg[..<eq])
            }
            /// The option's value: after `=`, or the next argument.
            func next() throws(CLIError) -> String {
                if let inline { return inline }
                guard i + 1 < arguments.count else { throw .missingValue(arg) }
                i += 1
                return arguments[i]
            }
            switch arg {
            case "-h", "--help":
                o.help = true
            case "--port":
                let v = try next()
                guard let p = Int(v), (0...65535).contains(p) else { throw .badValue(arg, v, "a port number 0–65535") }
                o.port = p
            case "--host":
                o.host = try next()
            case "--seed":
                let v = try next()
                guard let s = UInt64(v) else { throw .badValue(arg, v, "a non-negative integer") }
                o.configuration.seed = s
            case "--tasks":
                let v = try next()
                guard let n = Int(v), n >= 0, n <= 10_000_000 else { throw .badValue(arg, v, "a count 0–10000000") }
                o.configuration.taskCount = n
            case "--speed":
                let v = try next()
                guard let x = Double(v), x > 0, x.isFinite else { throw .badValue(arg, v, "a positive number") }
                o.configuration.speed = x
            case "--quirks":
                let v = try next()
                do { o.configuration.quirks = try SimulatorConfiguration.parseQuirks(v) } catch { throw .option(error) }
            case "--faults":
                let v = try next()
                do { o.configuration.faults = try SimulatorFaults(parsing: v) } catch { throw .option(error) }
            case "--tls-cert":
                o.tlsCert = try next()
            case "--tls-key":
                o.tlsKey = try next()
            case "--replay":
                o.replay = try next()
            default:
                throw .unknownOption(arg)
            }
            i += 1
        }
        if (o.tlsCert == nil) != (o.tlsKey == nil) { throw .tlsPair }
        return o
    }

    /// Bad `ats sim` arguments.
    enum CLIError: Error {
        case missingValue(String)
        case badValue(String, String, String)
        case unknownOption(String)
        case option(SimulatorOptionError)
        case tlsPair

        var message: String {
            switch self {
            case .missingValue(let o): return "option \(o) needs a value"
            case .badValue(let o, let v, let expected): return "option \(o): '\(v)' is not \(expected)"
            case .unknownOption(let o): return "unknown option '\(o)'"
            case .option(.badFault(let f)): return "--faults: cannot read '\(f)' (see ats sim --help)"
            case .option(.unknownQuirk(let q)):
                return "--quirks: unknown quirk '\(q)'; known: \(SimulatorQuirk.allCases.map(\.rawValue).joined(separator: ", "))"
            case .tlsPair: return "--tls-cert and --tls-key must be given together"
            }
        }
    }

    /// Runs `ats sim` with the arguments after `sim`; returns the exit code.
    public static func main(_ arguments: [String]) async -> Int32 {
        let options: Options
        switch parse(arguments) {
        case .success(let o): options = o
        case .failure(let e):
            FileHandle.standardError.write(Data("ats sim: \(e.message)\n\(usage)\n".utf8))
            return 2
        }
        if options.help {
            print(usage)
            return 0
        }
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
