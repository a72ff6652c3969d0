import AOClient
import ATSJSON
import ATSSupport
import Foundation
import Testing

/// A session as the client runs one: Basic credentials on the first request, then always
/// the newest HSSO token the server issued. Over any transport (the in-process simulator,
/// HTTP to `ats sim`, a replay).
struct APISession {
    static let password = "manager"
    static let basic = Data("system:\(password)".utf8).base64EncodedString()

    var baseURL = "http://127.0.0.1:22015"
    var transport: any Transport
    private(set) var authorization: HeaderValue = .secret(Secret("Basic \(basic)"))
    private(set) var issuedTokens: [String] = []

    init(baseURL: String = "http://127.0.0.1:22015", transport: any Transport) {
        self.baseURL = baseURL
        self.transport = transport
    }

    /// Sends `method path [body]` under a statement and keeps the token the response issued.
    mutating func send(_ method: String, _ target: String, body: JSON? = nil, statement: String? = nil) async throws -> HTTPResponse {
        var headers = HTTPHeaderFields()
        headers.add("Accept", "application/json")
        headers.add("Authorization", authorization)
        var bytes: [UInt8]?
        if let body {
            headers.add("Content-Type", "application/json")
            bytes = Array(JSONWriter.compact.string(body).utf8)
        }
        let request = HTTPRequest(method: method, url: baseURL + "/Automation/v1" + target, headers: headers, body: bytes)
        let transport = self.transport
        let response = try await ExchangeContext.$current.withValue(statement.map { ExchangeContext(statement: $0, location: "case.ats:1:1") }) {
            try await transport.send(request, timeout: .seconds(30))
        }
        if let issued = response.headers["WWW-Authenticate"]?.revealed(), issued.hasPrefix("HSSO ") {
            issuedTokens.append(String(issued.dropFirst(5)))
            authorization = .secret(Secret(issued))
        }
        return response
    }

    /// A short exploratory session: who am I, which server, the tasks, one task in progress,
    /// its actions, a force stop, a missing task. Returns every response in order.
    mutating func explore() async throws -> [HTTPResponse] {
        var responses: [HTTPResponse] = []
        responses.append(try await send("GET", "/user", statement: "whoami"))
        responses.append(try await send("GET", "/configuration/version", statement: "server"))
        responses.append(try await send("GET", "/objects/Tasks?HQL::offset=0&HQL::limit=5", statement: "tasks --limit 5"))
        let running = try await send("GET", "/objects/Tasks?HQL::filter=status%20eq%20%27inProgress%27", statement: "tasks --status inProgress")
        responses.append(running)
        let id = try #require(JSONParser.parse(running.body)["data"]?[0]?["instanceID"]?.intValue)
        responses.append(try await send("GET", "/objects/Tasks/\(id)", statement: "task \(id)"))
        responses.append(try await send("GET", "/objects/Tasks/\(id)/actions", statement: "actions \(id)"))
        let template = try await send("GET", "/objects/Tasks/\(id)/actions/forceStop", statement: "stop \(id) --force")
        responses.append(template)
        responses.append(
            try await send("POST", "/objects/Tasks/\(id)/actions/forceStop/invoke", body: try JSONParser.parse(template.body), statement: "stop \(id) --force"))
        responses.append(try await send("GET", "/objects/Tasks/999999", statement: "task 999999"))
        return responses
    }
}
