// Starts `ats sim --port 0` as a subprocess on loopback and reads the port it listens on.
import Foundation

/// A running `ats sim` server; `stop()` ends it.
public final class SimulatorProcess: @unchecked Sendable {
    public let process: Process
    /// The port it listens on (127.0.0.1).
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts the simulator with extra arguments (e.g. `--seed 7`) and waits for its
    /// listening line (up to `timeout` seconds).
    public static func start(_ extraArguments: [String] = [], timeout: Double = 30) throws -> SimulatorProcess {
        let process = Process()
        process.executableURL = BuiltProducts.ats
        process.arguments = ["sim", "--port", "0"] + extraArguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = out.fileHandleForReading
        let found = DispatchSemaphore(value: 0)
        let box = PortBox()
        Thread.detachNewThread {
            var buffer = ""
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer += String(decoding: chunk, as: UTF8.self)
                if box.port == nil, let port = listeningPort(in: buffer) {
                    box.port = port
                    found.signal()
                }
            }
            found.signal()
        }
        guard found.wait(timeout: .now() + timeout) == .success, let port = box.port else {
            process.terminate()
            throw SimulatorStartError.noListeningLine
        }
        return SimulatorProcess(process: process, port: port)
    }

    /// Ends the server and waits for it.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// The port in a line like `listening on http://127.0.0.1:40123`.
    static func listeningPort(in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.lowercased().contains("listen") {
            if let range = line.range(of: "127.0.0.1:") {
                let digits = line[range.upperBound...].prefix { $0.isNumber }
                if let p = Int(digits), p > 0 { return p }
            }
            let words = line.split { !$0.isNumber }
            if let last = words.last, let p = Int(last), p > 0, p < 65536 { return p }
        }
        return nil
    }
}

/// Why the simulator did not start.
public enum SimulatorStartError: Error {
    case noListeningLine
}

final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    var port: Int? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
