// A real nginx (Debian's nginx-light, installed by scripts/setup) as a reverse proxy on
// loopback, with its own configuration, logs and temp files in a temporary directory.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running nginx in front of an upstream on 127.0.0.1; `stop()` ends it.
public final class NginxProxy: @unchecked Sendable {
    /// Where Debian installs nginx.
    public static let executable = "/usr/sbin/nginx"
    /// True when nginx can be started.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    public let process: Process
    public let directory: TemporaryDirectory
    /// The port nginx listens on (127.0.0.1).
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, directory: TemporaryDirectory, port: Int) {
        self.process = process
        self.directory = directory
        self.port = port
    }

    /// Starts nginx proxying to `http://127.0.0.1:upstreamPort` with `keepalive_timeout`
    /// towards the client; `locations` are extra `location` blocks of the server (they may use
    /// `UPSTREAM` for the upstream's address). The access log has one line per request:
    /// `METHOD URI STATUS`.
    public static func start(upstreamPort: Int, keepaliveTimeout: String = "1s", locations: String = "") throws -> NginxProxy {
        var lastError: (any Error)?
        // The port is chosen free, then handed to nginx: another process may take it between,
        // so a failed start is tried again on another port.
        for _ in 0..<3 {
            let directory = try TemporaryDirectory()
            let port = try freeLoopbackPort()
            let upstream = "127.0.0.1:\(upstreamPort)"
            let d = directory.url.path
            let config = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid \(d)/nginx.pid;
                error_log \(d)/error.log info;
                events { worker_connections 256; }
                http {
                    log_format ats '$request_method $request_uri $status';
                    access_log \(d)/access.log ats;
                    client_body_temp_path \(d)/body;
                    proxy_temp_path \(d)/proxy;
                    fastcgi_temp_path \(d)/fastcgi;
                    uwsgi_temp_path \(d)/uwsgi;
                    scgi_temp_path \(d)/scgi;
                    keepalive_timeout \(keepaliveTimeout);
                    server {
                        listen 127.0.0.1:\(port);
                        \(locations.replacingOccurrences(of: "UPSTREAM", with: upstream))
                        location / { proxy_pass http://\(upstream); }
                    }
                }

                """
            let configPath = try directory.write("nginx.conf", config)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-p", d, "-c", configPath, "-e", "\(d)/error.log"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if waitUntilListening(port: port, while: { process.isRunning }) {
                return NginxProxy(process: process, directory: directory, port: port)
            }
            lastError = NginxStartError.notListening(log: (try? String(contentsOfFile: "\(d)/error.log", encoding: .utf8)) ?? "")
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            directory.remove()
        }
        throw lastError ?? NginxStartError.notListening(log: "")
    }

    /// The access log's lines (`METHOD URI STATUS`), in order.
    public var accessLog: [String] {
        let text = (try? String(contentsOfFile: directory.path("access.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Ends nginx and removes its directory. SIGKILL, because a child of the test process may
    /// inherit a signal mask that blocks SIGTERM (nginx then never sees it).
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        directory.remove()
    }

    deinit { stop() }
}

/// Why nginx did not start.
public enum NginxStartError: Error {
    case notListening(log: String)
}

/// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
public func freeLoopbackPort() throws -> Int {
    let (fd, port) = try bindLoopback(backlog: nil)
    close(fd)
    return port
}

/// Waits until a connection to 127.0.0.1:`port` succeeds (true), or `alive` turns false or
/// 10 s pass (false). Each attempt is a real connection; between them it waits 10 ms.
public func waitUntilListening(port: Int, while alive: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline, alive() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if connected == 0 { return true }
        usleep(10_000)
    }
    return false
}
