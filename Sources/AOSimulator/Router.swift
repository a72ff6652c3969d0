import Foundation
import AOClient
import ATSJSON

/// One parsed request.
struct SimRequest {
    var method: String
    /// `scheme://host:port` of the request URL (hrefs are built from it).
    var base: String
    /// The path after `/Automation/v1`, e.g. `/objects/Tasks/5381`.
    var path: String
    var segments: [String]
    var query: [(name: String, value: String)]
    var headers: HTTPHeaderFields
    var body: [UInt8]?
    var fullURL: String

    func query(_ name: String) -> String? { query.first { $0.name == name }?.value }
    func has(_ name: String) -> Bool { query.contains { $0.name == name } }

    /// Splits an absolute URL; `nil` if it is not `scheme://authority/path`.
    init?(_ r: HTTPRequest) {
        method = r.method.uppercased()
        headers = r.headers
        body = r.body
        fullURL = r.url
        guard let schemeEnd = r.url.firstRange(of: "://") else { return nil }
        let afterScheme = r.url[schemeEnd.upperBound...]
        let slash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        base = String(r.url[..<slash])
        let rest = afterScheme[slash...]
        let pathPart: Substring
        if let q = rest.firstIndex(of: "?") {
            pathPart = rest[..<q]
            query = rest[rest.index(after: q)...].split(separator: "&", omittingEmptySubsequences: true).map { item in
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (Self.decode(kv[0]), kv.count > 1 ? Self.decode(kv[1]) : "")
            }
        } else {
            pathPart = rest
            query = []
        }
        var p = Self.decode(pathPart)
        let prefix = "/Automation/v1"
        if p.hasPrefix(prefix + "/") || p == prefix {
            p = String(p.dropFirst(prefix.count))
        } else {
            p = "!" + p  // outside the API: no route matches
        }
        path = p
        segments = p.split(separator: "/").map(String.init)
    }

    /// Percent-decoding, with `+` as space (as HTML forms and curl `--data-urlencode` send it).
    static func decode(_ s: Substring) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(s) }
        return QueryEncoding.decode(s, plusIsSpace: true)
    }
}

/// The authenticated user of a request.
struct Caller {
    var index: Int
    var user: SimulatorUser

    func role(in group: String) -> SimulatorRole? { user.role(inGroup: group) }

    /// The strongest role the user holds anywhere (for templates, which belong to no group).
    var bestRole: SimulatorRole? {
        if let r = user.allGroupsRole { return r }
        return SimulatorRole.allCases.first { r in user.groupRoles.values.contains(r) }
    }
}

/// What a handler answers.
enum Outcome {
    case json(JSON, status: Int)
    case noContent
    case seeOther(location: String)
    case html(String)
    case download(bytes: [UInt8], filename: String)
}

/// Role sets of reference §1.6.
enum Roles {
    static let all: Set<SimulatorRole> = [.admin, .develop, .modify, .submit]
    static let adm: Set<SimulatorRole> = [.admin, .develop, .modify]
    static let ad: Set<SimulatorRole> = [.admin, .develop]

    static func describe(_ roles: Set<SimulatorRole>) -> String {
        SimulatorRole.allCases.filter { roles.contains($0) }.map(\.rawValue).joined(separator: ", ")
    }
}

extension SimState {
    func context(_ req: SimRequest) -> RenderContext {
        RenderContext(
            offsetSeconds: config.utcOffsetSeconds, statusStrings: config.statusStrings, baseURL: req.base,
            quirks: config.quirks, supportedActions: supportedActions)
    }

    // MARK: The request pipeline

