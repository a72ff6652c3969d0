import ATSJSON
import AOClient
import AOSimulator
import TestSupport
import Testing

/// One call per route of the table (`Route.all`: reference §2.0 and §2.10), run against the
/// in-memory simulator through a recording transport: each checks the exact method, path
/// and percent-encoded query sent, that the simulator answered with success, and for every
/// invoke that the body was the template the GET before it answered.
@Suite(.timeLimit(.minutes(1))) struct OperationsTests {
    /// Ids of seeded objects in the states the actions need, found before recording starts.
    struct Seeds: Sendable {
        var failedTask = 0, completedTask = 0, waitingTask = 0, history = 0, schedule = 0
        var definition = 0, value = 0, group = 0, maintenanceService = 0

        init(_ c: AOClient) async throws {
            func first(_ list: ResourceList) throws -> Int { try #require(list.items.first?["instanceID"]?.intValue) }
            failedTask = try first(try await c.listTasks(TaskQuery(hql: HQLOptions(filter: "status eq 'failed'", limit: 1))))
            completedTask = try first(try await c.listTasks(TaskQuery(hql: HQLOptions(filter: "status eq 'completed'", limit: 1))))
            waitingTask = try first(try await c.listTasks(TaskQuery(hql: HQLOptions(filter: "status eq 'waitingResponse'", limit: 1))))
            history = try first(try await c.listTaskHistories(TaskHistoryQuery(hql: HQLOptions(limit: 1))))
            schedule = try first(try await c.listSchedules(ScheduleQuery(hql: HQLOptions(filter: "status eq 'waiting'", limit: 1))))
            definition = try first(try await c.listPropertyDefinitions(.serviceTemplate(1116)))
            value = try first(try await c.listPropertyValues(.service(2004)))
            group = try first(try await c.listServiceGroups())
            maintenanceService = try first(try await c.listServices(ServiceQuery(hql: HQLOptions(filter: "serviceState eq 'maintenance'"))))
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var section: String
        /// The requests expected, as `METHOD uri` (uri below `/Automation/v1`).
        var expected: @Sendable (Seeds) -> [String]
        var call: @Sendable (AOClient, Seeds) async throws -> Void
        var testDescription: String { section }
        init(
            _ section: String, _ expected: @escaping @Sendable (Seeds) -> [String],
            _ call: @escaping @Sendable (AOClient, Seeds) async throws -> Void
        ) {
            self.section = section
            self.expected = expected
            self.call = call
        }
    }

    /// `GET path` then `POST path/invoke`: an action run the §1.10 way.
    static func run(_ path: String) -> [String] { ["GET \(path)", "POST \(path)/invoke"] }

    static let cases: [Case] = [
        // 2.4 Service templates
        Case("2.4.1", { _ in ["GET /objects/ServiceTemplates?tags=a,b&q=x%20y&keyName=k&HQL::offset=0"] }) { c, _ in
            _ = try await c.listServiceTemplates(ServiceTemplateQuery(tags: ["a", "b"], q: "x y", keyName: "k", hql: HQLOptions(offset: 0)))
        },
        Case("2.4.2", { _ in ["GET /objects/ServiceTemplates/1116"] }) { c, _ in _ = try await c.serviceTemplate(1116) },
        Case("2.4.3", { _ in ["DELETE /objects/ServiceTemplates/99999"] }) { c, _ in try await c.deleteServiceTemplate(99999) },
        Case("2.4.4", { _ in ["GET /objects/ServiceTemplates/1116/actions"] }) { c, _ in _ = try await c.serviceTemplateActions(1116) },
        Case("2.4.5", { _ in ["GET /services/ServiceTemplates/actions/import"] }) { c, _ in
            let form = try await c.serviceTemplateImportForm()
            #expect(form.contains("multipart/form-data"))
        },
        Case("2.4.6", { _ in ["POST /services/ServiceTemplates/actions/import/invoke"] }) { c, _ in
            let job = try await c.importServiceTemplate(fileName: "/tmp/pkg.st", contents: [1, 2, 3])
            #expect(job.affectedIDs(in: "ServiceTemplates").count == 1)
        },
        Case("2.4.7", { _ in ["GET /objects/ServiceTemplates/1116/actions/export"] }) { c, _ in
            _ = try await c.serviceTemplateActionTemplate(1116, .export)
        },
        Case("2.4.8", { _ in run("/objects/ServiceTemplates/1116/actions/export") }) { c, _ in
            let file = try await c.exportServiceTemplate(1116)
            #expect(file.filename?.hasSuffix(".st") == true)
            #expect(!file.bytes.isEmpty)
        },
        Case("2.4.9", { _ in ["GET /objects/ServiceTemplates/1116/actions/detailhelp"] }) { c, _ in
            _ = try await c.serviceTemplateActionTemplate(1116, .detailhelp)
        },
        Case("2.4.10", { _ in ["GET /objects/ServiceTemplates/1116/actions/bind"] }) { c, _ in
            _ = try await c.serviceTemplateActionTemplate(1116, .bind)
        },
        Case("2.4.11", { _ in run("/objects/ServiceTemplates/1116/actions/bind") }) { c, _ in
            let job = try await c.bindServiceTemplate(1116, BindRequest(name: "New service"))
            #expect(job.state == "success")
        },
        // 2.5 Services
        Case("2.5.1", { _ in ["GET /objects/Services?serviceGroupID=3&favorite=true&propertyKey=mail&HQL::sortBy=name%20DESC"] }) { c, _ in
            _ = try await c.listServices(ServiceQuery(serviceGroupID: 3, favorite: true, propertyKey: "mail", hql: HQLOptions(sortBy: "name DESC")))
        },
        Case("2.5.2", { _ in ["GET /objects/Services/2004"] }) { c, _ in _ = try await c.service(2004) },
        Case("2.5.3", { _ in ["GET /objects/Services/2004", "PUT /objects/Services/2004"] }) { c, _ in
            var s = try await c.service(2004)
            s["favorite"] = true
            let edited = try await c.editService(2004, s)
            #expect(edited["favorite"] == true)
        },
        Case("2.5.4", { _ in ["DELETE /objects/Services/99999"] }) { c, _ in try await c.deleteService(99999) },
        Case("2.5.5", { _ in ["GET /objects/Services/2004/actions"] }) { c, _ in _ = try await c.serviceActions(2004) },
        Case("2.5.6", { _ in ["GET /objects/Services/2004/actions/submit"] }) { c, _ in _ = try await c.serviceActionTemplate(2004, .submit) },
        Case("2.5.7", { _ in run("/objects/Services/2004/actions/submit") }) { c, _ in
            let job = try await c.submitService(2004, SubmitRequest(taskName: "t", schedule: .immediate))
            #expect(c.createdTaskID(job) != nil)
        },
        Case("2.5.8", { _ in ["GET /objects/Services/2004/actions/reset"] }) { c, _ in _ = try await c.serviceActionTemplate(2004, .reset) },
        Case("2.5.9", { _ in run("/objects/Services/2004/actions/reset") }) { c, _ in _ = try await c.invokeServiceAction(2004, .reset) },
        Case("2.5.10", { _ in ["GET /objects/Services/2004/actions/release"] }) { c, _ in _ = try await c.serviceActionTemplate(2004, .release) },
        Case("2.5.11", { s in run("/objects/Services/\(s.maintenanceService)/actions/release") }) { c, s in
            _ = try await c.invokeServiceAction(s.maintenanceService, .release)
        },
        Case("2.5.12", { _ in ["GET /objects/Services/2004/actions/maintenance"] }) { c, _ in
            _ = try await c.serviceActionTemplate(2004, .maintenance)
        },
        Case("2.5.13", { _ in run("/objects/Services/2004/actions/maintenance") }) { c, _ in
            _ = try await c.invokeServiceAction(2004, .maintenance)
        },
        Case("2.5.14", { _ in ["GET /objects/Services/2004/actions/disable"] }) { c, _ in _ = try await c.serviceActionTemplate(2004, .disable) },
        Case("2.5.15", { _ in run("/objects/Services/2004/actions/disable") }) { c, _ in _ = try await c.invokeServiceAction(2004, .disable) },
        Case("2.5.16", { _ in ["GET /objects/Services/2004/actions/detailhelp"] }) { c, _ in
            _ = try await c.serviceActionTemplate(2004, .detailhelp)
        },
        Case("2.5.17", { _ in ["GET /objects/Services/2004/actions/applyTemplate"] }) { c, _ in
            let t = try await c.serviceActionTemplate(2004, .applyTemplate)
            #expect(t["parameters"]?[0]?["instanceID"] == 1116)
        },
        Case("2.5.18", { _ in run("/objects/Services/2004/actions/applyTemplate") }) { c, _ in
            let job = try await c.applyTemplate(2004, templateID: 1116)
            #expect(job.resultType == "Service")
        },
        // 2.6 Schedules
        Case("2.6.1", { _ in ["GET /objects/Schedules?serviceID=2004&scheduleStatus=running"] }) { c, _ in
            _ = try await c.listSchedules(ScheduleQuery(serviceID: 2004, scheduleStatus: "running"))
        },
        Case("2.6.2", { s in ["GET /objects/Schedules/\(s.schedule)"] }) { c, s in _ = try await c.schedule(s.schedule) },
        Case("2.6.3", { s in ["GET /objects/Schedules/\(s.schedule)/actions"] }) { c, s in _ = try await c.scheduleActions(s.schedule) },
        Case("2.6.4", { s in ["GET /objects/Schedules/\(s.schedule)/actions/cancel"] }) { c, s in
            _ = try await c.scheduleActionTemplate(s.schedule, .cancel)
        },
        Case("2.6.5", { s in run("/objects/Schedules/\(s.schedule)/actions/cancel") }) { c, s in
            _ = try await c.invokeScheduleAction(s.schedule, .cancel)
        },
        Case("2.6.6", { s in ["GET /objects/Schedules/\(s.schedule)/actions/suspend"] }) { c, s in
            _ = try await c.scheduleActionTemplate(s.schedule, .suspend)
        },
        Case("2.6.7", { s in run("/objects/Schedules/\(s.schedule)/actions/suspend") }) { c, s in
            _ = try await c.invokeScheduleAction(s.schedule, .suspend)
        },
        Case("2.6.8", { s in ["GET /objects/Schedules/\(s.schedule)/actions/resume"] }) { c, s in
            _ = try await c.scheduleActionTemplate(s.schedule, .resume)
        },
        Case("2.6.9", { s in run("/objects/Schedules/\(s.schedule)/actions/suspend") + run("/objects/Schedules/\(s.schedule)/actions/resume") }) {
            c, s in
            _ = try await c.invokeScheduleAction(s.schedule, .suspend)
            _ = try await c.invokeScheduleAction(s.schedule, .resume)
        },
        // 2.7 Tasks
        Case("2.7.1", { _ in
            [
                "GET /objects/Tasks?serviceID=1&scheduleID=2&serviceGroupID=3&serviceTemplateID=4&tags=DB,Backup&q=nightly%20run"
                    + "&HQL::filter=status%20eq%20%27failed%27%20and%20name%20starts%20%27A%26B%2B%27&HQL::sortBy=submitTime%20DESC"
                    + "&HQL::fields=instanceID,status&HQL::offset=100&HQL::limit=50"
            ]
        }) { c, _ in
            _ = try await c.listTasks(
                TaskQuery(
                    serviceID: 1, scheduleID: 2, serviceGroupID: 3, serviceTemplateID: 4, tags: ["DB", "Backup"], q: "nightly run",
                    hql: HQLOptions(
                        filter: "status eq 'failed' and name starts 'A&B+'", sortBy: "submitTime DESC", fields: ["instanceID", "status"],
                        offset: 100, limit: 50)))
        },
        Case("2.7.2", { _ in ["GET /objects/Tasks/5381"] }) { c, _ in _ = try await c.task(5381) },
        Case("2.7.3", { _ in ["GET /objects/Tasks/5381", "PUT /objects/Tasks/5381"] }) { c, _ in
            let edited = try await c.editTask(5381, notes: "n", toDo: true)
            #expect(edited["notes"] == "n")
        },
        Case("2.7.4", { _ in ["DELETE /objects/Tasks/99999"] }) { c, _ in
            let outcome = try await c.deleteTask(99999)
            #expect(outcome == .deleted)
        },
        Case("2.7.5", { _ in ["GET /objects/Tasks/5381/actions"] }) { c, _ in _ = try await c.taskActions(5381) },
        Case("2.7.6", { _ in ["GET /objects/Tasks/5381/actions/stop"] }) { c, _ in _ = try await c.taskActionTemplate(5381, .stop) },
        Case("2.7.7", { _ in run("/objects/Tasks/5381/actions/stop") }) { c, _ in _ = try await c.invokeTaskAction(5381, .stop) },
        Case("2.7.8", { _ in ["GET /objects/Tasks/5381/actions/forceStop"] }) { c, _ in _ = try await c.taskActionTemplate(5381, .forceStop) },
        Case("2.7.9", { _ in run("/objects/Tasks/5381/actions/forceStop") }) { c, _ in
            let job = try await c.invokeTaskAction(5381, .forceStop)
            #expect(job.state == "success")
            #expect(job.raw["affectedResource"]?[0]?.stringValue == "http://sim:22015/Automation/v1/objects/Tasks/5381")
        },
        Case("2.7.10", { s in ["GET /objects/Tasks/\(s.completedTask)/actions/resubmit"] }) { c, s in
            _ = try await c.taskActionTemplate(s.completedTask, .resubmit)
        },
        Case("2.7.11", { s in run("/objects/Tasks/\(s.completedTask)/actions/resubmit") }) { c, s in
            let job = try await c.resubmitTask(s.completedTask, SubmitRequest(schedule: .immediate))
            #expect(c.createdTaskID(job).map { $0 != s.completedTask } == true)
        },
        Case("2.7.12", { s in ["GET /objects/Tasks/\(s.waitingTask)/actions/response"] }) { c, s in
            _ = try await c.taskActionTemplate(s.waitingTask, .response)
        },
        Case("2.7.13", { s in run("/objects/Tasks/\(s.waitingTask)/actions/response") }) { c, s in
            // The first answer button is chosen; the others are left out (reference 2.7.13).
            _ = try await c.invokeTaskAction(s.waitingTask, .response) { t in
                t["parameters"] = .array(Tolerant.list(t["parameters"]).map { p in
                    guard case .object(let o) = p else { return p }
                    var kept = JSONObject()
                    for (k, v) in o where !k.hasPrefix("labelbutton") || k == "labelbutton1" { kept[k] = v }
                    return .object(kept)
                })
            }
        },
        Case("2.7.14", { s in ["GET /objects/Tasks/\(s.failedTask)/actions/rerunStart"] }) { c, s in
            _ = try await c.taskActionTemplate(s.failedTask, .rerunStart)
        },
        Case("2.7.15", { s in run("/objects/Tasks/\(s.failedTask)/actions/rerunStart") }) { c, s in
            _ = try await c.invokeTaskAction(s.failedTask, .rerunStart)
        },
        Case("2.7.16", { s in ["GET /objects/Tasks/\(s.failedTask)/actions/rerunStepStart"] }) { c, s in
            _ = try await c.taskActionTemplate(s.failedTask, .rerunStepStart)
        },
        Case("2.7.17", { s in run("/objects/Tasks/\(s.failedTask)/actions/rerunStepStart") }) { c, s in
            _ = try await c.invokeTaskAction(s.failedTask, .rerunStepStart)
        },
        Case("2.7.18", { s in ["GET /objects/Tasks/\(s.completedTask)/actions/archive"] }) { c, s in
            _ = try await c.taskActionTemplate(s.completedTask, .archive)
        },
        Case("2.7.19", { s in run("/objects/Tasks/\(s.completedTask)/actions/archive") }) { c, s in
            _ = try await c.invokeTaskAction(s.completedTask, .archive)
        },
        Case("2.7.20", { _ in ["GET /objects/FlowSteps?taskID=5381"] }) { c, _ in _ = try await c.flowSteps(taskID: 5381) },
        Case("2.7.21", { _ in ["GET /objects/TaskLogs?taskID=5381&offset=10&readSize=4096&reverse"] }) { c, _ in
            _ = try await c.taskLog(taskID: 5381, offset: 10, readSize: 4096, reverse: true)
        },
        // 2.8 Task histories
        Case("2.8.1", { _ in ["GET /objects/TaskHistories?start=2015-07-31T11:30:00.000%2B09:00&end=2015-08-31&serviceGroupID=1451"] }) { c, _ in
            _ = try await c.listTaskHistories(TaskHistoryQuery(start: "2015-07-31T11:30:00.000+0900", end: "2015-08-31", serviceGroupID: 1451))
        },
        Case("2.8.2", { _ in
            ["DELETE /objects/TaskHistories?serviceGroupID=1451&start=2015-07-31T11:30:00.000%2B09:00&end=2015-08-31T11:30:00.000%2B09:00"]
        }) { c, _ in
            try await c.deleteTaskHistories(start: "2015-07-31T11:30:00.000+09:00", end: "2015-08-31T11:30:00.000+0900", serviceGroupID: 1451)
        },
        Case("2.8.3", { s in ["GET /objects/TaskHistories/\(s.history)"] }) { c, s in _ = try await c.taskHistory(s.history) },
        Case("2.8.4", { s in ["DELETE /objects/TaskHistories/\(s.history)"] }) { c, s in try await c.deleteTaskHistory(s.history) },
        Case("2.8.5", { s in ["GET /objects/TaskHistories/\(s.history)/actions"] }) { c, s in _ = try await c.taskHistoryActions(s.history) },
        // 2.9 Properties
        Case("2.9.1", { _ in ["GET /objects/PropertyDefinitions?serviceTemplateID=1116"] }) { c, _ in
            _ = try await c.listPropertyDefinitions(.serviceTemplate(1116))
        },
        Case("2.9.2", { s in ["GET /objects/PropertyDefinitions/\(s.definition)"] }) { c, s in _ = try await c.propertyDefinition(s.definition) },
        Case("2.9.3", { s in ["GET /objects/PropertyDefinitions/\(s.definition)/actions"] }) { c, s in
            let actions = try await c.propertyDefinitionActions(s.definition)
            #expect(actions.count == 0)
        },
        Case("2.9.4", { _ in ["GET /objects/PropertyInformations?shared"] }) { c, _ in _ = try await c.listPropertyInformations(.shared) },
        Case("2.9.5", { _ in ["GET /objects/PropertyValues?taskID=5381"] }) { c, _ in _ = try await c.listPropertyValues(.task(5381)) },
        Case("2.9.6", { s in ["GET /objects/PropertyValues/\(s.value)", "PUT /objects/PropertyValues?serviceID=2004"] }) { c, s in
            let v = try await c.propertyValue(s.value)
            _ = try await c.updatePropertyValues([["instanceID": .int(s.value), "value": v["value"] ?? ""]], serviceID: 2004)
        },
        Case("2.9.7", { s in ["GET /objects/PropertyValues/\(s.value)"] }) { c, s in _ = try await c.propertyValue(s.value) },
        Case("2.9.8", { s in ["GET /objects/PropertyValues/\(s.value)", "PUT /objects/PropertyValues/\(s.value)"] }) { c, s in
            let v = try await c.propertyValue(s.value)
            _ = try await c.updatePropertyValue(s.value, value: v["value"] ?? "")
        },
        Case("2.9.9", { s in ["GET /objects/PropertyValues/\(s.value)/actions"] }) { c, s in
            let actions = try await c.propertyValueActions(s.value)
            #expect(actions.items.first?["method"] == "PUT")
        },
        Case("2.9.10", { _ in ["GET /objects/PropertyGroups?serviceID=2004"] }) { c, _ in _ = try await c.listPropertyGroups(.service(2004)) },
        // 2.10–2.12
        Case("2.10.1", { _ in ["GET /objects/ServiceGroups?HQL::filter=name%20ne%20%27G%27"] }) { c, _ in
            _ = try await c.listServiceGroups(HQLOptions(filter: "name ne 'G'"))
        },
        Case("2.10.2", { s in ["GET /objects/ServiceGroups/\(s.group)"] }) { c, s in _ = try await c.serviceGroup(s.group) },
        Case("2.11.1", { _ in ["GET /objects/TagGroups"] }) { c, _ in _ = try await c.listTagGroups() },
        Case("2.11.2", { _ in ["GET /objects/Tags?detail=true&resourceType=Task"] }) { c, _ in
            _ = try await c.listTags(TagQuery(detail: true, resourceType: "Task"))
        },
        Case("2.12.1", { _ in ["GET /user"] }) { c, _ in _ = try await c.user() },
        Case("2.12.2", { _ in ["GET /configuration/version"] }) { c, _ in _ = try await c.version() },
    ]

    /// A client of a fresh in-memory simulator, through a recording transport.
    static func simulated() throws -> (AOClient, RecordingTestTransport) {
        let recorder = RecordingTestTransport(wrapping: SimulatorTransport(Simulator()))
        let settings = ConnectionSettings(baseURL: "http://sim:22015", user: "system", password: Secret("manager"))
        return (try AOClient(settings: settings, transport: recorder), recorder)
    }

    @Test(arguments: cases)
    func routeSendsTheDocumentedRequest(_ c: Case) async throws {
        let (client, recorder) = try Self.simulated()
        let seeds = try await Seeds(client)
        recorder.clear()
        try await c.call(client, seeds)
        let sent = recorder.exchanges
        #expect(sent.map(\.line) == c.expected(seeds))
        #expect(sent.allSatisfy { ($0.status ?? 0) >= 200 && ($0.status ?? 0) < 300 }, "\(sent.map { "\($0.line) \($0.status ?? 0)" })")
        // Each request is the route of the table it claims to be; each invoke posts the template just read.
        let route = try #require(Route.all.first { $0.section == c.section })
        #expect(sent.contains { r in route.matches(method: r.request.method, path: Self.path(r.line)) })
        for (k, r) in sent.enumerated() where r.request.method == "POST" && r.line.hasSuffix("/invoke") && k > 0 {
            #expect(Self.path(sent[k - 1].line) + "/invoke" == Self.path(r.line))
            // The body is the template just read: the same name, href and method, and its
            // parameters (filled in by the function, never dropped).
            let template = try JSONParser.parse(sent[k - 1].responseBody)
            let body = try JSONParser.parse(r.request.body ?? [])
            for member in ["name", "href", "method"] { #expect(body[member] == template[member], "\(c.section) \(member)") }
            #expect(Tolerant.list(body["parameters"]).count >= Tolerant.list(template["parameters"]).count, "\(c.section)")
            if r.line.contains("/stop/") || r.line.contains("/forceStop/") || r.line.contains("/archive/") { #expect(body == template) }
        }
    }

    /// `POST /objects/Tasks/5?x` → `/objects/Tasks/5`.
    static func path(_ line: String) -> String {
        let uri = line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? line
        return uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
    }

    @Test func everyRouteOfTheTableHasACase() {
        #expect(Route.all.count >= 80)
        #expect(Set(Self.cases.map(\.section)) == Set(Route.all.map(\.section)))
        #expect(Self.cases.count == Route.all.count)
        // Sections and method + path pairs are unique.
        #expect(Set(Route.all.map(\.section)).count == Route.all.count)
        #expect(Set(Route.all.map(\.description)).count == Route.all.count)
    }

    /// A server that answers as the seed page's exchange (2.7.9): the job, with its members as captured.
    static let seedJob = #"{"instanceID":"j1","created":"2015-08-07T19:00:39.123+0900","updated":"2015-08-07T19:00:39.123+0900","completed":"2015-08-07T19:00:39.123+0900","state":"success","affectedResource":["http://192.168.146.132:22015/Automation/v1/objects/Tasks/5381"],"result":[]}"#
    static let template = #"{"name":"X","href":" http://elsewhere:1/Automation/v1/objects/Tasks/1/actions/X/invoke","method":"POST","parameters":[]}"#

    static func reply(_ r: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        if r.uri.hasSuffix("/invoke") { return TestHTTPServer.ao(200, seedJob) }
        if r.method == "PUT" { return TestHTTPServer.ao(200, #"{"instanceID":1}"#) }
        if r.uri.contains("/actions/") { return TestHTTPServer.ao(200, template) }
        return TestHTTPServer.ao(200, #"{"instanceID":1,"notes":"old","toDo":true}"#)
    }

    @Test func invokeBodyIsTheTemplateAndTheURLComesFromTheID() async throws {
        let server = try await TestHTTPServer(handler: Self.reply)
        try await server.withClient { client in _ = try await client.invokeTaskAction(77, .archive) }
        let post = server.requests[1]
        #expect(post.uri == "/Automation/v1/objects/Tasks/77/actions/archive/invoke")
        #expect(try JSONParser.parse(post.body) == (try JSONParser.parse(Self.template)))
    }

    @Test func multipartImportCarriesTheFilePart() async throws {
        let server = try await TestHTTPServer(handler: Self.reply)
        let job = try await server.withClient { client in
            try await client.importServiceTemplate(fileName: "dir/My Template.st", contents: Array("PKG\r\nDATA".utf8))
        }
        #expect(job.instanceID == "j1")
        #expect(job.state == "success")
        let r = server.requests[0]
        let type = try #require(r.header("Content-Type"))
        #expect(type.hasPrefix("multipart/form-data; boundary="))
        let boundary = String(type.dropFirst("multipart/form-data; boundary=".count))
        #expect(
            r.text == "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"My Template.st\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nPKG\r\nDATA\r\n--\(boundary)--\r\n")
    }

    /// A `\r\n` is one Swift `Character`, so removing `\r` and `\n` one by one left it in
    /// the part's header; the file name is now cleaned scalar by scalar.
    @Test func multipartFileNameCannotBreakThePartHeader() async throws {
        let server = try await TestHTTPServer(handler: Self.reply)
        _ = try await server.withClient { client in
            try await client.importServiceTemplate(fileName: "a\r\nX-Injected: 1\"\u{301}.st", contents: [1])
        }
        #expect(server.requests[0].text.contains("filename=\"aX-Injected: 1%22\u{301}.st\"\r\n"))
    }

    @Test func batchUpdateBodyHasPaginationDataAndCount() async throws {
        let server = try await TestHTTPServer(handler: Self.reply)
        try await server.withClient { client in
            _ = try await client.updatePropertyValues([["instanceID": 7, "value": "a"], ["instanceID": 24, "value": "b"]])
        }
        #expect(server.requests[0].text == #"{"pagination":{},"data":[{"instanceID":7,"value":"a"},{"instanceID":24,"value":"b"}],"count":2}"#)
        #expect(server.requests[0].uri == "/Automation/v1/objects/PropertyValues")
    }

    @Test func editTaskSendsOnlyNotesAndToDoAndKeepsTheOtherOne() async throws {
        let server = try await TestHTTPServer(handler: Self.reply)
        try await server.withClient { client in _ = try await client.editTask(1, toDo: false) }
        #expect(server.requests[1].text == #"{"notes":"old","toDo":false}"#)
    }
}
