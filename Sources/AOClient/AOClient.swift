import ATSJSON
import Synchronization

/// A session with one JP1/AO server: authentication (Basic, then the newest HSSO token;
/// one fresh Basic login on a 401), the headers the manual's examples send, retries of
/// idempotent GETs on 412/503, error mapping, and one typed function per route
/// (see `docs/api-coverage.md`).
///
/// Thread-safe: any number of calls may run concurrently from several threads.
public final class AOClient: Sendable {
    /// The settings the session was opened with.
    public let settings: ConnectionSettings
    /// The parsed server address; API paths are appended to `address.apiRoot`.
    public let address: ServerAddress
    /// The transport every request goes through.
    public let transport: any Transport
    /// The status table and other [U] conventions in use.
    public let conventions: APIConventions

    private let basicAuthorization: Secret
    private let state = Mutex(SessionState())

    private struct SessionState {
        /// The newest `HSSO <token>` received (the whole header value to send back).
        var token: Secret?
    }

    /// Opens a session object (no request is sent). Fails for an unusable base URL.
    public init(settings: ConnectionSettings, transport: any Transport, conventions: APIConventions = .default) throws(APIError) {
        self.settings = settings
        self.address = try ServerAddress(parsing: settings.baseURL)
        self.transport = transport
        self.conventions = conventions
        let pair = Array("\(settings.user):\(settings.password.revealed())".utf8)
        self.basicAuthorization = Secret("Basic " + Base64.encode(pair))
    }

    /// True once the server has issued an HSSO token that the session reuses.
    public var hasToken: Bool { state.withLock { $0.token != nil } }

    // MARK: Raw requests

