import AOClient
import ATSJSON

// The case file format (JSON Lines), version 1:
//
//   {"type":"header","format":1,"atsVersion":…,"server":{…},"locale":…,"timeZone":…,"commandLine":[…],"startedAt":…}
//   {"type":"server","product":…,"productVersion":…,"apiVersion":…}          (optional, once known)
//   {"type":"exchange","seq":1,"time":…,"statement":…,"location":…,"request":{…},"response":{…},"durationMs":…}
//
// A file may hold several sessions (each starts with a header line). Everything that comes
// from HTTP types passes through `Redactor` on the way in, so no code path can store a secret.

/// The server a case was recorded against (from `GET /configuration/version`).
public struct CaseFileServer: Sendable, Hashable {
    /// `productName`, e.g. `JP1/Automatic Operation`.
    public var product: String?
    /// `productVersion`, e.g. `11-00-00`.
    public var productVersion: String?
    /// `apiVersion`, e.g. `01.01.00`.
    public var apiVersion: String?

    /// A server description; every part is optional.
    public init(product: String? = nil, productVersion: String? = nil, apiVersion: String? = nil) {
        self.product = product
        self.productVersion = productVersion
        self.apiVersion = apiVersion
    }

    /// Reads a VersionInfo body (`productName`, `productVersion`, `apiVersion`).
    public init?(versionInfo json: JSON) {
        guard json.objectValue != nil else { return nil }
        self.init(
            product: json["productName"]?.stringValue, productVersion: json["productVersion"]?.stringValue,
            apiVersion: json["apiVersion"]?.stringValue)
        if product == nil && productVersion == nil && apiVersion == nil { return nil }
    }

    var json: JSON {
        var o = JSONObject()
        if let product { o["product"] = .string(product) }
        if let productVersion { o["productVersion"] = .string(productVersion) }
        if let apiVersion { o["apiVersion"] = .string(apiVersion) }
        return .object(o)
    }

    init(caseJSON json: JSON) {
        self.init(
            product: json["product"]?.stringValue, productVersion: json["productVersion"]?.stringValue,
            apiVersion: json["apiVersion"]?.stringValue)
    }
}

/// The first line of a recording session.
public struct CaseFileHeader: Sendable, Hashable {
    /// The format version this module writes.
    public static let formatVersion = 1

    /// The `ats` version that recorded the file.
    public var atsVersion: String
    /// The server, when known at the start (otherwise a later `server` line gives it).
    public var server: CaseFileServer?
    /// The POSIX locale (`LANG`), e.g. `ja_JP.UTF-8`.
    public var locale: String
    /// The time zone and its offset, e.g. `Asia/Tokyo (+09:00)`.
    public var timeZone: String
    /// The command line of `ats` (secret-looking `secret("…")` literals masked).
    public var commandLine: [String]
    /// When recording started, ISO 8601 UTC.
    public var startedAt: String
    /// The format version of the file (1).
    public var format: Int

    /// A header; the defaults describe the current process.
    public init(
        atsVersion: String, server: CaseFileServer? = nil, locale: String? = nil, timeZone: String? = nil,
        commandLine: [String] = CommandLine.arguments, startedAt: String? = nil
    ) {
        self.atsVersion = atsVersion
        self.server = server
        self.locale = locale ?? SystemEnvironment.locale()
        self.timeZone = timeZone ?? SystemEnvironment.timeZone()
        self.commandLine = commandLine.map(Redactor.statement)
        self.startedAt = startedAt ?? SystemEnvironment.timestamp()
        self.format = Self.formatVersion
    }

    var json: JSON {
        var o = JSONObject()
        o["type"] = "header"
        o["format"] = .int(format)
        o["atsVersion"] = .string(atsVersion)
        if let server { o["server"] = server.json }
        o["locale"] = .string(locale)
        o["timeZone"] = .string(timeZone)
        o["commandLine"] = .array(commandLine.map(JSON.string))
        o["startedAt"] = .string(startedAt)
        return .object(o)
    }

    init(caseJSON json: JSON) {
        atsVersion = json["atsVersion"]?.stringValue ?? "unknown"
        server = json["server"].flatMap { $0.objectValue == nil ? nil : CaseFileServer(caseJSON: $0) }
        locale = json["locale"]?.stringValue ?? ""
        timeZone = json["timeZone"]?.stringValue ?? ""
        commandLine = json["commandLine"]?.arrayValue?.compactMap(\.stringValue) ?? []
        startedAt = json["startedAt"]?.stringValue ?? ""
        format = json["format"]?.intValue ?? Self.formatVersion
    }
}

/// A header or query field as stored: name and shown (redacted) value.
public struct CaseFileField: Sendable, Hashable {
    /// The header or parameter name as sent.
    public var name: String
    /// The value as shown (decoded for query parameters, redacted for secrets).
    public var value: String

