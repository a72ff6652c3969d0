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
        .propertyValues: 1, .propertyDefinitions: 150, .schedules: 2050,
    ]

    @Test func theSimulatorRegistersOneHandlerPerRoute() {
        #expect(Set(SimState.routeHandlers.keys) == Set(Route.all))
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

/// What a route's handler gets from the table match: the id of the path, and the forms the
/// table does not spell but servers print (V11's applyTemplate invoke without `actions`).
@Suite struct RouteArgumentTests {
    @Test func theV11ApplyTemplateFormIsTheTablesInvoke() throws {
        let body = #"{"parameters":[{"instanceID":1116}]}"#
        let (status, json) = try RouteTableTests.answer("POST", "/objects/Services/2004/applyTemplate/invoke", body: body)
        #expect(status == 200)
        #expect(json?["state"] == "success")
        #expect(json?["affectedResource"]?[0]?.stringValue?.hasSuffix(Route.service.path(2004)) == true)
        // The V11 path is the invoke's: another method is 405, not 404.
        let (getStatus, _) = try RouteTableTests.answer("GET", "/objects/Services/2004/applyTemplate/invoke")
        #expect(getStatus == 405)
        // Without an integer id it is no route at all.
        let (badStatus, badJSON) = try RouteTableTests.answer("POST", "/objects/Services/x/applyTemplate/invoke", body: body)
        #expect(badStatus == 404)
        #expect(badJSON?["message"]?.stringValue?.contains("no function for") == true)
    }

    /// Each action's template names the route's own invoke, with the id of the request.
    @Test(arguments: Route.all.filter { r in r.answer == .actionTemplate && Route.all.contains { $0.template == r.template + "/invoke" } })
    func anActionTemplateNamesItsInvoke(_ route: Route) throws {
        let id = RouteTableTests.ids[route.resource] ?? 1
        let (status, json) = try RouteTableTests.answer("GET", route.path(id))
        if route == Route.template(.response) {
            // The seeded task 5381 is running, not waiting for a response.
            #expect(status == 409)
            return
        }
        #expect(status == 200, "\(route)")
        let invoke = try #require(Route.all.first { $0.method == "POST" && $0.template == route.template + "/invoke" })
        #expect(json?["href"]?.stringValue == "http://sim:22015/Automation/v1" + invoke.path(id), "\(route)")
        #expect(json?["method"] == "POST")
    }

    /// A missing object of an id route is 404 naming the id the table took from the path.
    @Test func aMissingObjectNamesTheID() throws {
        for route in [Route.task, .service, .schedule, .serviceTemplate, .taskHistory, .propertyValue, .propertyDefinition, .serviceGroup] {
            let (status, json) = try RouteTableTests.answer("GET", route.path(987_654))
            #expect(status == 404, "\(route)")
            #expect(json?["message"]?.stringValue?.contains("987654") == true, "\(route): \(json.map { "\($0)" } ?? "")")
        }
    }
}
