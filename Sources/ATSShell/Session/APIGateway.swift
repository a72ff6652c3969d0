import AOClient
import ATSJSON

/// One request of a shell command, relative to the API root (`/Automation/v1`).
struct APIRequestSpec: Sendable {
    var method: String
    var path: String
    var query: [(String, String)]
    var body: RequestBody
    var accept: String?

    init(_ method: String, _ path: String, query: [(String, String)] = [], body: RequestBody = .none, accept: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.accept = accept
    }

    /// True for requests that change state (dry-run prints them instead).
    var changesState: Bool { method != "GET" && method != "HEAD" }
}

/// A successful response (status below 400).
struct APIReply: Sendable {
    var status: Int
    var headers: HTTPHeaderFields
    var body: [UInt8]

    /// The body as JSON, or nil when empty or not JSON.
    var json: JSON? {
        guard !body.isEmpty else { return nil }
        return try? JSONParser.parse(body)
    }
}

/// What the shell's commands need from a connected session: requests through the client
/// (authentication, HSSO tokens, headers and errors are the client's business).
protocol APIGateway: Sendable {
    /// `http://aohost:22015/Automation/v1`, or the simulator's.
    var baseURL: String { get }
    /// Sends a request; throws the client's error for HTTP errors and transport failures.
    func send(_ request: APIRequestSpec) async throws(APIError) -> APIReply
    /// Downloads a service template package (2.4.8): its bytes and the server's file name.
    func exportTemplate(_ id: Int) async throws(APIError) -> (bytes: [UInt8], filename: String?)
}

/// Keeps the client's typed errors through code that throws untyped (task-local scopes).
enum APIErrorScope {
    static func run<T: Sendable>(_ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch is CancellationError {
            throw APIError(transport: .cancelled, operation: .raw, method: "", url: "")
        } catch {
            throw APIError(transport: .other(String(describing: error)), operation: .raw, method: "", url: "")
        }
    }
}

/// While a command runs with dry-run on, where the session's transport prints the requests
/// that change state (instead of sending them).
enum DryRunScope {
    @TaskLocal static var printer: (@Sendable (String) -> Void)?
}