    /// Sends any request through the session (the `api` command). `path` is relative to
    /// `/Automation/v1` (a leading `/Automation/v1` is accepted and removed) and may carry its
    /// own `?query` (encoded leniently); `query` items are encoded strictly and appended.
    /// A status of 400 or more throws; 2xx and 3xx are returned. POSTs are never retried.
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
        headers: HTTPHeaderFields = HTTPHeaderFields()
    ) async throws(APIError) -> APIResponse {
        try await send(method, path, query: query, body: body.map { .json($0) } ?? .none, accept: nil, headers: headers)
    }

    /// `send` with any body: JSON, a `multipart/form-data` file upload (the `file` part, as
    /// template import wants) or raw bytes; `accept` replaces `application/json`.
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: RequestBody, accept: String? = nil,
        headers: HTTPHeaderFields = HTTPHeaderFields()
    ) async throws(APIError) -> APIResponse {
        var p = path.trimmingSpaces()
        var rawQuery = ""
        if let q = p.firstIndex(of: "?") {
            rawQuery = QueryEncoding.encodeLenient(String(p[p.index(after: q)...]))
            p = String(p[..<q])
        }
        if !p.hasPrefix("/") { p = "/" + p }
        if p.lowercased().hasPrefix("/automation/v1/") || p.lowercased() == "/automation/v1" {
            p = String(p.dropFirst("/Automation/v1".count))
        }
        let strict = QueryEncoding.queryString(query.map { ($0.0, Optional($0.1)) })
        let fullQuery = [rawQuery, strict].filter { !$0.isEmpty }.joined(separator: "&")
        let url = address.apiRoot + p + (fullQuery.isEmpty ? "" : "?" + fullQuery)
        let m = method.uppercased()
        let wireBody: Body?
        switch body {
        case .none: wireBody = nil
        case .json(let j): wireBody = .json(j)
        case .file(let name, let bytes):
            let (b, type) = Multipart.formData(fieldName: "file", fileName: name, contents: bytes)
            wireBody = .bytes(b, contentType: type)
        case .bytes(let b, let type): wireBody = .bytes(b, contentType: type)
        }
        let route = Route.find(method: m, path: p)
        let response = try await exchange(
            .raw, route: route, method: m, url: url, body: wireBody, accept: accept, extraHeaders: headers)
        let json: JSON?
        if response.body.isEmpty || !Self.looksLikeJSON(response) {
            json = nil
        } else {
            do throws(JSONParseError) {
                json = try JSONParser.parse(response.body)
            } catch {
                var e = APIError(decoding: .malformedJSON(error), operation: .raw, method: m, url: url, status: response.status)
                e.route = route
                throw e
            }
        }
        return APIResponse(
            status: response.status, reason: response.reason, headers: response.headers, body: response.body, json: json,
            method: m, url: url)
    }

    // MARK: The exchange

    /// A request body.
    enum Body {
        case json(JSON)
        case bytes([UInt8], contentType: String)
    }

    /// Builds the absolute URL of an API path with strictly encoded query items.
    func url(_ path: String, _ query: [(String, String?)] = []) -> String {
        address.apiRoot + path + (query.isEmpty ? "" : "?" + QueryEncoding.queryString(query))
    }

    /// Sends one logical request: authentication, token refresh, the one Basic re-login on
    /// 401, and GET retries on 412/503. Statuses of 400 or more become `APIError`.
    func exchange(
        _ op: APIOperation, route: Route?, method: String, url: String, body: Body? = nil, accept: String? = "application/json",
        extraHeaders: HTTPHeaderFields = HTTPHeaderFields()
    ) async throws(APIError) -> HTTPResponse {
        func failed(_ failure: TransportFailure) -> APIError {
            var e = APIError(transport: failure, operation: op, method: method, url: url)
            e.route = route
            return e
        }
        var headers = HTTPHeaderFields()
        headers.add("User-Agent", settings.userAgent)
        headers.add("Accept", accept ?? "application/json")
        var bytes: [UInt8]?
        switch body {
        case .json(let j)?:
            headers.add("Content-Type", "application/json")
            var out = [UInt8]()
            JSONWriter.compact.write(j, into: &out)
            bytes = out
        case .bytes(let b, let type)?:
            headers.add("Content-Type", type)
            bytes = b
        case nil:
            break
        }
        for f in extraHeaders where f.name.lowercased() != "authorization" { headers.set(f.name, f.value) }
        let language = settings.language.flatMap { $0.isEmpty ? nil : $0 }

        var forceBasic = false
        var retried = 0
        while true {
            let token: Secret? = forceBasic ? nil : state.withLock { $0.token }
            // Header order as in the manual's examples: …, Authorization, Accept-Language.
            var h = headers
            h.set("Authorization", .secret(token ?? basicAuthorization))
            if let language, h["Accept-Language"] == nil { h.add("Accept-Language", language) }
            let request = HTTPRequest(method: method, url: url, headers: h, body: bytes)
            let response: HTTPResponse
            do {
                response = try await transport.send(request, timeout: settings.effectiveTimeout)
            } catch let failure as TransportFailure {
                throw failed(failure)
            } catch is CancellationError {
                throw failed(.cancelled)
            } catch {
                throw failed(.other(String(describing: error)))
            }
            absorbToken(response)
            if response.status == 401, token != nil, !forceBasic {
                // The token expired or was revoked: one fresh Basic login, never two.
                state.withLock { if $0.token == token { $0.token = nil } }
                forceBasic = true
                continue
            }
            if response.status == 412 || response.status == 503, method == "GET", retried < settings.retry.retries {
                retried += 1
                let delay = settings.retry.delay(attempt: retried, retryAfter: Self.retryAfter(response))
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw failed(.cancelled)
                }
                continue
            }
            if response.status >= 400 { throw makeError(response, op, route: route, method: method, url: url) }
            return response
        }
    }

    /// Keeps the newest `WWW-Authenticate: HSSO <token>` of a successful response.
    private func absorbToken(_ response: HTTPResponse) {
        guard response.status < 400 else { return }
        for field in response.headers where field.name.lowercased() == "www-authenticate" {
            let value = field.value.revealed().trimmingSpaces()
            guard value.count > 5, value.prefix(5).lowercased() == "hsso " else { continue }
            let token = String(value.dropFirst(5)).trimmingSpaces()
            guard !token.isEmpty else { continue }
            state.withLock { $0.token = Secret("HSSO " + token) }
        }
    }

    private func makeError(_ response: HTTPResponse, _ op: APIOperation, route: Route?, method: String, url: String) -> APIError {
        var e = APIError(status: response.status, reason: response.reason, operation: op, method: method, url: url)
        e.route = route
        if !response.body.isEmpty {
            if let json = try? JSONParser.parse(response.body), let server = ServerError(json: json) {
                e.server = server
            } else {
                e.bodyExcerpt = APIErrorMessages.excerpt(response.body)
            }
        }
        e.retryAfterSeconds = Self.retryAfter(response)
        switch op.verb {
        case .invoke(let name), .actionTemplate(let name):
            switch op.resource {
            case .tasks:
                if let a = TaskAction(rawValue: name) { e.acceptedStatuses = conventions.documentedStatuses(for: a) }
            case .schedules:
                if let a = ScheduleAction(rawValue: name) { e.acceptedStatuses = conventions.documentedStatuses(for: a) }
            case .serviceTemplates, .services, .flowSteps, .taskLogs, .taskHistories, .propertyDefinitions,
                .propertyInformations, .propertyValues, .propertyGroups, .serviceGroups, .tagGroups, .tags, .user,
                .version, .server:
                break
            }
        case .list, .get, .edit, .delete, .deleteMatching, .listActions, .importTemplate, .raw, .connect:
            break
        }
        return e
    }

    /// `Retry-After` in seconds (delta-seconds form only).
    static func retryAfter(_ response: HTTPResponse) -> Double? {
        guard let v = response.headers["Retry-After"]?.revealed().trimmingSpaces() else { return nil }
        return Double(v)
    }

    static func looksLikeJSON(_ response: HTTPResponse) -> Bool {
        if let type = response.headers["Content-Type"]?.revealed().lowercased() {
            return type.contains("json")
        }
        guard let first = response.body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            return false
        }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    // MARK: Calls of the route table

    /// One call of `route` for the object `id`: the request and its answer.
    struct Call {
        let route: Route
        let id: Int?
        let url: String
        let response: HTTPResponse

        var operation: APIOperation { route.operation(id) }

        func problem(_ p: DecodingProblem) -> APIError {
            var e = APIError(decoding: p, operation: operation, method: route.method, url: url, status: response.status)
            e.route = route
            return e
        }

        /// The body parsed as JSON; an empty body, or one that is not JSON at all (a proxy's
        /// or a login portal's HTML page answered with 200), is an error.
        func json(expected: String) throws(APIError) -> JSON {
            if response.body.isEmpty { throw problem(.emptyBody(expected: expected)) }
            if !AOClient.looksLikeJSON(response) { throw problem(.unexpectedShape(expected: "JSON")) }
            do throws(JSONParseError) {
                return try JSONParser.parse(response.body)
            } catch {
                throw problem(.malformedJSON(error))
            }
        }
    }

    /// Sends `route` for the object `id` with `query` and `body`.
    func call(
        _ route: Route, _ id: Int? = nil, query: [(String, String?)] = [], body: Body? = nil,
        accept: String? = "application/json"
    ) async throws(APIError) -> Call {
        let u = url(route.path(id), query)
        let r = try await exchange(route.operation(id), route: route, method: route.method, url: u, body: body, accept: accept)
        return Call(route: route, id: id, url: u, response: r)
    }

    /// A route that answers one JSON object (an object or an action template).
    func object(_ route: Route, _ id: Int? = nil, query: [(String, String?)] = [], body: JSON? = nil) async throws(APIError) -> JSON {
        let c = try await call(route, id, query: query, body: body.map { .json($0) })
        if route.method == "PUT", c.response.body.isEmpty { return .null }
        let json = try c.json(expected: "a JSON object")
        guard case .object = json else { throw c.problem(.unexpectedShape(expected: "a JSON object")) }
        return json
    }

    /// A route that answers a collection envelope.
    func collection(_ route: Route, _ id: Int? = nil, query: [(String, String?)] = [], body: JSON? = nil) async throws(APIError) -> ResourceList {
        let c = try await call(route, id, query: query, body: body.map { .json($0) })
        let expected = "a list ({\"data\": [...], \"count\": n})"
        let json = try c.json(expected: expected)
        guard let list = ResourceList(json: json) else { throw c.problem(.unexpectedShape(expected: expected)) }
        return list
    }

    /// A route that answers a job (an empty body reads as a job without members).
    func job(_ route: Route, _ id: Int? = nil, body: Body?) async throws(APIError) -> Job {
        let c = try await call(route, id, body: body)
        if c.response.body.isEmpty { return Job(json: .object(JSONObject()))! }
        let json = try c.json(expected: "a job result")
        guard let job = Job(json: json) else { throw c.problem(.unexpectedShape(expected: "a job result (a JSON object)")) }
        return job
    }

    /// A route that answers nothing (204); returns the response (a task DELETE may answer 303).
    func nothing(_ route: Route, _ id: Int? = nil, query: [(String, String?)] = []) async throws(APIError) -> HTTPResponse {
        try await call(route, id, query: query).response
    }

    /// GET an action template, let the caller fill it in, POST it back (reference §1.10).
    /// Both requests are built from the base URL and the id, never from the template's href.
    func runAction(
        template: Route, invoke: Route, id: Int, fill: (inout JSON) throws(APIError) -> Void
    ) async throws(APIError) -> Job {
        var t = try await object(template, id)
        try fill(&t)
        return try await job(invoke, id, body: .json(t))
    }
}

