/// Percent-encoding and query strings, built by hand (strict; Foundation's URL encoding
/// leaves `+`, `'` and others alone, which the server would misread).
public enum QueryEncoding {
    /// Encodes one query name or value: everything except the unreserved characters
    /// (`A–Z a–z 0–9 - . _ ~`) and `:` `,` is written as `%XX` of its UTF-8 bytes. A space
    /// becomes `%20` (never `+`), `+` becomes `%2B`, `'` `%27`, `[` `%5B`, `&` `%26`.
    public static func encode(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if isKept(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes a path segment (an id or an action name): like `encode`, `:` and `,` included.
    public static func encodePathSegment(_ text: String) -> String {
        var out = [UInt8]()
        for b in text.utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `name=value&name=value…`; an item with a `nil` value is written as the bare name
    /// (TaskLogs' `reverse`).
    public static func queryString(_ items: [(String, String?)]) -> String {
        var out = ""
        for (i, (name, value)) in items.enumerated() {
            if i > 0 { out += "&" }
            out += encode(name)
            if let value { out += "=" + encode(value) }
        }
        return out
    }

    /// Makes a query string typed by a person safe to send: characters that are not
    /// allowed in a query are encoded; existing `%XX` escapes, `&` and `=` are kept.
    public static func encodeLenient(_ query: String) -> String {
        let bytes = Array(query.utf8)
        var out = [UInt8]()
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) {
                out.append(contentsOf: bytes[i...(i + 2)])
                i += 3
                continue
            }
            if isKept(b) || b == UInt8(ascii: "&") || b == UInt8(ascii: "=") || b == UInt8(ascii: "/") {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes, and `+` as a space when `plusIsSpace` (form encoding). An
    /// invalid escape is kept as written; invalid UTF-8 becomes U+FFFD.
    public static func decode(_ text: some StringProtocol, plusIsSpace: Bool = false) -> String {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plusIsSpace && bytes[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    private static func isKept(_ b: UInt8) -> Bool {
        isUnreserved(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: ",")
    }

    private static func isHex(_ b: UInt8) -> Bool { hexValue(b) != nil }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}

/// The HQL parameters every list function takes (reference §1.8).
public struct HQLOptions: Sendable, Hashable {
    /// `HQL::filter`, e.g. `status eq 'failed' and serviceName starts 'Backup'`.
    public var filter: String?
    /// `HQL::sortBy`, e.g. `submitTime DESC`.
    public var sortBy: String?
    /// `HQL::fields`: only these members.
    public var fields: [String]
    /// `HQL::offset`: index of the first item.
    public var offset: Int?
    /// The maximum count (`HQL::limit` by default; see `APIConventions.limitParameter`).
    public var limit: Int?

    /// HQL parameters; `nil` and empty values are not sent.
    public init(filter: String? = nil, sortBy: String? = nil, fields: [String] = [], offset: Int? = nil, limit: Int? = nil) {
        self.filter = filter
        self.sortBy = sortBy
        self.fields = fields
        self.offset = offset
        self.limit = limit
    }

    func items(limitName: String) -> [(String, String?)] {
        var out: [(String, String?)] = []
        if let filter { out.append(("HQL::filter", filter)) }
        if let sortBy { out.append(("HQL::sortBy", sortBy)) }
        if !fields.isEmpty { out.append(("HQL::fields", fields.joined(separator: ","))) }
        if let offset { out.append(("HQL::offset", String(offset))) }
        if let limit { out.append((limitName, String(limit))) }
        return out
    }

    /// Quotes a string for use inside an HQL filter: `O'Neil` → `'O''Neil'`.
    public static func quote(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "''") + "'"
    }
}

extension String {
    /// The string with every `target` replaced, scalar by scalar: a quote followed by a
    /// combining mark, or the `\r` of a `\r\n`, is still found (as one `Character` it would not be).
    public func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == target { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }
}

/// Plain query parameters shared by the query structs.
struct QueryBuilder {
    var items: [(String, String?)] = []
    mutating func add(_ name: String, _ value: Int?) { if let value { items.append((name, String(value))) } }
    mutating func add(_ name: String, _ value: String?) { if let value { items.append((name, value)) } }
    mutating func add(_ name: String, _ value: Bool?) { if let value { items.append((name, value ? "true" : "false")) } }
    mutating func add(_ name: String, list: [String]) {
        if !list.isEmpty { items.append((name, list.joined(separator: ","))) }
    }
    mutating func add(_ hql: HQLOptions, limitName: String) { items += hql.items(limitName: limitName) }
    mutating func add(extra: [(String, String)]) { for (k, v) in extra { items.append((k, v)) } }
    /// `tags` (comma-separated) and `q`, the full-text search that several lists take.
    mutating func add(tags: [String], q: String?) {
        add("tags", list: tags)
        add("q", q)
    }
}

/// A list query whose HQL options (filter, sort, paging) a caller may set.
public protocol HQLQuery: Sendable {
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    var hql: HQLOptions { get set }
}

extension TaskQuery: HQLQuery {}
extension TaskHistoryQuery: HQLQuery {}
extension ServiceQuery: HQLQuery {}
extension ServiceTemplateQuery: HQLQuery {}
extension ScheduleQuery: HQLQuery {}
extension TagQuery: HQLQuery {}

/// A list function's query: the parameters that are its own, then the HQL options, then the
/// extra parameters as given.
protocol ListQuery {
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    var hql: HQLOptions { get }
    /// Further parameters, sent as given after all others.
    var extra: [(String, String)] { get }
    /// Adds the parameters that are this query's own, in the order they are sent.
    func addOwnItems(to b: inout QueryBuilder)
}

extension ListQuery {
    /// All parameters in the order they are sent; the maximum count is named `limitName`.
    func items(limitName: String) -> [(String, String?)] {
        var b = QueryBuilder()
        addOwnItems(to: &b)
        b.add(hql, limitName: limitName)
        b.add(extra: extra)
        return b.items
    }
}

/// `GET /objects/Tasks` parameters (2.7.1).
public struct TaskQuery: Sendable, ListQuery {
    /// `serviceID`: only objects of this service.
    public var serviceID: Int?
    /// `scheduleID`: only tasks of this schedule.
    public var scheduleID: Int?
    /// `serviceGroupID`: only objects of this service group.
    public var serviceGroupID: Int?
    /// `serviceTemplateID`: only objects made from this template.
    public var serviceTemplateID: Int?
    /// Tasks that have all these tags.
    public var tags: [String]
    /// Case-insensitive full-text search; several words must all match.
    public var q: String?
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    public var hql: HQLOptions
    /// Further parameters, sent as given (after the ones above).
    public var extra: [(String, String)]

    /// A query; `nil` and empty values are not sent.
    public init(
        serviceID: Int? = nil, scheduleID: Int? = nil, serviceGroupID: Int? = nil, serviceTemplateID: Int? = nil,
        tags: [String] = [], q: String? = nil, hql: HQLOptions = HQLOptions(), extra: [(String, String)] = []
    ) {
        self.serviceID = serviceID
        self.scheduleID = scheduleID
        self.serviceGroupID = serviceGroupID
        self.serviceTemplateID = serviceTemplateID
        self.tags = tags
        self.q = q
        self.hql = hql
        self.extra = extra
    }

    func addOwnItems(to b: inout QueryBuilder) {
        b.add("serviceID", serviceID)
        b.add("scheduleID", scheduleID)
        b.add("serviceGroupID", serviceGroupID)
        b.add("serviceTemplateID", serviceTemplateID)
        b.add(tags: tags, q: q)
    }
}

/// `GET /objects/TaskHistories` parameters (2.8.1).
public struct TaskHistoryQuery: Sendable, ListQuery {
    /// Records whose start time is at or after this date (sent as `+hh:mm`).
    public var start: String?
    /// Records whose completion time is at or before this date.
    public var end: String?
    /// `serviceGroupID`: only objects of this service group.
    public var serviceGroupID: Int?
    /// `tags`: objects that have all these tags (sent comma-separated).
    public var tags: [String]
    /// `q`: case-insensitive full-text search; several words must all match.
    public var q: String?
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    public var hql: HQLOptions
    /// Further parameters, sent as given after the ones above.
    public var extra: [(String, String)]

    /// A query; `nil` and empty values are not sent.
    public init(
        start: String? = nil, end: String? = nil, serviceGroupID: Int? = nil, tags: [String] = [], q: String? = nil,
        hql: HQLOptions = HQLOptions(), extra: [(String, String)] = []
    ) {
        self.start = start
        self.end = end
        self.serviceGroupID = serviceGroupID
        self.tags = tags
        self.q = q
        self.hql = hql
        self.extra = extra
    }

    func addOwnItems(to b: inout QueryBuilder) {
        b.add("start", start.map(APIDate.normalisedForSending))
        b.add("end", end.map(APIDate.normalisedForSending))
        b.add("serviceGroupID", serviceGroupID)
        b.add(tags: tags, q: q)
    }
}

/// `GET /objects/Services` parameters (2.5.1).
public struct ServiceQuery: Sendable, ListQuery {
    /// `serviceGroupID`: only objects of this service group.
    public var serviceGroupID: Int?
    /// `serviceTemplateID`: only objects made from this template.
    public var serviceTemplateID: Int?
    /// `favorite`: only (non-)favourite services.
    public var favorite: Bool?
    /// Services having a property whose `keyName` contains this text.
    public var propertyKey: String?
    /// `tags`: objects that have all these tags (sent comma-separated).
    public var tags: [String]
    /// `q`: case-insensitive full-text search; several words must all match.
    public var q: String?
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    public var hql: HQLOptions
    /// Further parameters, sent as given after the ones above.
    public var extra: [(String, String)]

    /// A query; `nil` and empty values are not sent.
    public init(
        serviceGroupID: Int? = nil, serviceTemplateID: Int? = nil, favorite: Bool? = nil, propertyKey: String? = nil,
        tags: [String] = [], q: String? = nil, hql: HQLOptions = HQLOptions(), extra: [(String, String)] = []
    ) {
        self.serviceGroupID = serviceGroupID
        self.serviceTemplateID = serviceTemplateID
        self.favorite = favorite
        self.propertyKey = propertyKey
        self.tags = tags
        self.q = q
        self.hql = hql
        self.extra = extra
    }

    func addOwnItems(to b: inout QueryBuilder) {
        b.add("serviceGroupID", serviceGroupID)
        b.add("serviceTemplateID", serviceTemplateID)
        b.add("favorite", favorite)
        b.add("propertyKey", propertyKey)
        b.add(tags: tags, q: q)
    }
}

/// `GET /objects/ServiceTemplates` parameters (2.4.1).
public struct ServiceTemplateQuery: Sendable, ListQuery {
    /// `tags`: objects that have all these tags (sent comma-separated).
    public var tags: [String]
    /// `q`: case-insensitive full-text search; several words must all match.
    public var q: String?
    /// Templates that use this template as a component.
    public var usingServiceTemplateID: Int?
    /// `vendorID` (exact).
    public var vendorID: String?
    /// `keyName` (exact).
    public var keyName: String?
    /// `version` (exact, case-insensitive).
    public var version: String?
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    public var hql: HQLOptions
    /// Further parameters, sent as given after the ones above.
    public var extra: [(String, String)]

    /// A query; `nil` and empty values are not sent.
    public init(
        tags: [String] = [], q: String? = nil, usingServiceTemplateID: Int? = nil, vendorID: String? = nil,
        keyName: String? = nil, version: String? = nil, hql: HQLOptions = HQLOptions(), extra: [(String, String)] = []
    ) {
        self.tags = tags
        self.q = q
        self.usingServiceTemplateID = usingServiceTemplateID
        self.vendorID = vendorID
        self.keyName = keyName
        self.version = version
        self.hql = hql
        self.extra = extra
    }

    func addOwnItems(to b: inout QueryBuilder) {
        b.add(tags: tags, q: q)
        b.add("usingServiceTemplateID", usingServiceTemplateID)
        b.add("vendorID", vendorID)
        b.add("keyName", keyName)
        b.add("version", version)
    }
}

/// `GET /objects/Schedules` parameters (2.6.1).
public struct ScheduleQuery: Sendable, ListQuery {
    /// `serviceID`: only objects of this service.
    public var serviceID: Int?
    /// `serviceGroupID`: only objects of this service group.
    public var serviceGroupID: Int?
    /// `serviceTemplateID`: only objects made from this template.
    public var serviceTemplateID: Int?
    /// `scheduleStatus=running`: only schedules of tasks that have not run yet.
    public var scheduleStatus: String?
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    public var hql: HQLOptions
    /// Further parameters, sent as given after the ones above.
    public var extra: [(String, String)]

    /// A query; `nil` and empty values are not sent.
    public init(
        serviceID: Int? = nil, serviceGroupID: Int? = nil, serviceTemplateID: Int? = nil, scheduleStatus: String? = nil,
        hql: HQLOptions = HQLOptions(), extra: [(String, String)] = []
    ) {
        self.serviceID = serviceID
        self.serviceGroupID = serviceGroupID
        self.serviceTemplateID = serviceTemplateID
        self.scheduleStatus = scheduleStatus
        self.hql = hql
        self.extra = extra
    }

    func addOwnItems(to b: inout QueryBuilder) {
        b.add("serviceID", serviceID)
        b.add("serviceGroupID", serviceGroupID)
        b.add("serviceTemplateID", serviceTemplateID)
        b.add("scheduleStatus", scheduleStatus)
    }
}

/// The owner of property definitions, informations, values or groups (2.9).
public enum PropertyScope: Sendable, Hashable {
    /// The service share properties (`PropertyInformations?shared`; no parameter elsewhere).
    case shared
    case service(Int)
    case task(Int)
    case schedule(Int)
    case serviceTemplate(Int)

    func items() -> [(String, String?)] {
        switch self {
        case .shared: return []
        case .service(let id): return [("serviceID", String(id))]
        case .task(let id): return [("taskID", String(id))]
        case .schedule(let id): return [("scheduleID", String(id))]
        case .serviceTemplate(let id): return [("serviceTemplateID", String(id))]
        }
    }
}

/// `GET /objects/Tags` parameters (2.11.2).
public struct TagQuery: Sendable, ListQuery {
    /// Return tag details.
    public var detail: Bool
    /// Only tags used on `ServiceTemplate`, `Service`, `Task` or `TaskHistory`.
    public var resourceType: String?
    /// `HQL::filter`, `HQL::sortBy`, `HQL::fields`, `HQL::offset` and the maximum count.
    public var hql: HQLOptions
    /// Further parameters, sent as given after the ones above.
    public var extra: [(String, String)]

    /// A query; `nil` and empty values are not sent.
    public init(detail: Bool = false, resourceType: String? = nil, hql: HQLOptions = HQLOptions(), extra: [(String, String)] = []) {
        self.detail = detail
        self.resourceType = resourceType
        self.hql = hql
        self.extra = extra
    }

    func addOwnItems(to b: inout QueryBuilder) {
        if detail { b.add("detail", true) }
        b.add("resourceType", resourceType)
    }
}