    func respond(to request: HTTPRequest) -> SimulatorReply {
        requestCount += 1
        let now = self.now
        advance(to: now)
        guard let req = SimRequest(request) else {
            let r = errorResponse(.noSuchRoute(method: request.method, path: request.url), errorSource: request.url, token: nil, now: now)
            return SimulatorReply(response: r, delay: .zero, drop: false)
        }
        // Fault injection comes first: a starting server, dropped connections, delays, 500s.
        var delay: Duration = .zero
        if faults.delay > .zero,
            faults.delayRoutes.isEmpty || faults.delayRoutes.contains(where: { $0.matches(method: req.method, path: req.path) })
        {
            delay = faults.delay
        }
        if faults.drop.contains(where: { $0.matches(method: req.method, path: req.path) }) {
            return SimulatorReply(response: HTTPResponse(status: 0), delay: delay, drop: true)
        }
        if requestCount <= faults.startingRequests
            || Double(now - createdAt) < faults.startingSeconds * 1000
        {
            var r = errorResponse(.starting(retryAfter: faults.retryAfterSeconds), errorSource: req.fullURL, token: nil, now: now)
            r.headers.add("Retry-After", String(faults.retryAfterSeconds))
            return SimulatorReply(response: r, delay: delay, drop: false)
        }
        if faults.internalError.contains(where: { $0.matches(method: req.method, path: req.path) }) {
            let r = errorResponse(.injected(path: req.path), errorSource: req.fullURL, token: nil, now: now)
            return SimulatorReply(response: r, delay: delay, drop: false)
        }
        return SimulatorReply(response: handle(req, now: now), delay: delay, drop: false)
    }

    private func handle(_ req: SimRequest, now: Int64) -> HTTPResponse {
        if req.method == "OPTIONS" {
            var h = baseHeaders(now: now, token: nil)
            h.add("Allow", "GET, POST, DELETE, PUT, HEAD, OPTIONS")
            h.add("Content-Length", "0")
            return HTTPResponse(status: 200, reason: "OK", headers: h, body: [])
        }
        // 401 first.
        let caller: Caller
        switch authenticate(req, now: now) {
        case .success(let c): caller = c
        case .failure(let e): return errorResponse(e, errorSource: req.fullURL, token: nil, now: now)
        }
        let token = tokens.issue(user: caller.index, now: now, lifetimeSeconds: faults.tokenLifetimeSeconds, rng: &tokenRNG)
        do throws(SimulatorError) {
            try checkFormats(req)
            let isHead = req.method == "HEAD"
            var routed = req
            if isHead { routed.method = "GET" }
            let outcome = try route(routed, caller, now: now)
            var response = render(outcome, req: req, token: token, now: now)
            if isHead {
                response.body = []
            }
            return response
        } catch {
            return errorResponse(error, errorSource: req.fullURL, token: token, now: now)
        }
    }

    private func authenticate(_ req: SimRequest, now: Int64) -> Result<Caller, SimulatorError> {
        guard let header = req.headers["Authorization"]?.revealed() else {
            return .failure(.unauthenticated(reason: "no Authorization header"))
        }
        let trimmed = header.trimmingSpaces
        if trimmed.lowercased().hasPrefix("basic ") {
            let encoded = String(trimmed.dropFirst(6)).trimmingSpaces
            guard let decoded = Base64.decode(encoded), let colon = decoded.firstIndex(of: ":") else {
                return .failure(.unauthenticated(reason: "the Basic credentials are not valid base64 'user:password'"))
            }
            let name = String(decoded[..<colon]), password = String(decoded[decoded.index(after: colon)...])
            guard let i = config.users.firstIndex(where: { $0.name.lowercased() == name.lowercased() && $0.password == password }) else {
                return .failure(.unauthenticated(reason: "unknown user or wrong password"))
            }
            return .success(Caller(index: i, user: config.users[i]))
        }
        if trimmed.hasPrefix("HSSO ") {
            let token = String(trimmed.dropFirst(5))
            guard let i = tokens.user(of: token, now: now), config.users.indices.contains(i) else {
                return .failure(.unauthenticated(reason: "the HSSO token is unknown or expired"))
            }
            return .success(Caller(index: i, user: config.users[i]))
        }
        return .failure(.unauthenticated(reason: "unsupported authorization scheme"))
    }

