import AOClient
import AOSimulator
import AOHTTPServer
import ATSJSON
import Foundation
import Testing

@Suite("Quirk switches and fault injection (reference §6, §7.2)")
struct SwitchTests {
    @Test("quirks are off by default: the simulator writes the reference's preferred forms")
    func defaults() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let stop = try await h.invoke("/objects/Tasks/5381", "stop").json
            #expect(stop?["instanceID"]?.stringValue?.count == 36)
            // The members of the seed page's captured example (2.7.9): `affectedResource`, an array.
            #expect(stop?.objectValue?.keys == ["instanceID", "created", "updated", "completed", "state", "affectedResource"])
            #expect(stop?["affectedResource"]?.arrayValue?.count == 1)
            let t = try await h.get("/objects/Tasks/5381/actions/rerunStepStart").json
            #expect(t?["name"]?.stringValue == "rerunStepStart")
            #expect(t?["href"]?.stringValue?.hasPrefix("http") == true)
            #expect(t?["parameters"]?.arrayValue == [])
        }
    }

    @Test("each quirk reproduces the manual's form", arguments: SimulatorQuirk.allCases)
    func quirk(_ q: SimulatorQuirk) async throws {
        try await SimHarness.with({ $0.quirks = [q] }) { (h: SimHarness) async throws in
            switch q {
            case .instanceId:
                let r = try await h.invoke("/objects/Tasks/5381", "forceStop").json
                #expect(r?["instanceId"]?.stringValue != nil)
                #expect(r?["instanceID"] == nil)
            case .affectedResources:
                let r = try await h.invoke("/objects/Tasks/5381", "stop").json
                #expect(r?["affectedResources"]?[0]?.stringValue?.hasSuffix("/objects/Tasks/5381") == true)
                #expect(r?["affectedResource"] == nil)
            case .affectedResourceString:
                let r = try await h.invoke("/objects/Tasks/5381", "stop").json
                #expect(r?["affectedResource"]?.stringValue?.hasSuffix("/objects/Tasks/5381") == true)
                #expect(r?["affectedResources"] == nil)
            case .leadingSpaceHref:
                let href = try await h.get("/objects/Tasks/5381/actions/stop").json?["href"]?.stringValue
                #expect(href?.hasPrefix(" http://") == true)
            case .nullParameters:
                #expect(try await h.get("/objects/Tasks/5381/actions/stop").json?["parameters"] == .null)
            case .rerunStartName:
                let t = try await h.get("/objects/Tasks/5381/actions/rerunStepStart").json
                #expect(t?["name"]?.stringValue == "rerunStart")
                #expect(t?["href"]?.stringValue?.hasSuffix("/rerunStepStart/invoke") == true)
            case .userInstanceId:
                #expect(try await h.get("/user").json?["resourceGroup"]?[0]?["instanceId"]?.stringValue == "Automation_RG_ALL")
            case .missingPort:
                let href = try await h.get("/objects/Schedules/2050/actions/cancel").json?["href"]?.stringValue
                #expect(href == "http://127.0.0.1:/Automation/v1/objects/Schedules/2050/actions/cancel/invoke")
            case .status201:
                let r = try await h.invoke("/objects/Services/2004", "submit")
                #expect(r.status == 201)
            case .templateAsResult:
                let r = try await h.invoke("/objects/Services/2004", "reset").json
                #expect(r?["name"]?.stringValue == "reset")
                #expect(r?["state"] == nil)
            }
        }
    }

    @Test("a starting server answers 412 with Retry-After for the first N requests")
    func starting() async throws {
        try await SimHarness.with({ $0.faults = try! SimulatorFaults(parsing: "starting=2,retry-after=7") }) { (h: SimHarness) async throws in
            for _ in 0..<2 {
                let r = try await h.get("/configuration/version")
                #expect(r.status == 412)
                #expect(r.header("Retry-After") == "7")
                #expect(r.messageID == "KNAE90412-W")
            }
            #expect(try await h.get("/configuration/version").status == 200)
        }
    }

    @Test("starting-for answers 412 until the time has passed")
    func startingFor() async throws {
        try await SimHarness.with({ $0.faults = try! SimulatorFaults(parsing: "starting-for=30") }) { (h: SimHarness) async throws in
            #expect(try await h.get("/user").status == 412)
            h.advance(.seconds(30))
            #expect(try await h.get("/user").status == 200)
        }
    }

    @Test("500 on chosen routes, other routes unaffected")
    func internalError() async throws {
        try await SimHarness.with({ $0.faults = try! SimulatorFaults(parsing: "500=POST:/actions/stop/invoke") }) { (h: SimHarness) async throws in
            let r = try await h.invoke("/objects/Tasks/5381", "stop")
            #expect(r.status == 500)
            #expect(r.messageID == "KNAE90500-E")
            #expect(try await h.get("/objects/Tasks/5381/actions/stop").status == 200)
            #expect(try await h.status(5381) == "inProgress")
        }
    }

    @Test("a dropped connection: the HTTP server closes the socket, the in-memory transport throws closed")
    func drop() async throws {
        try await SimHarness.with({ $0.faults = try! SimulatorFaults(parsing: "drop=/objects/Tasks/5381") }) { (h: SimHarness) async throws in
            await #expect(throws: (any Error).self) { try await h.get("/objects/Tasks/5381") }
            #expect(try await h.get("/objects/Tasks/5382").status == 200)
            let transport = SimulatorTransport(h.simulator)
            let request = HTTPRequest(method: "GET", url: "http://sim/Automation/v1/objects/Tasks/5381",
                                      headers: ["Authorization": "Basic c3lzdGVtOm1hbmFnZXI="])
            await #expect(throws: TransportFailure.closed(detail: "the simulator dropped the connection (injected fault)")) {
                try await transport.send(request, timeout: nil)
            }
        }
    }

    @Test("a delayed response still arrives; a timeout shorter than the delay fails in memory")
    func delay() async throws {
        var config = SimulatorConfiguration()
        config.clock = ManualClock()
        config.faults = try SimulatorFaults(parsing: "delay=50ms@/user")
        let transport = SimulatorTransport(Simulator(configuration: config))
        let request = HTTPRequest(method: "GET", url: "http://sim/Automation/v1/user", headers: ["Authorization": "Basic c3lzdGVtOm1hbmFnZXI="])
        #expect(try await transport.send(request, timeout: nil).status == 200)
        await #expect(throws: TransportFailure.self) { try await transport.send(request, timeout: .milliseconds(10)) }
    }

    @Test("token-ttl shortens the token lifetime")
    func tokenTTL() async throws {
        try await SimHarness.with({ $0.faults = try! SimulatorFaults(parsing: "token-ttl=5") }) { (h: SimHarness) async throws in
            let token = try #require(try await h.get("/user").token)
            h.advance(.seconds(5))
            #expect(try await h.get("/user", auth: .hsso(token)).status == 401)
        }
    }

    @Test("bad --faults and --quirks text is refused", arguments: ["starting=x", "bogus=1", "delay=fast", "token-ttl=-1"])
    func badFaults(_ text: String) {
        #expect(throws: SimulatorOptionError.self) { try SimulatorFaults(parsing: text) }
    }

    @Test("status strings are configurable")
    func statusStrings() async throws {
        var strings = TaskStatusStrings.likely
        strings.set(.waitingForInput, "WAITING_RESPONSE")
        try await SimHarness.with({ $0.statusStrings = strings }) { (h: SimHarness) async throws in
            #expect(try await h.status(5382) == "WAITING_RESPONSE")
            let r = try await h.get("/objects/Tasks" + query(("HQL::filter", "status eq 'WAITING_RESPONSE'")))
            #expect(try #require(r.count) >= 3)
        }
    }
}