/// The body of a raw request.
public enum RequestBody: Sendable, Hashable {
    /// No body.
    case none
    /// JSON, sent compact with `Content-Type: application/json`.
    case json(JSON)
    /// A `multipart/form-data` upload with one part named `file` (template import).
    case file(name: String, bytes: [UInt8])
    /// Bytes with their content type.
    case bytes([UInt8], contentType: String)
}

/// Base64 (RFC 4648): Basic credentials and the case files' binary bodies.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` in the standard alphabet, with padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes, or `nil` when `text` is not base64. Tolerant: the standard and the URL-safe
    /// alphabets are both read, and padding, spaces and line breaks are ignored.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        for c in text.utf8 {
            let v = decodeTable[Int(c)]
            if v == ignored { continue }
            guard v >= 0 else { return nil }
            values.append(UInt8(v))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count / 4 * 3 + 2)
        var i = 0
        while i + 1 < values.count {
            out.append(values[i] << 2 | values[i + 1] >> 4)
            if i + 2 < values.count { out.append(values[i + 1] << 4 | values[i + 2] >> 2) }
            if i + 3 < values.count { out.append(values[i + 2] << 6 | values[i + 3]) }
            i += 4
        }
        return out
    }

    /// A byte's 6-bit value, `ignored`, or -1 for a byte that is not base64.
    private static let decodeTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        for c in "= \n\r".utf8 { table[Int(c)] = ignored }
        return table
    }()
    private static let ignored: Int8 = -2
}