    private func checkFormats(_ req: SimRequest) throws(SimulatorError) {
        if let alt = req.query("alt"), alt.lowercased() != "json" { throw .notAcceptable("alt=\(alt)") }
        if let accept = req.headers["Accept"]?.revealed().lowercased(), !accept.isEmpty {
            let ok = ["application/json", "*/*", "application/*", "text/html", "application/octet-stream", "multipart/form-data"]
            if !ok.contains(where: { accept.contains($0) }) { throw .notAcceptable(accept) }
        }
        if (req.method == "POST" || req.method == "PUT"), let body = req.body, !body.isEmpty,
            let type = req.headers["Content-Type"]?.revealed().lowercased(), !type.isEmpty,
            !type.contains("application/json"), !type.contains("multipart/form-data"), !type.contains("text/plain")
        {
            throw .unsupportedMediaType(type)
        }
    }

    // MARK: Responses

    func baseHeaders(now: Int64, token: String?, cacheControl: String = "no-cache") -> HTTPHeaderFields {
        var h = HTTPHeaderFields()
        h.add("Date", SimTime.rfc1123(now))
        h.add("Server", "Cosminexus HTTP Server")
        h.add("Access-Control-Expose-Headers", "WWW-Authenticate")
        if let token { h.add("WWW-Authenticate", .secret(Secret("HSSO " + token))) }
        h.add("Access-Control-Allow-Origin", "*")
        h.add("Access-Control-Allow-Methods", "GET, POST, DELETE, PUT, HEAD, OPTIONS")
        h.add("Access-Control-Allow-Credentials", "true")
        h.add("Cache-Control", cacheControl)
        return h
    }

    private func render(_ outcome: Outcome, req: SimRequest, token: String, now: Int64) -> HTTPResponse {
        let cache = req.path == "/user" ? "no-store, no-transform" : "no-cache"
        var h = baseHeaders(now: now, token: token, cacheControl: cache)
        switch outcome {
        case .json(let json, let status):
            var body: [UInt8] = []
            JSONWriter.pretty.write(json, into: &body)
            h.add("Transfer-Encoding", "chunked")
            h.add("Content-Type", "application/json")
            return HTTPResponse(status: status, reason: HTTPStatusText.reason(for: status), headers: h, body: body)
        case .noContent:
            h.add("Content-Length", "0")
            return HTTPResponse(status: 204, reason: "No Content", headers: h, body: [])
        case .seeOther(let location):
            h.add("Location", location)
            h.add("Transfer-Encoding", "chunked")
            h.add("Content-Type", "text/html;charset=utf-8")
            let html = "<html><head><title>303 See Other</title></head><body><h1>See Other</h1>"
                + "<p>The task is not a debug task and cannot be deleted; archive it: <a href=\"\(location)\">\(location)</a></p></body></html>\n"
            return HTTPResponse(status: 303, reason: "See Other", headers: h, body: Array(html.utf8))
        case .html(let text):
            h.add("Transfer-Encoding", "chunked")
            h.add("Content-Type", "text/html;charset=utf-8")
            return HTTPResponse(status: 200, reason: "OK", headers: h, body: Array(text.utf8))
        case .download(let bytes, let filename):
            h.add("Transfer-Encoding", "chunked")
            h.add("Content-Type", "application/octet-stream")
            h.add("Content-disposition", "attachment; filename=\"\(filename)\"")
            return HTTPResponse(status: 200, reason: "OK", headers: h, body: bytes)
        }
    }

    func errorResponse(_ e: SimulatorError, errorSource: String, token: String?, now: Int64) -> HTTPResponse {
        var h = baseHeaders(now: now, token: token)
        if case .unauthenticated = e {
            h.add("WWW-Authenticate", "Basic realm=\"Automation\"")
            h.add("WWW-Authenticate", "HSSO")
        }
        h.add("Transfer-Encoding", "chunked")
        h.add("Content-Type", "application/json")
        let body: JSON = [
            "errorSource": .string(errorSource), "message": .string(e.message),
            "messageID": .string(e.messageID), "application": "Automation",
        ]
        var bytes: [UInt8] = []
        JSONWriter.pretty.write(body, into: &bytes)
        return HTTPResponse(status: e.status, reason: HTTPStatusText.reason(for: e.status), headers: h, body: bytes)
    }

    // MARK: Shared pieces of handlers

