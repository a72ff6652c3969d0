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
        case .string(let s): return Int(s.trimmingCharacters(in: " "))
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
        return v.text.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
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

    /// Runs typed operations of the client core (the only way commands reach the API):
    /// trace, record and dry-run scopes, Ctrl-C, and the client's error as an error value.
    /// With `dryRunPrints` false a POST that only reads (template export) is still sent.
    func call<T: Sendable>(
        dryRunPrints: Bool = true, _ body: @escaping @Sendable (AOClient) async throws(APIError) -> T
    ) throws(ErrorValue) -> T {
        let client = try connection().gateway.client
        let output = context.output
        let printer = dryRunPrints && isDryRun ? DryRunScope.Printer { @Sendable text in output.write(text) } : nil
        let exchange = ExchangeContext(statement: call.text, location: call.location?.description)
        let interrupt = context.interrupt
        do throws(APIError) {
            return try BlockingCall.run(interrupted: { interrupt.isRaised }) { () async throws(APIError) -> T in
                try await APIErrorScope.run {
                    try await ExchangeContext.$current.withValue(exchange) {
                        try await DryRunScope.$printer.withValue(printer) { try await body(client) }
                    }
                }
            }
        } catch {
            throw ErrorMapping.errorValue(error, request: nil, baseURL: client.address.apiRoot, call: call)
        }
    }

    /// A raw request (the `api` command); nil when it changes state and dry-run is on.
    func send(_ request: APIRequestSpec) throws(ErrorValue) -> APIReply? {
        let gateway = try connection().gateway
        let reply = try call { _ throws(APIError) in try await gateway.send(request) }
        return request.changesState && isDryRun ? nil : reply
    }

    /// A list function's items: one page of at most `--limit` objects, or with `--all`
    /// every page (the client core pages with its page size and paging parameters).
    func list(
        _ hql: HQLOptions, _ page: @escaping @Sendable (AOClient, HQLOptions) async throws(APIError) -> ResourceList
    ) throws(ErrorValue) -> [JSON] {
        let limit = try self.limit()
        guard flag("all") else {
            var one = hql
            one.limit = limit
            let first = one
            return try call { client throws(APIError) in try await page(client, first).items }
        }
        let interrupt = context.interrupt
        return try call { client throws(APIError) in
            try await client.allPages(hql, limit: limit, interrupted: { interrupt.isRaised }) { h throws(APIError) in
                try await page(client, h)
            }
        }
    }

    /// A list function's items for `query` with the common list options (`--filter`,
    /// `--sort`, `--limit`, `--all`) and `extraFilters` set in its HQL options.
    func list<Q: HQLQuery>(
        _ query: Q, extraFilters: [String] = [], _ page: @escaping @Sendable (AOClient, Q) async throws(APIError) -> ResourceList
    ) throws(ErrorValue) -> [JSON] {
        try list(listOptions(extraFilters: extraFilters)) { c, hql throws(APIError) in
            var q = query
            q.hql = hql
            return try await page(c, q)
        }
    }

    /// The id given to option `name`, if any (`--template 1116`).
    func idOption(_ name: String, what: String) throws(ErrorValue) -> Int? {
        guard let v = optionValue(name) else { return nil }
        guard let id = Self.id(v) else { throw bad(v, expected: what) }
        return id
    }

    /// Runs one action on each id, in order: the server's job for each (one job for one id,
    /// a list for several).
    func eachJob(
        _ ids: [Int], did action: String, _ op: @escaping @Sendable (AOClient, Int) async throws(APIError) -> Job
    ) throws(ErrorValue) -> Value {
        var jobs: [Value] = []
        for id in ids {
            let j = try call { c throws(APIError) in try await op(c, id) }
            jobs.append(job(j, did: action))
        }
        return self.jobs(jobs, ids: ids)
    }

    /// The common list options (`--filter`, `--sort`) as HQL options, with `extraFilters`
    /// joined by `and`.
    func listOptions(extraFilters: [String] = []) -> HQLOptions {
        var filters = extraFilters
        if let f = option("filter") { filters.append(extraFilters.isEmpty ? f : "(\(f))") }
        return HQLOptions(filter: filters.isEmpty ? nil : filters.joined(separator: " and "), sortBy: option("sort").map(Self.sortBy))
    }

    /// `-submitTime` → `submitTime DESC`; `name desc` stays.
    static func sortBy(_ text: String) -> String {
        text.split(separator: ",").map { part -> String in
            let p = String(part).trimmingCharacters(in: " ")
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

    /// The value of an action: the server's job, labelled with what was done for the
    /// one-line terminal form; null in dry-run (the request was printed instead).
    func job(_ job: Job, did action: String) -> Value {
        if isDryRun { return .null }
        if let id = job.instanceID { host.services.output.label(job: id, action) }
        return Self.value(job.raw)
    }

    /// The values of an action on several objects: one job for one id, a list in the order
    /// given for several; null in dry-run.
    func jobs(_ jobs: [Value], ids: [Int]) -> Value {
        if isDryRun { return .null }
        return ids.count == 1 && jobs.count == 1 ? jobs[0] : .list(jobs)
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