    /// A field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A recorded body: JSON when it parsed (redacted), else text, else base64 of the bytes.
public enum CaseFileBody: Sendable, Hashable {
    /// A JSON body (stored as the JSON value itself).
    case json(JSON)
    /// UTF-8 text that is not JSON (`"bodyFormat":"text"`).
    case text(String)
    /// Anything else (`"bodyFormat":"base64"`).
    case binary([UInt8])

    /// Classifies and redacts `bytes`; `nil` for an empty body.
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty else { return nil }
        if let json = try? JSONParser.parse(bytes) {
            self = .json(Redactor.body(json))
        } else if let text = String(validating: bytes, as: UTF8.self) {
            self = .text(text)
        } else {
            self = .binary(bytes)
        }
    }

    /// The bytes to send back (JSON is written compactly).
    public var bytes: [UInt8] {
        switch self {
        case .json(let json):
            var out: [UInt8] = []
            JSONWriter.compact.write(json, into: &out)
            return out
        case .text(let text): return Array(text.utf8)
        case .binary(let bytes): return bytes
        }
    }

    /// The JSON value, if the body is JSON.
    public var json: JSON? {
        if case .json(let json) = self { return json }
        return nil
    }

    func store(into o: inout JSONObject) {
        switch self {
        case .json(let json): o["body"] = json
        case .text(let text):
            o["body"] = .string(text)
            o["bodyFormat"] = "text"
        case .binary(let bytes):
            o["body"] = .string(Base64.encode(bytes))
            o["bodyFormat"] = "base64"
        }
    }

    init?(caseJSON o: JSON) {
        guard let body = o["body"] else { return nil }
        switch o["bodyFormat"]?.stringValue {
        case "text": self = .text(body.stringValue ?? JSONWriter.compact.string(body))
        case "base64": self = .binary(body.stringValue.flatMap(Base64.decode) ?? [])
        default: self = .json(body)
        }
    }
}

/// A recorded request.
public struct CaseFileRequest: Sendable, Hashable {
    /// `GET`, `POST`, `PUT`, `DELETE`, …
    public var method: String
    /// The absolute URL, secret-looking query values masked.
    public var url: String
    /// The path, still percent-encoded.
    public var path: String
    /// The decoded query parameters in order.
    public var query: [CaseFileField]
    /// The headers as shown (secrets `********`).
    public var headers: [CaseFileField]
    /// The body, if the request had one.
    public var body: CaseFileBody?

    /// A recorded request from its parts (already redacted).
    public init(method: String, url: String, path: String, query: [CaseFileField], headers: [CaseFileField], body: CaseFileBody?) {
        self.method = method
        self.url = url
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The redacted record of `request`.
    public init(_ request: HTTPRequest) {
        let url = Redactor.url(request.url)
        let parts = URLParts(url)
        self.init(
            method: request.method, url: url, path: parts.path,
            query: parts.queryItems.map { CaseFileField(name: $0.name, value: $0.value) },
            headers: Redactor.display(request.headers).map { CaseFileField(name: $0.name, value: $0.value) },
            body: request.body.flatMap { CaseFileBody(bytes: $0) })
    }

    /// Path and query as on the request line.
    public var target: String { URLParts(url).target }
}

/// A recorded response.
public struct CaseFileResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The reason phrase (the standard one when the server sent none).
    public var reason: String
    /// The headers as shown (secrets `********`).
    public var headers: [CaseFileField]
    /// The body, if the response had one.
    public var body: CaseFileBody?

    /// A recorded response from its parts (already redacted).
    public init(status: Int, reason: String, headers: [CaseFileField], body: CaseFileBody?) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The redacted record of `response`.
    public init(_ response: HTTPResponse) {
        self.init(
            status: response.status, reason: response.reason.isEmpty ? HTTPStatusText.reason(for: response.status) : response.reason,
            headers: Redactor.display(response.headers).map { CaseFileField(name: $0.name, value: $0.value) },
            body: CaseFileBody(bytes: response.body))
    }

    /// The first header of this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// One recorded exchange: a request and its response (or why there was none).
public struct CaseFileExchange: Sendable, Hashable {
    /// 1-based number within its recording session.
    public var seq: Int
    /// When the request was sent, ISO 8601 UTC.
    public var time: String
    /// The statement that caused it, from `ExchangeContext`.
    public var statement: String?
    /// Where that statement is, from `ExchangeContext`.
    public var location: String?
    /// What was sent (redacted).
    public var request: CaseFileRequest
    /// `nil` when the request failed below HTTP (see `failure`).
    public var response: CaseFileResponse?
    /// Why no response arrived (connection refused, timeout), when there was none.
    public var failure: String?
    /// The kind of that failure: `connect`, `timeout`, `tls`, `closed`, `tooLarge`,
    /// `invalidURL`, `cancelled` or `other` (the `TransportFailure` case).
    public var failureKind: String?
    /// How long the exchange took.
    public var durationMs: Double
    /// The line of the file it was read from (0 when not read from a file).
    public var line: Int