    /// 403 unless the caller holds one of `roles` in `group` (nil: the caller's best role).
    func require(_ roles: Set<SimulatorRole>, _ caller: Caller, group: String?, _ operation: String) throws(SimulatorError) {
        let role = group.map { caller.role(in: $0) } ?? caller.bestRole
        guard let role, roles.contains(role) else {
            throw .forbidden(operation: operation, role: Roles.describe(roles))
        }
    }

    func visible(_ caller: Caller, group: String) -> Bool { caller.role(in: group) != nil }

    /// An action template (reference §1.10).
    func template(_ ctx: RenderContext, name: String, href: String, method: String = "POST", parameters: [JSON] = []) -> JSON {
        let h = ctx.quirks.contains(.leadingSpaceHref) ? " " + href : href
        let params: JSON = parameters.isEmpty && ctx.quirks.contains(.nullParameters) ? .null : .array(parameters)
        return ["name": .string(name), "href": .string(h), "method": .string(method), "parameters": params]
    }

    /// A job result (reference §1.10). `schemaSpelling`: the function's schema writes `instanceId`.
    func job(
        _ ctx: RenderContext, affected: [String], now: Int64, schemaSpelling: Bool = false,
        result: [JSON]? = [], resultType: String? = nil
    ) -> JSON {
        var o = JSONObject()
        o.appendUnchecked(key: schemaSpelling && ctx.quirks.contains(.instanceId) ? "instanceId" : "instanceID", value: .string(uuid()))
        let stamp = JSON.string(SimTime.format(now, offsetSeconds: ctx.offsetSeconds))
        o.appendUnchecked(key: "created", value: stamp)
        o.appendUnchecked(key: "updated", value: stamp)
        o.appendUnchecked(key: "completed", value: stamp)
        o.appendUnchecked(key: "state", value: "success")
        // By default the members of the seed page's captured example (2.7.9): `affectedResource`, an array.
        let affectedKey = ctx.quirks.contains(.affectedResources) ? "affectedResources" : "affectedResource"
        if ctx.quirks.contains(.affectedResourceString) {
            o.appendUnchecked(key: affectedKey, value: .string(affected.first ?? ""))
        } else {
            o.appendUnchecked(key: affectedKey, value: .array(affected.map { .string($0) }))
        }
        if let result { o.appendUnchecked(key: "result", value: .array(result)) }
        if let resultType { o.appendUnchecked(key: "resultType", value: .string(resultType)) }
        return .object(o)
    }

    func collection(_ items: [JSON]) -> JSON {
        ["data": .array(items), "count": .int(items.count)]
    }

    /// A list function with the HQL options and `q` (reference §1.8, §1.9).
    /// `keep` applies the plain query parameters and visibility.
    func list<R: SimResource>(
        _ items: [R], _ req: SimRequest, _ ctx: RenderContext, keep: ((R) -> Bool)? = nil
    ) throws(SimulatorError) -> Outcome {
        var predicate: HQLPredicate<R>?
        if let text = req.query("HQL::filter"), !text.trimmingSpaces.isEmpty {
            do throws(HQLError) {
                let expression = try HQLParser.parse(text)
                predicate = try HQLPredicate<R>(expression) { m in
                    for item in items {
                        let v = item.value(m, ctx)
                        if case .null = v { continue }
                        return v
                    }
                    return nil
                }
            } catch {
                throw .badFilter(error)
            }
        }
        var sort: HQLSort<R>?
        if let text = req.query("HQL::sortBy"), !text.trimmingSpaces.isEmpty {
            do throws(HQLError) { sort = try HQLSort<R>(text) } catch { throw .badSort(error) }
        }
        var fields: [R.Member]?
        if let text = req.query("HQL::fields"), !text.trimmingSpaces.isEmpty {
            let names = Set(text.split(separator: ",").map { $0.trimmingSpaces.trimmingBrackets })
            fields = R.Member.allCases.filter { names.contains($0.rawValue) }
        }
        let offset = try nonNegative(req, "HQL::offset") ?? 0
        let limit = try nonNegative(req, "HQL::limit")
        let words = (req.query("q") ?? "").lowercased().split(separator: " ").map(String.init)

        func page<C: RandomAccessCollection>(_ c: C, count: Int) -> Outcome where C.Element == R, C.Index == Int {
            let lo = min(offset, c.count)
            let hi = limit.map { min(c.count, lo + $0) } ?? c.count
            var out: [JSON] = []
            out.reserveCapacity(hi - lo)
            for k in lo..<hi { out.append(c[c.startIndex + k].render(ctx, fields: fields)) }
            return .json(["data": .array(out), "count": .int(count)], status: 200)
        }
        if predicate == nil && sort == nil && keep == nil && words.isEmpty {
            return page(items, count: items.count)
        }
        var selected: [R] = []
        for item in items {
            if let keep, !keep(item) { continue }
            if let predicate, !predicate.matches(item, ctx) { continue }
            if !words.isEmpty {
                let texts = item.searchTexts(ctx).map { $0.lowercased() }
                if !words.allSatisfy({ w in texts.contains { $0.contains(w) } }) { continue }
            }
            selected.append(item)
        }
        if let sort { selected.sort { sort.precedes($0, $1, ctx) } }
        return page(selected, count: selected.count)
    }

