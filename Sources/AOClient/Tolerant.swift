import ATSJSON

/// Tolerant reading of server JSON (reference §7.1), in one place: both spellings of a
/// member, string-or-list values, `null` where a list is expected, hrefs with spaces.
public enum Tolerant {
    /// The first present, non-null member among `names`.
    public static func member(_ json: JSON, _ names: String...) -> JSON? {
        for n in names {
            if let v = json[n], !v.isNull { return v }
        }
        return nil
    }

    /// A string member; numbers and Booleans are rendered as text; `""` counts as absent.
    public static func string(_ json: JSON?) -> String? {
        guard let json else { return nil }
        switch json {
        case .string(let s): return s.isEmpty ? nil : s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    /// An integer member; numeric strings (`"5381"`) count.
    public static func int(_ json: JSON?) -> Int? {
        guard let json else { return nil }
        if let i = json.intValue { return i }
        if let s = json.stringValue { return Int(s.trimmed()) }
        return nil
    }

    /// A list of strings from a string, a list of strings, or `null`; each trimmed.
    public static func stringList(_ json: JSON?) -> [String] {
        guard let json else { return [] }
        switch json {
        case .string(let s):
            let t = s.trimmed()
            return t.isEmpty ? [] : [t]
        case .array(let items): return items.compactMap { string($0)?.trimmed() }.filter { !$0.isEmpty }
        case .null, .int, .double, .bool, .object: return []
        }
    }

    /// A list of JSON values: the array, `[]` for `null` or absence, `[x]` for a single value.
    public static func list(_ json: JSON?) -> [JSON] {
        guard let json else { return [] }
        switch json {
        case .array(let a): return a
        case .null: return []
        case .bool, .int, .double, .string, .object: return [json]
        }
    }

    /// An href with leading/trailing spaces removed.
    public static func href(_ json: JSON?) -> String? {
        string(json)?.trimmed()
    }

    /// The id at the end of a resource URL: `…/Tasks/5381` → 5381 (also `…/Tasks/5381/`).
    public static func trailingID(_ url: String) -> Int? {
        var path = Substring(url.trimmed())
        if let q = path.firstIndex(of: "?") { path = path[..<q] }
        while path.hasSuffix("/") { path = path.dropLast() }
        guard let slash = path.lastIndex(of: "/") else { return Int(path) }
        return Int(path[path.index(after: slash)...])
    }

    /// The resource collection of a URL: `…/objects/Tasks/5381` → `Tasks`.
    public static func collection(of url: String) -> String? {
        var path = Substring(url.trimmed())
        if let q = path.firstIndex(of: "?") { path = path[..<q] }
        while path.hasSuffix("/") { path = path.dropLast() }
        let parts = path.split(separator: "/")
        guard parts.count >= 2 else { return nil }
        return String(parts[parts.count - 2])
    }
}

/// A response body as a list (reference §1.9): `{ "data": [...], "count": n }`.
public struct ResourceList: Sendable, Hashable {
    /// The objects, verbatim.
    public var items: [JSON]
    /// The server's `count` (matching items, may exceed `items.count` with paging).
    public var count: Int?
    /// The whole body as received.
    public var raw: JSON

    /// A list from its parts.
    public init(items: [JSON], count: Int?, raw: JSON) {
        self.items = items
        self.count = count
        self.raw = raw
    }

    /// Reads an envelope; a bare array is accepted too; `data: null` is an empty list.
    public init?(json: JSON) {
        switch json {
        case .array(let a):
            self.init(items: a, count: a.count, raw: json)
        case .object(let o):
            guard let data = o["data"] else { return nil }
            switch data {
            case .array(let a): self.init(items: a, count: Tolerant.int(o["count"]), raw: json)
            case .null: self.init(items: [], count: Tolerant.int(o["count"]), raw: json)
            case .bool, .int, .double, .string, .object: return nil
            }
        case .null, .bool, .int, .double, .string: return nil
        }
    }
}

/// The result of an action invoke (reference §1.10), read tolerantly; `raw` keeps it all.
public struct Job: Sendable, Hashable {
    /// `instanceID` or `instanceId` (string or number, as text).
    public var instanceID: String?
    /// `created` (ISO 8601, as sent).
    public var created: String?
    /// `updated` (ISO 8601, as sent).
    public var updated: String?
    /// `completed` (ISO 8601, as sent).
    public var completed: String?
    /// The `state` string as sent (`queued`, `running`, `failed`, `success`, `stopping`, `stopped`, or other).
    public var state: String?
    /// `affectedResources` or `affectedResource`, string or list, trimmed.
    public var affectedResources: [String]
    /// `result`, when present (`null` reads as `[]`).
    public var result: [JSON]?
    /// `resultType`: the kind of objects in `result` (values undocumented).
    public var resultType: String?
    /// The body as received.
    public var raw: JSON

    /// Reads a job from any JSON object (missing members stay `nil`); `nil` for a non-object.
    public init?(json: JSON) {
        guard case .object = json else { return nil }
        raw = json
        instanceID = Tolerant.string(Tolerant.member(json, "instanceID", "instanceId", "instanceid"))
        created = Tolerant.string(json["created"])
        updated = Tolerant.string(json["updated"])
        completed = Tolerant.string(json["completed"])
        state = Tolerant.string(json["state"])
        affectedResources = Tolerant.stringList(Tolerant.member(json, "affectedResources", "affectedResource"))
        if let r = json["result"] { result = Tolerant.list(r) } else { result = nil }
        resultType = Tolerant.string(json["resultType"])
    }

    /// The known state, if the string is one of the documented values (case-insensitive).
    public var knownState: JobState? {
        guard let state else { return nil }
        return JobState(rawValue: state.lowercased())
    }

    /// The ids of affected resources of one collection: `affectedIDs(in: "Tasks")` → `[5381]`.
    public func affectedIDs(in collection: String) -> [Int] {
        affectedResources.compactMap { url in
            Tolerant.collection(of: url)?.lowercased() == collection.lowercased() ? Tolerant.trailingID(url) : nil
        }
    }
}

/// The documented job states.
public enum JobState: String, Sendable, Hashable, CaseIterable {
    case queued, running, failed, success, stopping, stopped
}

/// An action template (reference §1.10), with the template kept verbatim for sending back.
public struct ActionTemplate: Sendable, Hashable {
    /// `name` (may differ from the action: see `actionName`).
    public var name: String?
    /// `href`, trimmed. Informational only: requests are built from the base URL.
    public var href: String?
    /// `method`: `POST` for invokes, `PUT`/`DELETE`/`GET` for the others.
    public var method: String?
    /// `parameters` (`null` reads as `[]`).
    public var parameters: [JSON]
    /// The template as received.
    public var raw: JSON

    /// Reads a template; `nil` for a non-object.
    public init?(json: JSON) {
        guard case .object = json else { return nil }
        raw = json
        name = Tolerant.string(json["name"])
        href = Tolerant.href(json["href"])
        method = Tolerant.string(json["method"])
        parameters = Tolerant.list(json["parameters"])
    }

    /// The action named by the href (last segment before `/invoke`), else `name`.
    /// 2.7.16 names `rerunStepStart`'s template `rerunStart`; the href is right.
    public var actionName: String? {
        if let href {
            var parts = href.split(separator: "/").map(String.init)
            if parts.last == "invoke" { parts.removeLast() }
            if parts.count >= 2, parts[parts.count - 2] == "actions" { return parts.last }
        }
        return name
    }
}

/// What `DELETE /objects/Tasks/{id}` did (2.7.4).
public enum TaskDeletion: Sendable, Hashable {
    /// 204: deleted (a debug task), or it did not exist.
    case deleted
    /// 303: a normal task is not deleted; archive it instead. `location` is the server's
    /// `Location` (the archive template), `taskID` the task.
    case archiveInstead(taskID: Int, location: String?)
}

/// A downloaded file (template export, 2.4.8).
public struct DownloadedFile: Sendable, Hashable {
    /// The name from `Content-disposition` (`filename="…"`), if any.
    public var filename: String?
    /// The response's `Content-Type`.
    public var contentType: String?
    /// The file's contents.
    public var bytes: [UInt8]

    /// A file from its parts.
    public init(filename: String?, contentType: String?, bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }

    /// The file name of a `Content-disposition` value; `filename*=UTF-8''…` wins over `filename=`.
    public static func filename(fromContentDisposition value: String) -> String? {
        var plain: String?
        for part in value.split(separator: ";") {
            let p = String(part).trimmed()
            guard let eq = p.firstIndex(of: "=") else { continue }
            let key = p[..<eq].trimmed().lowercased()
            var v = String(p[p.index(after: eq)...]).trimmed()
            if key == "filename*" {
                if let q = v.firstRange(of: "''") { v = String(v[q.upperBound...]) }
                let name = QueryEncoding.decode(v)
                if !name.isEmpty { return name }
            } else if key == "filename" {
                if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
                plain = v
            }
        }
        guard let plain, !plain.isEmpty else { return nil }
        // Never a path: keep only the last component.
        return plain.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? plain
    }
}

/// A raw response from `AOClient.send`.
public struct APIResponse: Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
    /// The reason phrase.
    public var reason: String
    /// The response headers (HSSO tokens as secrets).
    public var headers: HTTPHeaderFields
    /// The body bytes.
    public var body: [UInt8]
    /// The body parsed as JSON when it is JSON (by `Content-Type`, or by its first byte when
    /// no type is given); `nil` for an empty or non-JSON body.
    public var json: JSON?
    /// The request's method.
    public var method: String
    /// The request's absolute URL.
    public var url: String

    /// A response from its parts.
    public init(status: Int, reason: String, headers: HTTPHeaderFields, body: [UInt8], json: JSON?, method: String, url: String) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.json = json
        self.method = method
        self.url = url
    }

    /// The body as text (UTF-8, invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
