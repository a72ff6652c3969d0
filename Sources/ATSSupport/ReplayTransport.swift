import AOClient
import ATSJSON
import Synchronization

/// A transport that answers from a case file instead of a server: `ats sim --replay FILE`
/// serves it over HTTP, and tests use it in memory.
///
/// Matching: a request gets a recorded response with the same method and path (compared
/// after percent-decoding) and the same query parameters (compared after percent-decoding,
/// in any order). Headers (authentication included) and request bodies are not compared.
/// Repeated requests get their recordings in the recorded order (one cursor per method,
/// path and query); once a request's recordings are used up, the last one is repeated, the
/// way a server keeps answering a poll with the final state. A request that was never
/// recorded gets 404 with a JP1-style error body naming it (`messageID` `KNAE99404-E`).
///
/// Every response carries a fresh fake `WWW-Authenticate: HSSO …` token (the recorded one
/// was redacted), so clients that follow the HSSO protocol keep working; a recorded 401
/// keeps its challenge. `Content-Length`/`Transfer-Encoding` are dropped (the body is
/// re-serialised; the HTTP server frames it). Responses come back at once: recorded
/// durations are not replayed. A recorded transport failure (connection refused, timeout)
/// is thrown again as a `TransportFailure` of the same kind. Thread-safe.
public final class ReplayTransport: Transport, Sendable {
    /// The lines of the case file that were skipped as unreadable.
    public let problems: [CaseFileProblem]
    /// The first session's header, if any.
    public let header: CaseFileHeader?

    private let recordings: [ReplayKey: [CaseFileExchange]]
    private struct State {
        var cursors: [ReplayKey: Int] = [:]
        var unmatched: [String] = []
        var served = 0
    }
    private let state = Mutex(State())

    /// Replays the case file at `path`. Throws when it cannot be read; bad lines are skipped
    /// and listed in `problems`.
    public convenience init(caseFile path: String) throws(CaseFileError) {
        self.init(caseFile: try CaseFileReader.read(path: path))
    }

    /// Replays a case file already read.
    public init(caseFile: CaseFile) {
        var recordings: [ReplayKey: [CaseFileExchange]] = [:]
        for exchange in caseFile.exchanges {
            recordings[ReplayKey(method: exchange.request.method, url: exchange.request.url), default: []].append(exchange)
        }
        self.recordings = recordings
        self.problems = caseFile.problems
        self.header = caseFile.header
    }

    /// How many exchanges can be replayed.
    public var exchangeCount: Int { recordings.values.reduce(0) { $0 + $1.count } }

    /// The requests that found no recording so far, as `GET /Automation/v1/…`, in order.
    public var unmatched: [String] { state.withLock { $0.unmatched } }

    /// How many requests were answered from the recording so far.
    public var servedCount: Int { state.withLock { $0.served } }

    /// The recorded response for `request` (see the type's documentation); never waits.
    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        try respond(to: request)
    }

    /// The synchronous core of `send`.
    public func respond(to request: HTTPRequest) throws -> HTTPResponse {
        let url = Redactor.url(request.url)
        let key = ReplayKey(method: request.method, url: url)
        let target = URLParts(url).target
        guard let list = recordings[key], !list.isEmpty else {
            state.withLock { $0.unmatched.append("\(request.method) \(target)") }
            return Self.notRecorded(request, target: target)
        }
        let exchange = state.withLock { s -> CaseFileExchange in
            let i = s.cursors[key, default: 0]
            s.cursors[key] = i + 1
            s.served += 1
            return list[min(i, list.count - 1)]
        }
        guard let recorded = exchange.response else {
            throw Self.failure(kind: exchange.failureKind, text: exchange.failure ?? "", exchange: exchange)
        }
        var headers = HTTPHeaderFields()
        for field in recorded.headers {
            switch field.name.lowercased() {
            case "content-length", "transfer-encoding", "connection", "keep-alive":
                continue
            case "www-authenticate":
                if recorded.status == 401 && !field.value.contains(Redactor.mask) { headers.add(field.name, field.value) }
            default:
                headers.add(field.name, field.value)
            }
        }
        if recorded.status != 401 { headers.add("WWW-Authenticate", .secret(Secret("HSSO " + Self.fakeToken()))) }
        if headers["Content-Type"] == nil, case .json? = recorded.body { headers.add("Content-Type", "application/json") }
        return HTTPResponse(status: recorded.status, reason: recorded.reason, headers: headers, body: recorded.body?.bytes ?? [])
    }

    /// The 404 for a request with no recording.
    private static func notRecorded(_ request: HTTPRequest, target: String) -> HTTPResponse {
        let body: JSON = [
            "errorSource": .string(Redactor.url(request.url)),
            "message": .string(SupportMessages.replayUnmatched(method: request.method, target: target)),
            "messageID": "KNAE99404-E",
            "application": "Automation",
        ]
        var headers = HTTPHeaderFields()
        headers.add("Content-Type", "application/json")
        headers.add("Cache-Control", "no-cache")
        headers.add("WWW-Authenticate", .secret(Secret("HSSO " + fakeToken())))
        var bytes: [UInt8] = []
        JSONWriter.compact.write(body, into: &bytes)
        return HTTPResponse(status: 404, reason: "Not Found", headers: headers, body: bytes)
    }

    /// The failure to throw for a recorded exchange without a response.
    private static func failure(kind: String?, text: String, exchange: CaseFileExchange) -> TransportFailure {
        let detail = SupportMessages.replayedFailure(text)
        switch kind {
        case "connect":
            let authority = URLParts(exchange.request.url).authority
            let colon = authority.lastIndex(of: ":")
            let host = colon.map { String(authority[..<$0]) } ?? authority
            let port = colon.flatMap { Int(authority[authority.index(after: $0)...]) } ?? 0
            return .connect(host: host, port: port, detail: detail)
        case "timeout": return .timeout(seconds: exchange.durationMs / 1000)
        case "tls": return .tls(.other, detail: detail)
        case "cancelled": return .cancelled
        default: return .closed(detail: detail)
        }
    }

    /// A token shaped like the simulator's (`HSSOToken.make`).
    static func fakeToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return HSSOToken.make(using: &rng)
    }
}

/// What a replayed request is matched on: method, decoded path, decoded query (sorted).
struct ReplayKey: Hashable, Sendable {
    var method: String
    var path: String
    var query: [CaseFileField]

    init(method: String, url: String) {
        let parts = URLParts(url)
        self.method = method.uppercased()
        path = parts.decodedPath
        query = parts.queryItems.map { CaseFileField(name: $0.name, value: $0.value) }
            .sorted { ($0.name, $0.value) < ($1.name, $1.value) }
    }
}
