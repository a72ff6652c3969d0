import AOClient
import ATSJSON
import ATSLanguage
import ATSSupport
import Foundation

/// One running command: its call, its context, and the helpers every handler uses to read
/// arguments and talk to the API through the session.
struct CommandRun: Sendable {
    let host: ShellHost
    let call: CommandCall
    let context: CommandContext

    var state: SessionState { host.state }
    var name: String { call.signature.name }

    // MARK: Arguments

    /// The error value for a misuse of this command.
    func failure(_ error: ShellError) -> ErrorValue {
        error.errorValue(command: call.text, location: call.location)
    }

    func bad(_ argument: Value, expected: String) -> ErrorValue {
        failure(.badArgument(command: call.text, argument: argument.text, expected: expected))
    }

    /// A value as the text a user would type (`Value.text`).
    static func text(_ value: Value) -> String { value.text }

    /// An id from a value: an integer, a numeric string, or an object with `instanceID`.
    static func id(_ value: Value) -> Int? {
        switch value {
        case .int(let i): return i
        case .double(let d) where d == d.rounded(): return Int(d)
        case .string(let s): return Int(s.trimmed())
        case .object(let o): return o["instanceID"].flatMap(id) ?? o["instanceId"].flatMap(id)
        default: return nil
        }
    }

    /// Positional argument `index`, if given.
    func argument(_ index: Int) -> Value? {
        index < call.arguments.count ? call.arguments[index] : nil
    }

    /// The error for an argument or option the command needs and was not given.
    func missing(_ what: String) -> ErrorValue {
        failure(.missingArgument(command: name, needs: what))
    }

    /// Positional argument `index` as an id.
    func id(_ index: Int, what: String = "an id") throws(ErrorValue) -> Int {
        guard let v = argument(index) else { throw missing(what) }
        guard let i = Self.id(v) else { throw bad(v, expected: what) }
        return i
    }

    /// Every positional argument as ids; lists (and listings of objects) are flattened.
    func ids(from start: Int = 0, what: String = "an id") throws(ErrorValue) -> [Int] {
        var result: [Int] = []
        func add(_ v: Value) throws(ErrorValue) {
            if case .list(let items) = v {
                for item in items { try add(item) }
                return
            }
            guard let i = Self.id(v) else { throw bad(v, expected: what) }
            result.append(i)
        }
        for v in call.arguments.dropFirst(start) { try add(v) }
        return result
    }

    /// Positional argument `index` as text.
    func string(_ index: Int) -> String? { argument(index).map(\.text) }

    /// A valued option as text.
    func option(_ name: String) -> String? {
        guard let v = call.options[name], !isNull(v) else { return nil }
        return v.text
    }

    /// A valued option as raw value.
    func optionValue(_ name: String) -> Value? {
        guard let v = call.options[name], !isNull(v) else { return nil }
        return v
    }

    /// A repeated option's values as text (a list value counts as several).
    func repeated(_ name: String) -> [String] {
        guard let v = call.options[name] else { return [] }
        if case .list(let items) = v {
            return items.flatMap { item -> [String] in
                if case .list(let inner) = item { return inner.map(\.text) }
                return [item.text]
            }
        }
        return [v.text]
    }

    /// A list-valued option (`--status a,b` or `--status [a, b]`) as strings.
    func list(_ name: String) -> [String]? {
        guard let v = optionValue(name) else { return nil }
        if case .list(let items) = v { return items.map(\.text) }
        return v.text.split(separator: ",").map { String($0).trimmed() }
    }

    func flag(_ name: String) -> Bool { call.flag(name) }

