import AOClient
import AOHTTPServer
import AOSimulator
import ATSJSON
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP answer as the tests see it.
struct Reply: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSON? { try? JSONParser.parse(body) }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    func headers(named name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }

    /// The HSSO token of `WWW-Authenticate: HSSO <token>`.
    var token: String? {
        headers(named: "WWW-Authenticate").first { $0.hasPrefix("HSSO ") && $0.count > 5 }.map { String($0.dropFirst(5)) }
    }
    var messageID: String? { json?["messageID"]?.stringValue }
    var data: [JSON] { json?["data"]?.arrayValue ?? [] }
    var count: Int? { json?["count"]?.intValue }
}

/// Who a request authenticates as.
enum Auth: Sendable {
    case system, `operator`, dbadmin
    case basic(String, String)
    case hsso(String)
    case raw(String)
    case none

    var header: String? {
        func basic(_ u: String, _ p: String) -> String { "Basic " + Data("\(u):\(p)".utf8).base64EncodedString() }
        switch self {
        case .system: return basic("system", "manager")
        case .operator: return basic("operator", "operator")
        case .dbadmin: return basic("dbadmin", "dbadmin")
        case .basic(let u, let p): return basic(u, p)
        case .hsso(let t): return "HSSO " + t
        case .raw(let r): return r
        case .none: return nil
        }
    }
}

/// A simulator on a manual clock served over real loopback HTTP, and an AsyncHTTPClient to talk to it.
final class SimHarness: Sendable {
    let simulator: Simulator
    let server: SimulatorServer
    let client: HTTPClient
    let clock: ManualClock

    private init(simulator: Simulator, server: SimulatorServer, client: HTTPClient, clock: ManualClock) {
        self.simulator = simulator
        self.server = server
        self.client = client
        self.clock = clock
    }

    /// Runs `body` against a fresh simulator (seed 1, manual clock) on a free port.
    static func with(
        _ configure: (inout SimulatorConfiguration) -> Void = { _ in },
        tls: SimulatorServer.TLSFiles? = nil,
        _ body: (SimHarness) async throws -> Void
    ) async throws {
        let clock = ManualClock()
        var config = SimulatorConfiguration()
        config.clock = clock
        configure(&config)
        let sim = Simulator(configuration: config)
        let server = SimulatorServer(simulator: sim, host: "127.0.0.1", port: 0, tls: tls)
        try await server.start()
        var clientConfig = HTTPClient.Configuration(redirectConfiguration: .disallow)
        if tls != nil {
            var t = TLSConfiguration.makeClientConfiguration()
            t.certificateVerification = .none
            clientConfig.tlsConfiguration = t
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfig)
        let h = SimHarness(simulator: sim, server: server, client: client, clock: clock)
        do {
            try await body(h)
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    /// `METHOD /Automation/v1<path>` over HTTP.
    func request(
        _ method: String, _ path: String, auth: Auth = .system, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> Reply {
        var req = HTTPClientRequest(url: server.baseURL + "/Automation/v1" + path)
        req.method = HTTPMethod(rawValue: method)
        if let h = auth.header { req.headers.add(name: "Authorization", value: h) }
        for (n, v) in headers { req.headers.add(name: n, value: v) }
        if let body {
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                req.headers.add(name: "Content-Type", value: "application/json")
            }
            req.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(req, timeout: .seconds(30))
        var buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
    }

    func get(_ path: String, auth: Auth = .system) async throws -> Reply { try await request("GET", path, auth: auth) }

    /// POST `…/actions/<action>/invoke` with the template body (the way the client sends it).
    func invoke(_ resource: String, _ action: String, auth: Auth = .system, parameters: String = "[]") async throws -> Reply {
        let body = "{\"name\":\"\(action)\",\"href\":\"http://x/\",\"method\":\"POST\",\"parameters\":\(parameters)}"
        return try await request("POST", "\(resource)/actions/\(action)/invoke", auth: auth, body: body)
    }

    /// Submits a service by name (immediate) and returns the new task id.
    func submit(_ service: String, parameters: String = "[]", auth: Auth = .system) async throws -> Int? {
        guard let id = simulator.serviceID(named: service) else { return nil }
        let r = try await invoke("/objects/Services/\(id)", "submit", auth: auth, parameters: parameters)
        guard r.status == 200, let url = r.json?["affectedResource"]?[0]?.stringValue else { return nil }
        return Int(url.split(separator: "/").last ?? "")
    }

    func status(_ taskID: Int) async throws -> String? {
        try await get("/objects/Tasks/\(taskID)").json?["status"]?.stringValue
    }

    func advance(_ duration: Duration) { clock.advance(by: duration) }
}

/// URL query text with each value percent-encoded.
func query(_ pairs: (String, String)...) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return "?" + pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
        .joined(separator: "&")
}
