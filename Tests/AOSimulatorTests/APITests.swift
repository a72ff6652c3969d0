import AOSimulator
import ATSJSON
import Foundation
import Testing

/// One request of the route table: method, path (after /Automation/v1), body, expected status.
struct RouteCase: Sendable, CustomTestStringConvertible {
    var method: String
    var path: String
    var body: String?
    var status: Int
    var contentType: String = "application/json"
    var testDescription: String { "\(method) \(path) → \(status)" }
}

private let template = "{\"name\":\"x\",\"href\":\"\",\"method\":\"POST\",\"parameters\":[]}"

/// Every route of reference §2.0, on the default seed, as system/manager.
let routeTable: [RouteCase] = [
    RouteCase(method: "GET", path: "/objects/ServiceTemplates", status: 200),
    RouteCase(method: "GET", path: "/objects/ServiceTemplates/1116", status: 200),
    RouteCase(method: "DELETE", path: "/objects/ServiceTemplates/1116", status: 409),
    RouteCase(method: "DELETE", path: "/objects/ServiceTemplates/99999", status: 204),
    RouteCase(method: "GET", path: "/objects/ServiceTemplates/1116/actions", status: 200),
    RouteCase(method: "GET", path: "/services/ServiceTemplates/actions/import", status: 200, contentType: "text/html;charset=utf-8"),
    RouteCase(method: "POST", path: "/services/ServiceTemplates/actions/import/invoke",
              body: "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"MyTemplate.st\"\r\n\r\nPK\r\n--b--\r\n", status: 200),
    RouteCase(method: "GET", path: "/objects/ServiceTemplates/1116/actions/export", status: 200),
    RouteCase(method: "POST", path: "/objects/ServiceTemplates/1116/actions/export/invoke", body: template, status: 200,
              contentType: "application/octet-stream"),
    RouteCase(method: "GET", path: "/objects/ServiceTemplates/1116/actions/detailhelp", status: 200),
    RouteCase(method: "GET", path: "/objects/ServiceTemplates/1116/actions/bind", status: 200),
    RouteCase(method: "POST", path: "/objects/ServiceTemplates/1116/actions/bind/invoke",
              body: "{\"parameters\":[{\"name\":\"Backup Sales DB\",\"serviceGroupName\":\"Database\"},{\"keyName\":\"target\",\"value\":\"SALES\"}]}", status: 200),
    RouteCase(method: "GET", path: "/objects/Services", status: 200),
    RouteCase(method: "GET", path: "/objects/Services/2004", status: 200),
    RouteCase(method: "PUT", path: "/objects/Services/2004", body: "{\"name\":\"Backup Database\",\"favorite\":true}", status: 200),
    RouteCase(method: "DELETE", path: "/objects/Services/2004", status: 409),
    RouteCase(method: "GET", path: "/objects/Services/2004/actions", status: 200),
    RouteCase(method: "GET", path: "/objects/Services/2004/actions/submit", status: 200),
    RouteCase(method: "POST", path: "/objects/Services/2004/actions/submit/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Services/2004/actions/reset", status: 200),
    RouteCase(method: "POST", path: "/objects/Services/2004/actions/reset/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Services/2004/actions/release", status: 200),
    RouteCase(method: "POST", path: "/objects/Services/2004/actions/release/invoke", body: template, status: 409),
    RouteCase(method: "POST", path: "/objects/Services/2017/actions/release/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Services/2004/actions/maintenance", status: 200),
    RouteCase(method: "POST", path: "/objects/Services/2004/actions/maintenance/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Services/2004/actions/disable", status: 200),
    RouteCase(method: "POST", path: "/objects/Services/2004/actions/disable/invoke", body: template, status: 200),
    RouteCase(method: "POST", path: "/objects/Services/2017/actions/disable/invoke", body: template, status: 409),
    RouteCase(method: "GET", path: "/objects/Services/2004/actions/detailhelp", status: 200),
    RouteCase(method: "GET", path: "/objects/Schedules", status: 200),
    RouteCase(method: "GET", path: "/objects/Schedules/2050", status: 200),
    RouteCase(method: "GET", path: "/objects/Schedules/2050/actions", status: 200),
    RouteCase(method: "GET", path: "/objects/Schedules/2050/actions/cancel", status: 200),
    RouteCase(method: "POST", path: "/objects/Schedules/2050/actions/cancel/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Schedules/2050/actions/suspend", status: 200),
    RouteCase(method: "POST", path: "/objects/Schedules/2050/actions/suspend/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Schedules/2052/actions/resume", status: 200),
    RouteCase(method: "POST", path: "/objects/Schedules/2052/actions/resume/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Tasks", status: 200),
    RouteCase(method: "GET", path: "/objects/Tasks/5381", status: 200),
    RouteCase(method: "PUT", path: "/objects/Tasks/5381", body: "{\"notes\":\"n\"}", status: 200),
    RouteCase(method: "DELETE", path: "/objects/Tasks/5381", status: 303, contentType: "text/html;charset=utf-8"),
    RouteCase(method: "GET", path: "/objects/Tasks/5381/actions", status: 200),
    RouteCase(method: "GET", path: "/objects/Tasks/5381/actions/stop", status: 200),
    RouteCase(method: "POST", path: "/objects/Tasks/5381/actions/stop/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Tasks/5381/actions/forceStop", status: 200),
    RouteCase(method: "POST", path: "/objects/Tasks/5381/actions/forceStop/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Tasks/5000/actions/resubmit", status: 200),
    RouteCase(method: "POST", path: "/objects/Tasks/5000/actions/resubmit/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/Tasks/5382/actions/response", status: 200),
    RouteCase(method: "POST", path: "/objects/Tasks/5382/actions/response/invoke",
              body: "{\"parameters\":[{\"labelbutton1\":\"Approve\"}]}", status: 200),
    RouteCase(method: "GET", path: "/objects/Tasks/5381/actions/rerunStart", status: 200),
    RouteCase(method: "POST", path: "/objects/Tasks/5381/actions/rerunStart/invoke", body: template, status: 409),
    RouteCase(method: "GET", path: "/objects/Tasks/5381/actions/rerunStepStart", status: 200),
    RouteCase(method: "POST", path: "/objects/Tasks/5381/actions/rerunStepStart/invoke", body: template, status: 409),
    RouteCase(method: "GET", path: "/objects/Tasks/5000/actions/archive", status: 200),
    RouteCase(method: "POST", path: "/objects/Tasks/5000/actions/archive/invoke", body: template, status: 200),
    RouteCase(method: "GET", path: "/objects/FlowSteps?taskID=5381", status: 200),
    RouteCase(method: "GET", path: "/objects/FlowSteps?taskID=5381&serviceID=2004", status: 400),
    RouteCase(method: "GET", path: "/objects/TaskLogs?taskID=5381", status: 200),
    RouteCase(method: "GET", path: "/objects/TaskLogs?taskID=5381&offset=0&readSize=100&reverse", status: 200),
    RouteCase(method: "GET", path: "/objects/TaskHistories", status: 200),
    RouteCase(method: "DELETE", path: "/objects/TaskHistories?serviceGroupID=4&start=2015-07-01T00:00:00.000%2B09:00&end=2015-07-20T00:00:00.000%2B09:00", status: 204),
    RouteCase(method: "DELETE", path: "/objects/TaskHistories?start=2015-07-01T00:00:00.000%2B0900", status: 400),
    RouteCase(method: "GET", path: "/objects/TaskHistories/4950", status: 200),
    RouteCase(method: "DELETE", path: "/objects/TaskHistories/4950", status: 204),
    RouteCase(method: "GET", path: "/objects/TaskHistories/4950/actions", status: 200),
    RouteCase(method: "GET", path: "/objects/PropertyDefinitions?serviceID=2004", status: 200),
    RouteCase(method: "GET", path: "/objects/PropertyDefinitions/150", status: 200),
    RouteCase(method: "GET", path: "/objects/PropertyInformations?serviceID=2004", status: 200),
    RouteCase(method: "GET", path: "/objects/PropertyInformations", status: 400),
    RouteCase(method: "GET", path: "/objects/PropertyValues", status: 200),
    RouteCase(method: "GET", path: "/objects/PropertyValues?taskID=5381", status: 200),
    RouteCase(method: "PUT", path: "/objects/PropertyValues?serviceID=2004",
              body: "{\"pagination\":{},\"data\":[{\"instanceID\":3,\"value\":\"SALES\"}],\"count\":1}", status: 200),
    RouteCase(method: "GET", path: "/objects/PropertyValues/3", status: 200),
    RouteCase(method: "PUT", path: "/objects/PropertyValues/4", body: "{\"value\":\"incremental\"}", status: 200),
    RouteCase(method: "PUT", path: "/objects/PropertyValues/4", body: "{\"value\":\"sometimes\"}", status: 400),
    RouteCase(method: "GET", path: "/objects/PropertyGroups?serviceID=2004", status: 200),
    RouteCase(method: "GET", path: "/objects/PropertyGroups?serviceID=2004&taskID=5381", status: 400),
    RouteCase(method: "GET", path: "/objects/ServiceGroups", status: 200),
    RouteCase(method: "GET", path: "/objects/ServiceGroups/3", status: 200),
    RouteCase(method: "GET", path: "/objects/TagGroups", status: 200),
    RouteCase(method: "GET", path: "/objects/Tags", status: 200),
    RouteCase(method: "GET", path: "/objects/Tags?resourceType=Task&detail", status: 200),
    RouteCase(method: "GET", path: "/user", status: 200),
    RouteCase(method: "GET", path: "/configuration/version", status: 200),
    RouteCase(method: "GET", path: "/objects/Nothing", status: 404),
    RouteCase(method: "POST", path: "/objects/Tasks", body: "{}", status: 405),
    RouteCase(method: "GET", path: "/objects/Tasks/999999", status: 404),
    RouteCase(method: "HEAD", path: "/objects/Tasks/5381", status: 200),
]

