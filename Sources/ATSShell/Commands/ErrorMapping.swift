import AOClient
import ATSJSON
import ATSLanguage
import ATSSupport

/// API and transport errors become script error values here, and only here.
enum ErrorMapping {
    /// A command stopped by Ctrl-C while it waited.
    struct Interrupted: Error {}

    /// The HTTP status of a failure, if it was an HTTP error.
    static func status(of error: any Error) -> Int? {
        (error as? APIError)?.status
    }

    /// The error value for `error`, raised by `call` while sending `request`.
    static func errorValue(
        _ error: any Error, request: APIRequestSpec?, baseURL: String?, call: CommandCall
    ) -> ErrorValue {
        let url = request.map { (baseURL ?? "") + $0.path } ?? ""
        var fields = ValueObject()
        func common(kind: String, message: String) {
            fields["kind"] = .string(kind)
            fields["message"] = .string(message)
            if let request {
                fields["method"] = .string(request.method)
                fields["url"] = .string(url)
            }
            if let l = call.location { fields["location"] = .string(l.description) }
        }
        switch error {
        case let e as ErrorValue:
            return e
        case let e as ShellError:
            return e.errorValue(command: call.text, location: call.location)
        case is Interrupted, is CancellationError:
            common(kind: "interrupted", message: "interrupted")
            return ErrorValue(kind: "interrupted", summary: "interrupted", command: call.text, fields: fields, location: call.location)
        case let e as APIError:
            if e.isCancelled {
                return errorValue(Interrupted(), request: request, baseURL: baseURL, call: call)
            }
            let e = withURL(e, request: request, baseURL: baseURL)
            for (name, value) in e.fields { fields[name] = Value(value) }
            if e.status != nil, fields["messageID"] == nil { fields["messageID"] = .null }
            if fields["message"] == nil { fields["message"] = .string(e.summary) }
            if let l = call.location { fields["location"] = .string(l.description) }
            return ErrorValue(
                kind: e.kind.rawValue, summary: e.summary, details: e.details, command: call.text, fields: fields,
                location: call.location)
        case let e as CaseFileError:
            common(kind: "script", message: "\(e)")
            return ErrorValue(kind: "script", summary: "\(e)", command: call.text, fields: fields, location: call.location)
        case let e as TransportFailure:
            let apiError = APIError(transport: e, operation: .connect, method: request?.method ?? "", url: request == nil ? baseURL ?? "" : url)
            return errorValue(apiError, request: request, baseURL: baseURL, call: call)
        default:
            common(kind: "transport", message: "\(error)")
            return ErrorValue(kind: "transport", summary: "\(error)", command: call.text, fields: fields, location: call.location)
        }
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

    /// "A, B or C"
    static func orList(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " or " + items.last!
        }
    }
}
