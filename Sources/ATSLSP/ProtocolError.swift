import ATSJSON

/// Every error the server answers with: its JSON-RPC code and its message, in one place.
enum ProtocolError: Error, Equatable {
    /// The frame's body is not JSON.
    case parseError(String)
    /// The frame's header could not be read.
    case badFrame(FrameProblem)
    /// JSON, but not a JSON-RPC message.
    case invalidRequest(String)
    case methodNotFound(String)
    case invalidParams(String)
    /// A request before `initialize`.
    case serverNotInitialized
    /// A request after `shutdown`.
    case shuttingDown
    /// The client cancelled the request before it ran.
    case requestCancelled
    /// `textDocument/formatting` while the document has syntax errors.
    case formattingRefused(errors: Int)

    /// The JSON-RPC and LSP error codes.
    var code: Int {
        switch self {
        case .parseError, .badFrame: return -32700
        case .invalidRequest, .shuttingDown: return -32600
        case .methodNotFound: return -32601
        case .invalidParams: return -32602
        case .serverNotInitialized: return -32002
        case .requestCancelled: return -32800
        case .formattingRefused: return -32803
        }
    }

    var message: String {
        switch self {
        case .parseError(let detail): return "the message is not JSON: \(detail)"
        case .badFrame(let problem):
            switch problem {
            case .missingContentLength: return "the frame's header has no Content-Length"
            case .badContentLength(let v): return "the frame's Content-Length `\(v)` is not a number of bytes"
            case .headerTooLong: return "the frame's header is longer than \(FrameReader.maximumHeader) bytes"
            case .bodyTooLarge(let n): return "the frame's body of \(n) bytes is larger than \(FrameReader.maximumBody)"
            }
        case .invalidRequest(let detail): return "not a JSON-RPC 2.0 message: \(detail)"
        case .methodNotFound(let m): return "unknown method `\(m)`"
        case .invalidParams(let detail): return "invalid params: \(detail)"
        case .serverNotInitialized: return "the server is not initialized: send `initialize` first"
        case .shuttingDown: return "the server is shutting down: only `exit` is accepted"
        case .requestCancelled: return "the request was cancelled"
        case .formattingRefused(let n):
            return "not formatted: the document has \(ListPhrase.count(n, "syntax error")); `ats fmt` formats only a file that parses"
        }
    }

    /// The `error` member of a response.
    var json: JSON { ["code": .int(code), "message": .string(message)] }
}