@Suite("The API over real HTTP (reference §1, §2)")
struct APITests {
    @Test("every route answers as the reference says", arguments: routeTable)
    func route(_ c: RouteCase) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let headers: [(String, String)] = c.path.contains("import/invoke") ? [("Content-Type", "multipart/form-data; boundary=b")] : []
            let r = try await h.request(c.method, c.path, headers: headers, body: c.body)
            #expect(r.status == c.status, "\(c.method) \(c.path): \(r.text)")
            #expect(r.header("Server") == "Cosminexus HTTP Server")
            #expect(r.header("Date") != nil)
            if c.status == 204 {
                // NIO drops Content-Length on 204 on the wire (RFC 9110); the in-memory response has it.
                #expect((r.header("Content-Length") ?? "0") == "0")
                #expect(r.body.isEmpty)
            } else if c.method != "HEAD" {
                #expect(r.header("Content-Type") == (c.status >= 400 ? "application/json" : c.contentType))
                #expect(!r.body.isEmpty)
            }
            if c.status >= 400 {
                #expect(r.json?["application"]?.stringValue == "Automation")
                #expect(r.json?["errorSource"]?.stringValue == h.server.baseURL + "/Automation/v1" + c.path)
                #expect(r.messageID?.hasPrefix("KNAE") == true)
                #expect(r.json?["message"]?.stringValue?.isEmpty == false)
            }
            if c.status == 200 && c.contentType == "application/json" && c.method != "HEAD" {
                let json = try #require(r.json)
                if json["data"] != nil { #expect(json["count"]?.intValue != nil) }
            }
        }
    }

    @Test("every response carries the header set of §1.4 and a fresh HSSO token")
    func headerSet() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let r = try await h.get("/objects/Tasks/5381")
            let expected: [(String, String)] = [
                ("Access-Control-Expose-Headers", "WWW-Authenticate"), ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET, POST, DELETE, PUT, HEAD, OPTIONS"),
                ("Access-Control-Allow-Credentials", "true"), ("Cache-Control", "no-cache"),
                ("Transfer-Encoding", "chunked"), ("Content-Type", "application/json"),
            ]
            for (name, value) in expected { #expect(r.header(name) == value, "\(name)") }
            let token = try #require(r.token)
            #expect(token.wholeMatch(of: /[0-9a-f]{40}_[A-Za-z0-9+\/]{20}=_V0810/) != nil)
            let user = try await h.get("/user")
            #expect(user.header("Cache-Control") == "no-store, no-transform")
            #expect(user.token != token)
            let start = try #require(r.json?["startTime"]?.stringValue)
            #expect(start.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0900/) != nil)
        }
    }

    @Test("HSSO tokens work until 1,000 s after issue")
    func tokenLifetime() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let token = try #require(try await h.get("/configuration/version").token)
            h.advance(.seconds(999))
            let reused = try await h.get("/configuration/version", auth: .hsso(token))
            #expect(reused.status == 200)
            h.advance(.seconds(1))
            let expired = try await h.get("/configuration/version", auth: .hsso(token))
            #expect(expired.status == 401)
            #expect(expired.headers(named: "WWW-Authenticate").contains { $0.hasPrefix("Basic") })
            // The token issued at 999 s is still valid.
            #expect(try await h.get("/user", auth: .hsso(try #require(reused.token))).status == 200)
            h.simulator.expireTokens()
            #expect(try await h.get("/user", auth: .hsso(try #require(reused.token))).status == 401)
        }
    }

    @Test("bad credentials answer 401 with the error body", arguments: [
        Auth.none, .basic("system", "wrong"), .basic("nobody", "x"), .raw("Basic !!!"), .hsso("abc_V0810"), .raw("Bearer x"),
    ])
    func unauthenticated(_ auth: Auth) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let r = try await h.get("/objects/Tasks/999999", auth: auth)  // 401 comes before 404
            #expect(r.status == 401)
            #expect(r.messageID == "KNAE90401-E")
            #expect(r.token == nil)
        }
    }

    @Test("checks run in the order 401, 404, 403, 400, 409")
    func orderOfChecks() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            // 404 before 403: the operator may not archive, but the task does not exist.
            #expect(try await h.invoke("/objects/Tasks/999999", "archive", auth: .operator).status == 404)
            // 403 before 400: a malformed body from a user without the role.
            let forbidden = try await h.request("POST", "/objects/Tasks/5000/actions/archive/invoke", auth: .operator, body: "{oops")
            #expect(forbidden.status == 403)
            #expect(forbidden.messageID == "KNAE90403-E")
            // 400 before 409: a malformed body on a task whose status refuses the action.
            #expect(try await h.request("POST", "/objects/Tasks/5000/actions/stop/invoke", body: "{oops").status == 400)
            #expect(try await h.invoke("/objects/Tasks/5000", "stop").status == 409)
        }
    }

    @Test("roles: the operator may run and stop but not archive, delete or read templates")
    func operatorRole() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            #expect(try await h.invoke("/objects/Tasks/5381", "stop", auth: .operator).status == 200)
            #expect(try await h.submit("Backup Database", auth: .operator) != nil)
            #expect(try await h.invoke("/objects/Tasks/5000", "archive", auth: .operator).status == 403)
            #expect(try await h.request("DELETE", "/objects/Tasks/5000", auth: .operator).status == 403)
            #expect(try await h.get("/objects/ServiceTemplates", auth: .operator).status == 403)
            #expect(try await h.request("PUT", "/objects/Services/2004", auth: .operator, body: "{\"name\":\"Backup Database\",\"favorite\":true}").status == 200)
            #expect(try await h.request("PUT", "/objects/Services/2004", auth: .operator, body: "{\"name\":\"Renamed\"}").status == 403)
            let user = try await h.get("/user", auth: .operator).json
            #expect(user?["userName"]?.stringValue == "Operator")
            #expect(user?["accessPermission"]?.arrayValue == [])
            #expect(user?["resourceGroup"]?[0]?["accessPermission"]?.arrayValue == ["View", "Execute"])
            let system = try await h.get("/user").json
            #expect(system?["accessPermission"]?.arrayValue == ["User Management"])
            #expect(system?["resourceGroup"]?[0]?["instanceID"]?.stringValue == "Automation_RG_ALL")
        }
    }

    @Test("visibility: a user sees only the tasks of his service groups; others are 404")
    func visibility() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let all = try await h.get("/objects/Tasks?HQL::limit=0")
            let mine = try await h.get("/objects/Tasks", auth: .dbadmin)
            #expect(mine.status == 200)
            #expect(try #require(mine.count) < all.count!)
            #expect(mine.data.allSatisfy { $0["serviceGroupName"]?.stringValue == "Database" })
            let infra = try await h.get("/objects/Tasks?HQL::filter=serviceGroupName%20eq%20'Infrastructure'&HQL::limit=1")
            let hidden = try #require(infra.data.first?["instanceID"]?.intValue)
            #expect(try await h.get("/objects/Tasks/\(hidden)", auth: .dbadmin).status == 404)
            #expect(try await h.get("/objects/Tasks/5381", auth: .dbadmin).status == 200)
        }
    }

    @Test("the seed: 5381 is in progress, 999999 does not exist, old waiting tasks exist, every status is present")
    func seedData() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let t = try await h.get("/objects/Tasks/5381").json
            #expect(t?["status"]?.stringValue == "inProgress")
            #expect(t?["serviceName"]?.stringValue == "Backup Database")
            let missing = try await h.get("/objects/Tasks/999999")
            #expect(missing.status == 404)
            #expect(missing.messageID == "KNAE02102-E")
            let hourAgo = "2015-08-07T09:00:00.000+09:00"
            let old = try await h.get("/objects/Tasks" + query(("HQL::filter", "status eq 'waitingResponse' and startTime lt '\(hourAgo)'")))
            #expect(try #require(old.count) >= 2)
            for status in TaskStatus.allCases {
                #expect(!h.simulator.taskIDs(in: status).isEmpty, "\(status)")
            }
            let services = try await h.get("/objects/Services").data.compactMap { $0["name"]?.stringValue }
            for name in ["Backup Database", "Provision VM", "Rotate Logs", "Patch Servers"] { #expect(services.contains(name)) }
            let props = try await h.get("/objects/PropertyValues?serviceID=2004").data.compactMap { $0["keyName"]?.stringValue }
            #expect(props == ["target", "mode"])
            #expect(try await h.get("/objects/TaskHistories").count ?? 0 >= 30)
        }
    }

    @Test("OPTIONS answers with the CORS headers; Accept: application/xml is refused with 406; text/xml body with 415")
    func formats() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let o = try await h.request("OPTIONS", "/objects/Tasks", auth: .none)
            #expect(o.status == 200)
            #expect(o.header("Access-Control-Allow-Methods") == "GET, POST, DELETE, PUT, HEAD, OPTIONS")
            #expect(try await h.request("GET", "/objects/Tasks", headers: [("Accept", "application/xml")]).status == 406)
            #expect(try await h.get("/objects/Tasks?alt=xml").status == 406)
            let r = try await h.request("PUT", "/objects/Tasks/5381", headers: [("Content-Type", "application/xml")], body: "<Task/>")
            #expect(r.status == 415)
        }
    }
}