    /// An exchange from its parts; `statement` is masked with `Redactor.statement`.
    public init(
        seq: Int, time: String, statement: String?, location: String?, request: CaseFileRequest,
        response: CaseFileResponse?, failure: String?, failureKind: String? = nil, durationMs: Double, line: Int = 0
    ) {
        self.seq = seq
        self.time = time
        self.statement = statement.map(Redactor.statement)
        self.location = location
        self.request = request
        self.response = response
        self.failure = failure
        self.failureKind = failure == nil ? nil : (failureKind ?? "other")
        self.durationMs = durationMs
        self.line = line
    }

    var json: JSON {
        var o = JSONObject()
        o["type"] = "exchange"
        o["seq"] = .int(seq)
        o["time"] = .string(time)
        o["statement"] = statement.map(JSON.string) ?? .null
        o["location"] = location.map(JSON.string) ?? .null
        var rq = JSONObject()
        rq["method"] = .string(request.method)
        rq["url"] = .string(request.url)
        rq["path"] = .string(request.path)
        rq["query"] = Self.fieldsJSON(request.query)
        rq["headers"] = Self.fieldsJSON(request.headers)
        request.body?.store(into: &rq)
        o["request"] = .object(rq)
        if let response {
            var rs = JSONObject()
            rs["status"] = .int(response.status)
            rs["reason"] = .string(response.reason)
            rs["headers"] = Self.fieldsJSON(response.headers)
            response.body?.store(into: &rs)
            o["response"] = .object(rs)
        } else {
            o["response"] = .null
        }
        if let failure {
            o["failure"] = .string(failure)
            o["failureKind"] = .string(failureKind ?? "other")
        }
        o["durationMs"] = .double((durationMs * 1000).rounded() / 1000)
        return .object(o)
    }

    /// Fields as an object; a repeated name becomes an array of its values.
    private static func fieldsJSON(_ fields: [CaseFileField]) -> JSON {
        var o = JSONObject()
        for f in fields {
            switch o[f.name] {
            case nil: o[f.name] = .string(f.value)
            case .array(var values)?:
                values.append(.string(f.value))
                o[f.name] = .array(values)
            case let existing?: o[f.name] = .array([existing, .string(f.value)])
            }
        }
        return .object(o)
    }

    private static func fields(_ json: JSON?) -> [CaseFileField] {
        guard let object = json?.objectValue else { return [] }
        var out: [CaseFileField] = []
        for (name, value) in object {
            switch value {
            case .array(let values): out += values.map { CaseFileField(name: name, value: text($0)) }
            case .null, .bool, .int, .double, .string, .object: out.append(CaseFileField(name: name, value: text(value)))
            }
        }
        return out
    }

    private static func text(_ json: JSON) -> String { json.stringValue ?? JSONWriter.compact.string(json) }

    init(caseJSON json: JSON, line: Int) throws(CaseFileLineError) {
        guard let rq = json["request"] else { throw .missingMember("request") }
        guard rq.objectValue != nil else { throw .wrongType(member: "request", expected: "an object") }
        guard let method = rq["method"]?.stringValue else { throw .missingMember("request.method") }
        let url = rq["url"]?.stringValue ?? rq["path"]?.stringValue ?? "/"
        var query = Self.fields(rq["query"])
        if rq["query"] == nil { query = URLParts(url).queryItems.map { CaseFileField(name: $0.name, value: $0.value) } }
        let request = CaseFileRequest(
            method: method, url: url, path: rq["path"]?.stringValue ?? URLParts(url).path, query: query,
            headers: Self.fields(rq["headers"]), body: CaseFileBody(caseJSON: rq))
        var response: CaseFileResponse?
        if let rs = json["response"], !rs.isNull {
            guard rs.objectValue != nil else { throw .wrongType(member: "response", expected: "an object or null") }
            guard let status = rs["status"]?.intValue else { throw .missingMember("response.status") }
            response = CaseFileResponse(
                status: status, reason: rs["reason"]?.stringValue ?? HTTPStatusText.reason(for: status),
                headers: Self.fields(rs["headers"]), body: CaseFileBody(caseJSON: rs))
        }
        let failure = json["failure"]?.stringValue
        if response == nil && failure == nil { throw .missingMember("response") }
        self.init(
            seq: json["seq"]?.intValue ?? 0, time: json["time"]?.stringValue ?? "",
            statement: json["statement"]?.stringValue, location: json["location"]?.stringValue,
            request: request, response: response, failure: failure,
            failureKind: json["failureKind"]?.stringValue, durationMs: json["durationMs"]?.doubleValue ?? 0, line: line)
    }
}

