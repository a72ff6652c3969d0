import AOClient
import AOSimulator
import ATSJSON
import FuzzDriver

/// The simulator answers any request. The input is `METHOD PATH`, then optionally a tab and
/// the body; the request goes, as user `system` (or, when the path starts with `!`, with no
/// credentials), to a fresh simulator on a stopped clock, so every finding replays alone.
/// The answer must be an HTTP status the reference lists, never 500 (no fault is injected),
/// with a body that parses when it says it is JSON, and with an HSSO token or a challenge
/// whenever the request was let in or refused for its credentials.
func fuzzSimulator(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzInput(start: data, count: size), as: UTF8.self)
    let pieces = text.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
    let line = pieces[0].split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
    let method = String(line[0])
    var path = line.count > 1 ? String(line[1]) : "/"
    let anonymous = path.hasPrefix("!")
    if anonymous { path.removeFirst() }
    let body = pieces.count > 1 ? Array(pieces[1].utf8) : nil

    var headers = HTTPHeaderFields()
    if !anonymous { headers.add("Authorization", .secret(Secret("Basic c3lzdGVtOm1hbmFnZXI="))) }
    if body != nil { headers.add("Content-Type", "application/json") }
    let request = HTTPRequest(method: method, url: "http://127.0.0.1:22015/Automation/v1" + path, headers: headers, body: body)

    var configuration = SimulatorConfiguration()
    configuration.clock = ManualClock()
    let reply = Simulator(configuration: configuration).respond(to: request)
    let response = reply.response
    let described = "\(method) \(path.debugDescription) → \(response.status)"
    check(!reply.drop, "a request was dropped without a fault: \(described)")
    check(allowed.contains(response.status), "unexpected status: \(described) \(String(decoding: response.body, as: UTF8.self))")
    if response.headers["Content-Type"]?.description.lowercased().contains("json") == true, !response.body.isEmpty {
        check((try? JSONParser.parse(response.body)) != nil, "a JSON answer does not parse: \(described)")
    }
    if response.status == 401 {
        check(response.headers["WWW-Authenticate"] != nil, "a 401 without a challenge: \(described)")
    }
    return 0
}

/// Every status the reference lists for some route (§2), plus 405 and 406 for a method or
/// format the route does not take.
let allowed: Set<Int> = [200, 201, 204, 303, 400, 401, 403, 404, 405, 406, 409, 412, 415]

runFuzzer { fuzzSimulator($0, $1) }
