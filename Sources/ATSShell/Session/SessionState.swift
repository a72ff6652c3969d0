import ATSLanguage
import ATSSupport
import Foundation

/// How `trace` prints exchanges.
public enum TraceMode: String, Sendable {
    case off, on, curl
}

/// An open connection: the gateway to the API and how the prompt names it.
final class Connection: @unchecked Sendable {
    let gateway: any APIGateway
    /// `system@aohost:22015`, `system@sim`.
    let displayName: String
    /// The `connect` statement that opens it again (`connect sim`, …; never a password).
    let statement: String?
    /// Releases what the connection holds (the HTTP client's threads).
    private let onClose: @Sendable () -> Void

    init(gateway: any APIGateway, displayName: String, statement: String? = nil, onClose: @escaping @Sendable () -> Void = {}) {
        self.gateway = gateway
        self.displayName = displayName
        self.statement = statement
        self.onClose = onClose
    }

    private let lock = NSLock()
    private var closed = false

    /// Ends the connection (once; later calls do nothing).
    func close() {
        lock.lock()
        let first = !closed
        closed = true
        lock.unlock()
        if first { onClose() }
    }
}

/// The mutable part of a session, shared by the host (possibly on several threads, for
/// `each --parallel`) and the REPL; every access goes through the lock.
final class SessionState: @unchecked Sendable {
    private let lock = NSLock()
    private var _connection: Connection?
    private var _dryRun = false
    private var _trace = TraceMode.off
    private var _recorder: CaseFileWriter?
    private var _lastTaskIDs: [Int] = []
    private var _serviceNames: [String] = []
    private var _warnedInsecure = false

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    var connection: Connection? {
        get { locked { _connection } }
        set { locked { _connection = newValue } }
    }
    var dryRun: Bool {
        get { locked { _dryRun } }
        set { locked { _dryRun = newValue } }
    }
    var trace: TraceMode {
        get { locked { _trace } }
        set { locked { _trace = newValue } }
    }
    /// The case file that `record` writes, read by the transport per request.
    var recorder: CaseFileWriter? { locked { _recorder } }
    /// Makes `new` the case file; returns the one it replaces.
    func swapRecorder(_ new: CaseFileWriter?) -> CaseFileWriter? {
        locked {
            defer { _recorder = new }
            return _recorder
        }
    }
    var lastTaskIDs: [Int] {
        get { locked { _lastTaskIDs } }
        set { locked { _lastTaskIDs = newValue } }
    }
    var serviceNames: [String] {
        get { locked { _serviceNames } }
        set { locked { _serviceNames = newValue } }
    }
    /// True the first time it is called in a session: the `--insecure` warning is printed once.
    func firstInsecureConnection() -> Bool {
        locked {
            defer { _warnedInsecure = true }
            return !_warnedInsecure
        }
    }
}
