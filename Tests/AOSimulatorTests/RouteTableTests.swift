import AOClient
@testable import AOSimulator
import ATSJSON
import Testing

/// The simulator answers exactly the routes of the client's table (`Route.all`): each of
/// them with something other than "no such function", anything else with 404 and the
/// standard error body.
@Suite struct RouteTableTests {
    /// One request in memory; the id of a route is a seeded object of its kind.
    static func answer(_ method: String, _ path: String, body: String? = nil) throws -> (status: Int, json: JSON?) {
        let sim = Simulator()
        var headers = HTTPHeaderFields()
        headers.add("Authorization", "Basic c3lzdGVtOm1hbmFnZXI=")
        headers.add("Content-Type", "application/json")
        let request = HTTPRequest(
            method: method, url: "http://sim:22015/Automation/v1" + path, headers: headers, body: body.map { Array($0.utf8) })
        let reply = sim.respond(to: request)
        return (reply.response.status, try? JSONParser.parse(reply.response.body))
    }

    static let ids: [APIOperation.Resource: Int] = [
        .tasks: 5381, .services: 2004, .serviceTemplates: 1116, .taskHistories: 4950, .serviceGroups: 1,
        .propertyValues: 1, .propertyDefinitions: 1, .schedules: 1,
    ]

    @Test func theSimulatorRegistersOneHandlerPerRoute() {
        #expect(Set(SimState.routeHandlers.keys) == Set(Route.all.map(\.section)))
    }

    @Test(arguments: Route.all)
    func everyRouteHasAHandler(_ route: Route) throws {
        let path = route.path(route.takesID ? Self.ids[route.resource] ?? 1 : nil)
        let body = route.method == "GET" ? nil : #"{"name":"x","href":"","method":"POST","parameters":[]}"#
        let (status, json) = try Self.answer(route.method, path, body: body)
        // A handler may refuse the request (400, 409, a missing object), but it exists: never
        // "no such function" (404 for a path outside the table) nor 405.
        #expect(status != 405, "\(route)")
        if status == 404 {
            #expect(json?["message"]?.stringValue?.contains("no function for") != true, "\(route): \(json.map { "\($0)" } ?? "")")
        }
    }

    @Test(arguments: [
        ("GET", "/objects/Nope"), ("GET", "/objects/Tasks/5381/actions/nope"), ("GET", "/objects/Tasks/5381/steps"),
        ("GET", "/objects/PropertyGroups/1"), ("GET", "/objects/ServiceGroups/1/actions"), ("GET", "/nope"),
    ])
    func anythingElseIs404WithTheErrorBody(_ method: String, _ path: String) throws {
        #expect(Route.find(method: method, path: path) == nil)
        let (status, json) = try Self.answer(method, path)
        #expect(status == 404)
        #expect(json?["messageID"] == "KNAE02102-E")
        #expect(json?["application"] == "Automation")
        #expect(json?["message"]?.stringValue?.contains("no function for") == true)
        #expect(json?["errorSource"]?.stringValue?.hasSuffix(path) == true)
    }
}
