import AOClient
import ATSJSON

// Every message of the ATSSupport module, in one place.

extension CaseFileError: CustomStringConvertible {
    /// `cannot open case file case.jsonl: No such file or directory`.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open case file \(path): \(reason)"
        case .cannotRead(let path, let reason): return "cannot read case file \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write to case file \(path): \(reason); recording stopped"
        }
    }
}

extension CaseFileLineError: CustomStringConvertible {
    /// `not JSON: unexpected 'x' at byte 0`.
    public var description: String {
        switch self {
        case .notJSON(let error): return "not JSON: \(error)"
        case .notAnObject: return "expected a JSON object"
        case .unknownType(let type?): return "unknown line type \"\(type)\" (expected header, server or exchange)"
        case .unknownType(nil): return "missing \"type\" (expected header, server or exchange)"
        case .missingMember(let name): return "missing member \"\(name)\""
        case .wrongType(let member, let expected): return "member \"\(member)\" should be \(expected)"
        }
    }
}

extension CaseFileProblem: CustomStringConvertible {
    /// `line 7: expected a JSON object`.
    public var description: String { "line \(line): \(error)" }
}

/// Messages that are not errors of this module.
enum SupportMessages {
    /// One line describing why a request got no response (trace, case file).
    static func failure(_ error: any Error) -> String {
        if let failure = error as? TransportFailure {
            switch failure {
            case .connect(let host, let port, let detail): return "cannot connect to \(host):\(port): \(detail)"
            case .timeout(let seconds): return "no response within \(formatSeconds(seconds))"
            case .tls(_, let detail): return "TLS failure: \(detail)"
            case .caFile(let path, _): return "the CA file \(path) cannot be used"
            case .closed(let detail): return "connection closed before a complete response: \(detail)"
            case .tooLarge(let limit): return "response larger than \(limit) bytes"
            case .invalidURL(let url): return "invalid URL: \(url)"
            case .cancelled: return "cancelled"
            case .other(let detail): return detail
            }
        }
        if error is CancellationError { return "cancelled" }
        return String(describing: error)
    }

    /// One trace line for something the transport did within an exchange.
    static func event(_ event: TransportEvent) -> String {
        switch event {
        case .resent(let method, _):
            return "the server had closed the kept-alive connection before answering; sending the \(method) again on a new connection"
        }
    }

    /// The text of the 404 a replay gives for a request it has no recording of.
    static func replayUnmatched(method: String, target: String) -> String {
        "ats replay: no recorded response for \(method) \(target)"
    }

    /// The failure text when a transport gave neither a response nor an error.
    static let noResponse = "no response"

    /// The `failureKind` of a case file for an error.
    static func failureKind(_ error: any Error) -> String {
        if let failure = error as? TransportFailure {
            switch failure {
            case .connect: return "connect"
            case .timeout: return "timeout"
            case .tls, .caFile: return "tls"
            case .closed: return "closed"
            case .tooLarge: return "tooLarge"
            case .invalidURL: return "invalidURL"
            case .cancelled: return "cancelled"
            case .other: return "other"
            }
        }
        if error is CancellationError { return "cancelled" }
        return "other"
    }

    /// The message of a replayed transport failure.
    static func replayedFailure(_ text: String) -> String { "replayed from the case file: \(text)" }

    /// The note after a shortened body in a trace.
    static func traceCut(bytes: Int, lines: Int) -> String {
        "* … \(bytes) more bytes (\(ListPhrase.count(lines, "more line"))) not shown"
    }

    /// The note for a body that is not text.
    static func traceBinary(bytes: Int, contentType: String?) -> String {
        "* \(bytes) bytes of binary data" + (contentType.map { " (\($0))" } ?? "") + " not shown"
    }
}

/// `1.5 s`, `250.0 ms`.
func formatSeconds(_ seconds: Double) -> String {
    seconds >= 1 ? "\(decimal(seconds, places: 1)) s" : "\(decimal(seconds * 1000, places: 1)) ms"
}

/// `x` with a fixed number of decimal places, without Foundation: `decimal(12.345, places: 1)` is `12.3`.
func decimal(_ x: Double, places: Int) -> String {
    guard x.isFinite else { return String(x) }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    guard scaled < 9e18 else { return String(x) }
    let n = Int(scaled)
    let whole = n / Int(scale)
    var fraction = String(n % Int(scale))
    while fraction.count < places { fraction = "0" + fraction }
    return (x < 0 && n != 0 ? "-" : "") + String(whole) + (places > 0 ? "." + fraction : "")
}
