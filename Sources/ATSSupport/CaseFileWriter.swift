import AOClient
import ATSJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends exchanges to a case file, one JSON line each, written with a single `write(2)`
/// on a descriptor opened with `O_APPEND` as soon as the exchange ends: a crash, Ctrl-C or
/// a writer that is never closed loses nothing already exchanged. (No `fsync`: the data is
/// in the kernel, which survives the process.)
///
/// The file is created with mode 0600 (it holds a customer's data). An existing file is
/// appended to: a new header line starts a new session. Thread-safe.
public final class CaseFileWriter: Sendable {
    /// The path as given.
    public let path: String

    private struct State {
        var fd: Int32
        var seq = 0
        var server: CaseFileServer?
        var failure: CaseFileError?
    }
    private let state: Mutex<State>

    /// Opens (creating or appending to) `path` and writes `header` as the first line of a session.
    public init(path: String, header: CaseFileHeader) throws(CaseFileError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: Self.errorText()) }
        state = Mutex(State(fd: fd, server: header.server))
        let error = state.withLock { writeLine(header.json, state: &$0) }
        if let error {
            close()
            throw error
        }
    }

    deinit {
        state.withLock { s in
            if s.fd >= 0 { closeDescriptor(s.fd) }
        }
    }

    /// The write error that stopped recording, if any (the shell reports it once).
    public var failure: CaseFileError? { state.withLock { $0.failure } }

    /// Records one exchange, redacted, numbered in order; returns its sequence number, or
    /// `nil` when the writer is closed or a write failed.
    @discardableResult
    public func record(
        request: HTTPRequest, response: HTTPResponse?, failure: (any Error)?, startedAt: String,
        duration: Duration, context: ExchangeContext?
    ) -> Int? {
        let rq = CaseFileRequest(request)
        let rs = response.map(CaseFileResponse.init)
        let failureText = failure.map(SupportMessages.failure)
        let failureKind = failure.map(SupportMessages.failureKind)
        let ms = milliseconds(duration)
        return state.withLock { s -> Int? in
            guard s.fd >= 0 else { return nil }
            let exchange = CaseFileExchange(
                seq: s.seq + 1, time: startedAt, statement: context?.statement, location: context?.location,
                request: rq, response: rs, failure: response == nil ? failureText ?? SupportMessages.noResponse : nil,
                failureKind: failureKind, durationMs: ms)
            if writeLine(exchange.json, state: &s) != nil { return nil }
            s.seq += 1
            return s.seq
        }
    }

    /// Records which server answered (a `server` line), once per distinct value.
    public func noteServer(_ server: CaseFileServer) {
        state.withLock { s in
            guard s.fd >= 0, s.server != server else { return }
            var line: JSONObject = ["type": "server"]
            for (k, v) in server.json.objectValue ?? JSONObject() { line[k] = v }
            if writeLine(.object(line), state: &s) == nil { s.server = server }
        }
    }

    /// Closes the file. Later exchanges are not recorded. Safe to call twice.
    public func close() {
        state.withLock { s in
            if s.fd >= 0 { closeDescriptor(s.fd) }
            s.fd = -1
        }
    }

    /// Writes one line with one `write(2)` (retrying a short write); on failure closes the
    /// file and remembers why.
    private func writeLine(_ json: JSON, state s: inout State) -> CaseFileError? {
        var bytes: [UInt8] = []
        JSONWriter.compact.write(json, into: &bytes)
        bytes.append(0x0A)
        guard !SystemEnvironment.writeAll(s.fd, bytes) else { return nil }
        let error = CaseFileError.cannotWrite(path: path, reason: Self.errorText())
        s.failure = error
        closeDescriptor(s.fd)
        s.fd = -1
        return error
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}

/// `close(2)`, named apart from `CaseFileWriter.close()`.
private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}
