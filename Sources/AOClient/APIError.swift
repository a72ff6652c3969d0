import ATSJSON

/// Every failure of an API call: an HTTP error status, a transport failure, a timeout, a TLS
/// problem, an authentication failure, or an answer that could not be read.
///
/// It carries the pieces, not rendered text: `summary` (one line), `details` (plain lines
/// explaining what it means for the operation and what to do) and `fields` (for the shell's
/// error value). Texts live in `APIErrorMessages.swift`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The server answered with an error status (other than 401).
        case http
        /// No usable answer: connection refused, closed, too large, invalid URL, cancelled.
        case transport
        /// No complete answer within the time limit.
        case timeout
        /// TLS handshake or certificate verification failed.
        case tls
        /// 401: credentials rejected, even after a fresh login.
        case auth
        /// The answer could not be read (malformed JSON, unexpected shape).
        case decoding
    }

    /// What the client was doing.
    public var operation: APIOperation
    /// The request's method (`GET`, `POST`, …).
    public var method: String
    /// The request's absolute URL.
    public var url: String
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// The HTTP reason phrase (`Conflict`), when the server answered.
    public var reason: String?
    /// The server's JSON error body (2.2.18), when it sent one.
    public var server: ServerError?
    /// A non-JSON error body (an HTML page from a proxy), as shortened plain text.
    public var bodyExcerpt: String?
    /// The transport failure, for kinds `.transport`, `.timeout` and `.tls`.
    public var transportFailure: TransportFailure?
    /// Why the answer could not be read, for kind `.decoding`.
    public var decodingProblem: DecodingProblem?
    /// The task's current status (API string), when known — filled on a 409 from a task action.
    public var taskStatus: String?
    /// The statuses the action needs (display names), for 409 on task and schedule actions.
    public var acceptedStatuses: [String]
    /// The server's `Retry-After`, in seconds, when it sent one.
    public var retryAfterSeconds: Double?
    /// The route of the table the request belonged to (nil for a raw request off the table).
    public var route: Route?

    /// True when a state-changing request was sent and its answer lost (502, 503, 504, a
    /// timeout or a dropped connection): the server may have done it.
    public var maybeApplied: Bool {
        guard route?.changesState ?? false else { return false }
        if let transportFailure {
            switch transportFailure {
            case .timeout, .closed: return true
            case .connect, .tls, .tooLarge, .invalidURL, .cancelled, .other: return false
            }
        }
        guard decodingProblem == nil, let status else { return false }
        return status == 502 || status == 503 || status == 504
    }

    /// An error from an HTTP answer.
    public init(status: Int, reason: String, operation: APIOperation, method: String, url: String) {
        self.operation = operation
        self.method = method
        self.url = url
        self.status = status
        self.reason = reason
        self.acceptedStatuses = []
    }

    /// An error from the transport.
    public init(transport: TransportFailure, operation: APIOperation, method: String, url: String) {
        self.operation = operation
        self.method = method
        self.url = url
        self.transportFailure = transport
        self.acceptedStatuses = []
    }

    /// An error reading an answer.
    public init(decoding: DecodingProblem, operation: APIOperation, method: String, url: String, status: Int?) {
        self.operation = operation
        self.method = method
        self.url = url
        self.status = status
        self.decodingProblem = decoding
        self.acceptedStatuses = []
    }

    /// The class of failure, derived from what is set.
    public var kind: Kind {
        if let transportFailure {
            switch transportFailure {
            case .timeout: return .timeout
            case .tls: return .tls
            case .connect, .closed, .tooLarge, .invalidURL, .cancelled, .other: return .transport
            }
        }
        if decodingProblem != nil { return .decoding }
        if status == 401 { return .auth }
        return .http
    }

    /// True for an interrupted request (Ctrl-C).
    public var isCancelled: Bool { transportFailure == .cancelled }

    /// One line: `409 Conflict`, `cannot connect to aohost:22015`, …
    public var summary: String { APIErrorMessages.summary(self) }

    /// Plain lines: what it means for this operation and what to do; the server's message last.
    public var details: [String] { APIErrorMessages.details(self) }

    /// The pieces for the shell's error value, in a stable order; absent pieces are left out.
    public var fields: [(name: String, value: JSON)] {
        var out: [(String, JSON)] = [("kind", .string(kind.rawValue))]
        if let status { out.append(("status", .int(status))) }
        if let reason { out.append(("reason", .string(reason))) }
        if let s = server {
            if let v = s.messageID { out.append(("messageID", .string(v))) }
            if let v = s.message { out.append(("message", .string(v))) }
            if let v = s.messageData { out.append(("messageData", .string(v))) }
            if let v = s.errorSource { out.append(("errorSource", .string(v))) }
        }
        if let bodyExcerpt { out.append(("body", .string(bodyExcerpt))) }
        out.append(("method", .string(method)))
        out.append(("url", .string(url)))
        if let taskStatus { out.append(("taskStatus", .string(taskStatus))) }
        if let retryAfterSeconds { out.append(("retryAfter", .double(retryAfterSeconds))) }
        if maybeApplied { out.append(("maybeApplied", .bool(true))) }
        return out.map { (name: $0.0, value: $0.1) }
    }

    /// `summary` and `details`, one per line (for logs and test output; the shell renders its own).
    public var description: String { ([summary] + details).joined(separator: "\n  ") }
}