    func nonNegative(_ req: SimRequest, _ name: String) throws(SimulatorError) -> Int? {
        guard let text = req.query(name) else { return nil }
        guard let v = Int(text.trimmingSpaces), v >= 0 else {
            throw .badQuery(name: name, value: text, expected: "a non-negative integer")
        }
        return v
    }

    func intQuery(_ req: SimRequest, _ name: String) throws(SimulatorError) -> Int? {
        guard let text = req.query(name) else { return nil }
        guard let v = Int(text.trimmingSpaces) else { throw .badQuery(name: name, value: text, expected: "an integer id") }
        return v
    }

    func boolQuery(_ req: SimRequest, _ name: String) throws(SimulatorError) -> Bool? {
        guard let text = req.query(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw .badQuery(name: name, value: text, expected: "true or false")
        }
    }

    func dateQuery(_ req: SimRequest, _ name: String) throws(SimulatorError) -> Int64? {
        guard var text = req.query(name) else { return nil }
        // An unencoded `+` in a query reads as a space; take it back for the zone offset.
        text = String(text.map { $0 == " " ? "+" : $0 })
        switch SimTime.parseInput(text, defaultOffsetSeconds: config.utcOffsetSeconds) {
        case .success(let ms): return ms
        case .failure(let reason): throw .badDate(field: name, value: text, reason: reason)
        }
    }

    /// The parsed JSON body (an empty body is an empty object).
    func bodyObject(_ req: SimRequest) throws(SimulatorError) -> JSONObject {
        guard let body = req.body, !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            return JSONObject()
        }
        let json: JSON
        do { json = try JSONParser.parse(body) } catch { throw .badBody("not valid JSON: \(error)") }
        guard case .object(let o) = json else { throw .badBody("expected a JSON object") }
        return o
    }

    /// The `parameters` array of an invoke body (absent or null → empty).
    func parameters(_ body: JSONObject) throws(SimulatorError) -> [JSONObject] {
        guard let p = body["parameters"], !p.isNull else { return [] }
        guard case .array(let items) = p else { throw .badBody("'parameters' must be an array") }
        var out: [JSONObject] = []
        for item in items {
            guard case .object(var o) = item else { throw .badBody("each element of 'parameters' must be an object") }
            // Wrapper form: { "Schedule": {...} } / { "PropertyValue": {...} } / { "ResponseInput": {...} }
            if o.count == 1, let inner = o.values.first?.objectValue,
                ["Schedule", "PropertyValue", "PropertyValues", "ResponseInput", "Services", "Service", "ServiceTemplate"].contains(o.keys[0])
            {
                o = inner
            }
            out.append(o)
        }
        return out
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

/// Base64 decoding for Basic credentials (no Foundation).
enum Base64 {
    /// The value of each byte as a Base64 digit, or -1.
    private static let table: [Int] = {
        var table = [Int](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = i }
        return table
    }()

    static func decode(_ text: String) -> String? {
        let table = Self.table
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") { break }
            let v = table[Int(c)]
            guard v >= 0 else { return nil }
            buffer = (buffer << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> bits) & 0xFF))
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
