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

/// What the shell's commands need from a connected session: the client core, whose typed
/// operations every command calls, and raw requests for the `api` command
/// (authentication, HSSO tokens, headers and errors are the client's business).
protocol APIGateway: Sendable {
    /// `http://aohost:22015/Automation/v1`, or the simulator's.
    var baseURL: String { get }
    /// The client core.
    var client: AOClient { get }
    /// Sends a raw request; throws the client's error for HTTP errors and transport failures.
    func send(_ request: APIRequestSpec) async throws(APIError) -> APIReply
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
///
/// The task-local holds a struct, not an optional closure: Swift 6.3.1 miscompiles
/// `withValue` for a task-local of optional function type in optimized builds (it passes a
/// bad type to `swift_task_localValuePush`, and every API command segfaulted in release).
enum DryRunScope {
    /// Where the requests go instead of the server.
    struct Printer: Sendable {
        let write: @Sendable (String) -> Void
    }

    @TaskLocal static var printer: Printer?
}