/// The server's error body (reference §1.12).
public struct ServerError: Sendable, Hashable {
    /// `messageID`, e.g. `KNAE02102-E`.
    public var messageID: String?
    /// `message`: the server's text, in the `Accept-Language` language.
    public var message: String?
    /// `errorSource`: the URL of the failed call.
    public var errorSource: String?
    /// `messageData`: extra detail, when present.
    public var messageData: String?
    /// `application` (always `Automation`).
    public var application: String?
    /// The body as received.
    public var raw: JSON

    /// Reads an error body; `nil` unless it is an object with `message` or `messageID`.
    public init?(json: JSON) {
        guard case .object = json else { return nil }
        messageID = Tolerant.string(Tolerant.member(json, "messageID", "messageId"))
        message = Tolerant.string(json["message"])
        guard messageID != nil || message != nil else { return nil }
        errorSource = Tolerant.string(json["errorSource"])
        messageData = Tolerant.string(json["messageData"])
        application = Tolerant.string(json["application"])
        raw = json
    }
}

/// Why an answer could not be read.
public enum DecodingProblem: Sendable, Equatable {
    /// The body is not valid JSON (with the parser's byte offset).
    case malformedJSON(JSONParseError)
    /// Valid JSON, but not the expected shape (e.g. "a list ({data, count})").
    case unexpectedShape(expected: String)
    /// The body is empty where one was expected.
    case emptyBody(expected: String)
}

/// The operation a request belonged to, for explanations.
public struct APIOperation: Sendable, Hashable, CustomStringConvertible {
    /// What was done.
    public enum Verb: Sendable, Hashable {
        case list
        case get
        case edit
        case delete
        /// DELETE of several objects by condition (task histories).
        case deleteMatching
        case listActions
        /// GET of an action template.
        case actionTemplate(String)
        /// POST of an action template to `…/invoke`.
        case invoke(String)
        /// Template import (multipart upload) or its form.
        case importTemplate
        /// A raw request (the `api` command).
        case raw
        /// Opening the session (parsing the URL, transport set-up).
        case connect
    }

    /// The kind of object.
    public enum Resource: String, Sendable, Hashable, CaseIterable {
        case serviceTemplates = "ServiceTemplates"
        case services = "Services"
        case schedules = "Schedules"
        case tasks = "Tasks"
        case flowSteps = "FlowSteps"
        case taskLogs = "TaskLogs"
        case taskHistories = "TaskHistories"
        case propertyDefinitions = "PropertyDefinitions"
        case propertyInformations = "PropertyInformations"
        case propertyValues = "PropertyValues"
        case propertyGroups = "PropertyGroups"
        case serviceGroups = "ServiceGroups"
        case tagGroups = "TagGroups"
        case tags = "Tags"
        case user = "user"
        case version = "version"
        /// Not a specific resource (raw requests, connecting).
        case server = "server"
    }

    /// What was done.
    public var verb: Verb
    /// To which kind of object.
    public var resource: Resource
    /// The object's id, when the operation targets one.
    public var id: Int?

    /// An operation on `resource` (and the object `id`, if one).
    public init(_ verb: Verb, _ resource: Resource, id: Int? = nil) {
        self.verb = verb
        self.resource = resource
        self.id = id
    }

    /// Opening a session.
    public static let connect = APIOperation(.connect, .server)
    /// A raw request.
    public static let raw = APIOperation(.raw, .server)

    /// Words for messages: "force stop task 5381".
    public var description: String { APIErrorMessages.describe(self) }
}
