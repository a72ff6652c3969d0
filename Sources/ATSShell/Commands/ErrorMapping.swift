import AOClient
import ATSJSON
import ATSLanguage
import ATSSupport

/// API and transport errors become script error values here, and only here. Each input is
/// a closed, typed error (no `any Error`), so every case is handled by name.
enum ErrorMapping {
    /// The error value for the client's `error`, raised by `call` while sending `request`.
    static func errorValue(
        _ error: APIError, request: APIRequestSpec?, baseURL: String?, call: CommandCall
    ) -> ErrorValue {
        if error.isCancelled { return interrupted(call) }
        let e = withURL(error, request: request, baseURL: baseURL)
        var fields = ValueObject()
        for (name, value) in e.fields { fields[name] = Value(value) }
        if e.status != nil, fields["messageID"] == nil { fields["messageID"] = .null }
        if fields["message"] == nil { fields["message"] = .string(e.summary) }
        if let l = call.location { fields["location"] = .string(l.description) }
        return ErrorValue(
            kind: kind(of: e.kind), summary: e.summary, details: e.details, command: call.text, fields: fields,
            location: call.location)
    }

    /// The error value of a case file that could not be written.
    static func errorValue(_ error: CaseFileError, call: CommandCall) -> ErrorValue {
        let message = "\(error)"
        return ErrorValue(kind: .script, summary: message, command: call.text, fields: fields(kind: .script, message: message, call: call),
                          location: call.location)
    }

    /// A command stopped by Ctrl-C while it waited.
    static func interrupted(_ call: CommandCall) -> ErrorValue {
        ErrorValue(kind: .interrupted, summary: "interrupted", command: call.text,
                   fields: fields(kind: .interrupted, message: "interrupted", call: call), location: call.location)
    }

    /// The kind scripts see for the client's kind of failure.
    static func kind(of kind: APIError.Kind) -> ErrorKind {
        switch kind {
        case .http: .http
        case .transport: .transport
        case .timeout: .timeout
        case .tls: .tls
        case .auth: .auth
        case .decoding: .decoding
        }
    }

    private static func fields(kind: ErrorKind, message: String, call: CommandCall) -> ValueObject {
        var fields = ValueObject()
        fields["kind"] = .string(kind.rawValue)
        fields["message"] = .string(message)
        if let l = call.location { fields["location"] = .string(l.description) }
        return fields
    }

    /// The client's error with its URL, when it has none (a failure before any request).
    /// The explanation itself comes from the error's route, in AOClient.
    static func withURL(_ error: APIError, request: APIRequestSpec?, baseURL: String?) -> APIError {
        var e = error
        if e.url.isEmpty {
            if let request {
                e.method = request.method
                e.url = (baseURL ?? "") + request.path
            } else if let baseURL {
                e.url = baseURL
            }
        }
        return e
    }
}
