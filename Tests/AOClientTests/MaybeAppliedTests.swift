import AOClient
import AOSimulator
import ATSJSON
import TestSupport
import Testing

/// A state-changing request whose answer is lost after it was sent may have been carried
/// out: the error says so and how to check, from the route (issue 16, item 5).
@Suite(.timeLimit(.minutes(1))) struct MaybeAppliedTests {
    static func simulated(_ faults: SimulatorFaults, timeout: Duration? = nil) throws -> AOClient {
        var configuration = SimulatorConfiguration()
        configuration.faults = faults
        let settings = ConnectionSettings(baseURL: "http://sim:22015", user: "system", password: Secret("manager"), timeout: timeout)
        return try AOClient(settings: settings, transport: SimulatorTransport(Simulator(configuration: configuration)))
    }

    @Test func aDroppedForceStopMayHaveHappened() async throws {
        var faults = SimulatorFaults.none
        faults.drop = [FaultRoute(method: "POST", pathContains: "/forceStop/invoke")]
        let client = try Self.simulated(faults)
        let error = await #expect(throws: APIError.self) { _ = try await client.invokeTaskAction(5381, .forceStop) }
        #expect(error?.maybeApplied == true)
        #expect(error?.route == Route.invoke(.forceStop))
        #expect(error?.details.first == "the force stop may have been carried out: check with task 5381")
        #expect(error?.fields.contains { $0.name == "maybeApplied" && $0.value == true } == true)
    }

    @Test func aTimedOutArchiveMayHaveHappened() async throws {
        var faults = SimulatorFaults.none
        faults.delay = .seconds(5)
        faults.delayRoutes = [FaultRoute(method: "POST", pathContains: "/archive/invoke")]
        let client = try Self.simulated(faults, timeout: .milliseconds(100))
        let done = try #require(try await client.listTasks(TaskQuery(hql: HQLOptions(filter: "status eq 'completed'", limit: 1))).items.first)
        let id = try #require(done["instanceID"]?.intValue)
        let error = await #expect(throws: APIError.self) { _ = try await client.invokeTaskAction(id, .archive) }
        #expect(error?.kind == .timeout)
        #expect(error?.details.first == "the archive may have been carried out: check with task \(id)")
    }

    @Test(arguments: [502, 503, 504])
    func aGatewayErrorOnAPostMayHaveHappened(_ status: Int) async throws {
        let server = try await TestHTTPServer { r in
            if r.method == "POST" { return .respond(status: status) }
            return TestHTTPServer.ao(200, #"{"name":"release","href":"","method":"POST","parameters":[]}"#)
        }
        let error = await #expect(throws: APIError.self) {
            try await server.withClient { client in _ = try await client.invokeServiceAction(2004, .release) }
        }
        #expect(error?.maybeApplied == true)
        #expect(error?.details.first == "the release may have been carried out: check with service 2004")
    }

    @Test func readsAndRefusalsWereNotApplied() async throws {
        let server = try await TestHTTPServer { r in
            if r.method == "POST" { return TestHTTPServer.ao(409, #"{"message":"no","messageID":"KNAE02014-E"}"#) }
            return .respond(status: 504)
        }
        let read = await #expect(throws: APIError.self) { try await server.withClient { client in _ = try await client.version() } }
        #expect(read?.status == 504)
        #expect(read?.maybeApplied == false)
        #expect(read?.fields.contains { $0.name == "maybeApplied" } == false)
        let server2 = try await TestHTTPServer { _ in TestHTTPServer.ao(409, #"{"message":"no","messageID":"KNAE02014-E"}"#) }
        let refused = await #expect(throws: APIError.self) {
            try await server2.withClient { client in _ = try await client.invokeTaskAction(5381, .stop, template: ["name": "stop"]) }
        }
        #expect(refused?.status == 409)
        #expect(refused?.maybeApplied == false)
    }
}