    /// `--param k=v` pairs, in order.
    func keyValues(_ name: String) throws(ErrorValue) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for item in repeated(name) {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw bad(.string(item), expected: "KEY=VALUE")
            }
            pairs.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        return pairs
    }

    /// A duration option: a duration value, or text such as `10s`.
    func duration(_ name: String, default fallback: Duration?) throws(ErrorValue) -> Duration? {
        guard let v = optionValue(name) else { return fallback }
        if case .duration(let d) = v { return d }
        if case .int(let i) = v { return .seconds(i) }
        guard let d = DurationParser.parse(v.text) else { throw failure(.badDuration(v.text)) }
        return d
    }

    /// A date option in the API's input form (zone offset with a colon).
    func date(_ name: String) -> String? {
        guard let v = optionValue(name) else { return nil }
        if case .time(let t) = v { return t.iso8601 }
        return APIDate.normalisedForSending(v.text)
    }

    private func isNull(_ v: Value) -> Bool {
        if case .null = v { return true }
        return false
    }

    // MARK: Talking to the API

    /// The open connection, or the error "not connected".
    func connection() throws(ErrorValue) -> Connection {
        if let c = state.connection { return c }
        if host.services.connectFromEnvironment(), let c = state.connection { return c }
        throw failure(.notConnected)
    }

    /// True when this command must print requests that change state instead of sending them.
    var isDryRun: Bool { state.dryRun || flag("dry-run") }

    /// Sends a request; nil when it changes state and dry-run is on (it was printed instead).
    @discardableResult
    func send(_ request: APIRequestSpec, hint: ErrorHint = .none) throws(ErrorValue) -> APIReply? {
        let connection = try connection()
        let gateway = connection.gateway
        let dryRun = request.changesState && isDryRun
        let output = context.output
        let printer = dryRun ? DryRunScope.Printer { @Sendable text in output.write(text) } : nil
        let exchange = ExchangeContext(statement: call.text, location: call.location?.description)
        let interrupt = context.interrupt
        do throws(APIError) {
            let reply = try BlockingCall.run(interrupted: { interrupt.isRaised }) { () async throws(APIError) -> APIReply in
                try await APIErrorScope.run {
                    try await ExchangeContext.$current.withValue(exchange) {
                        try await DryRunScope.$printer.withValue(printer) { try await gateway.send(request) }
                    }
                }
            }
            return dryRun ? nil : reply
        } catch {
            var hint = hint
            if case .taskAction(let id, let action, nil) = hint, ErrorMapping.status(of: error) == 409 {
                hint = .taskAction(id: id, action: action, currentStatus: currentStatus(of: id))
            }
            throw ErrorMapping.errorValue(error, request: request, baseURL: gateway.baseURL, call: call, hint: hint)
        }
    }

    /// The status of a task, or nil if it cannot be read.
    func currentStatus(of id: Int) -> String? {
        guard let gateway = state.connection?.gateway else { return nil }
        let interrupt = context.interrupt
        let reply = try? BlockingCall.run(interrupted: { interrupt.isRaised }) { () async throws(APIError) -> APIReply in
            try await gateway.send(APIRequestSpec("GET", "/objects/Tasks/\(id)"))
        }
        return reply?.json?["status"]?.stringValue
    }

    /// GET returning JSON (null for an empty body). A body that is not JSON (a proxy's or a
    /// login portal's HTML page answered with 200) is an error, never an empty result.
    func get(_ path: String, query: [(String, String)] = [], hint: ErrorHint = .none) throws(ErrorValue) -> JSON {
        let request = APIRequestSpec("GET", path, query: query)
        guard let reply = try send(request, hint: hint), !reply.body.isEmpty else { return .null }
        if let json = reply.json { return json }
        let base = state.connection?.gateway.baseURL ?? ""
        let problem = APIError(
            decoding: .unexpectedShape(expected: "JSON"), operation: APIOperation(.raw, .server), method: "GET",
            url: base + path, status: reply.status)
        throw ErrorMapping.errorValue(problem, request: request, baseURL: base, call: call, hint: hint)
    }

    /// A list function's items; `all` pages through HQL::offset/HQL::limit.
    func list(_ path: String, query: [(String, String)], limit: Int?, all: Bool) throws(ErrorValue) -> [JSON] {
        if !all {
            var q = query
            if let limit { q.append(("HQL::limit", String(limit))) }
            return try get(path, query: q)["data"]?.arrayValue ?? []
        }
        // 1,000 per page: a tenth of the requests of the API's default of 100 (HQL::limit
        // accepts up to 2^31 - 1); 100,000 tasks take 100 requests.
        let page = 1000
        var items: [JSON] = []
        while true {
            if context.interrupt.isRaised {
                throw ErrorMapping.interrupted(call)
            }
            var q = query
            q.append(("HQL::offset", String(items.count)))
            q.append(("HQL::limit", String(page)))
            let body = try get(path, query: q)
            let data = body["data"]?.arrayValue ?? []
            items += data
            let total = body["count"]?.intValue
            if data.isEmpty || data.count < page || (total.map { items.count >= $0 } ?? false) { break }
            if let limit, items.count >= limit { break }
        }
        if let limit, items.count > limit { items = Array(items.prefix(limit)) }
        return items
    }

    /// The common list options (`--filter`, `--sort`, `--limit`) as HQL query parameters,
    /// with `extraFilters` joined by `and`.
    func listQuery(extraFilters: [String]) throws(ErrorValue) -> [(String, String)] {
        var filters = extraFilters
        if let f = option("filter") { filters.append(extraFilters.isEmpty ? f : "(\(f))") }
        var q: [(String, String)] = []
        if !filters.isEmpty { q.append(("HQL::filter", filters.joined(separator: " and "))) }
        if let s = option("sort") { q.append(("HQL::sortBy", Self.sortBy(s))) }
        return q
    }

    /// `-submitTime` → `submitTime DESC`; `name desc` stays.
    static func sortBy(_ text: String) -> String {
        text.split(separator: ",").map { part -> String in
            let p = String(part).trimmed()
            if p.hasPrefix("-") { return String(p.dropFirst()) + " DESC" }
            if p.hasPrefix("+") { return String(p.dropFirst()) + " ASC" }
            return p
        }.joined(separator: ", ")
    }

    /// `--limit N`.
    func limit() throws(ErrorValue) -> Int? {
        guard let v = optionValue("limit") else { return nil }
        guard let n = Self.id(v), n >= 0 else { throw bad(v, expected: "a number of objects") }
        return n
    }

    /// GETs an action's template, lets `fill` change it, and invokes it. Returns the job
    /// (nil in dry-run).
    @discardableResult
    func invoke(
        _ resource: String, _ id: Int, _ action: String, hint: ErrorHint,
        fill: (inout JSON) throws(ErrorValue) -> Void = { _ throws(ErrorValue) in }
    ) throws(ErrorValue) -> JSON? {
        let base = "/objects/\(resource)/\(id)/actions/\(action)"
        var template = try get(base, hint: hint)
        if case .null = template {
            template = ["name": .string(action), "href": .string(base + "/invoke"), "method": "POST", "parameters": []]
        }
        try fill(&template)
        let reply = try send(APIRequestSpec("POST", base + "/invoke", body: .json(template)), hint: hint)
        return reply.map { $0.json ?? .null }
    }

    /// Asks before acting on several objects, on a terminal, unless `--yes` or dry-run.
    func confirm(_ what: String, count: Int) throws(ErrorValue) {
        guard count > 1, context.isInteractive, !flag("yes"), !isDryRun else { return }
        if !host.services.confirm("\(what)? [y/N] ") { throw failure(.declined(command: call.text)) }
    }

    /// A short note on stderr for a person at a terminal (scripts stay quiet).
    func note(_ text: String) {
        if context.isInteractive { context.output.writeError(text + "\n") }
    }

    /// `--output FORMAT` prints the value in that format; the command's value is then null.
    func applyOutputOption(_ value: Value) throws(ErrorValue) -> Value {
        guard let f = option("output") else { return value }
        guard let format = OutputFormat(name: f) else { throw failure(.unknownFormat(f)) }
        if case .null = value { return .null }
        context.output.write(host.services.output.render(value, format: format))
        return .null
    }

    /// The new value for the language.
    static func value(_ json: JSON) -> Value { Value(json) }
    static func value(_ items: [JSON]) -> Value { .list(items.map(Value.init)) }
}
