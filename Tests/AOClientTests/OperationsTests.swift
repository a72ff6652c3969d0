import ATSJSON
import AOClient
import TestSupport
import Testing

/// One call per route of reference §2.0: the method, path and query each function sends.
/// The server answers every GET of `…/actions/{name}` with a template, every invoke with a
/// job, list paths with an envelope and everything else with an object.
@Suite(.timeLimit(.minutes(1))) struct OperationsTests {
    struct Route: Sendable, CustomTestStringConvertible {
        var name: String
        /// The requests expected, as `METHOD uri` (uri below `/Automation/v1`).
        var expected: [String]
        var call: @Sendable (AOClient) async throws -> Void
        var testDescription: String { name }
        init(_ name: String, _ expected: [String], _ call: @escaping @Sendable (AOClient) async throws -> Void) {
            self.name = name
            self.expected = expected
            self.call = call
        }
    }

    static let template = #"{"name":"X","href":" http://elsewhere:1/Automation/v1/objects/Tasks/1/actions/X/invoke","method":"POST","parameters":[]}"#
    static let job = #"{"instanceID":"j1","state":"success","affectedResources":["http://h:22015/Automation/v1/objects/Tasks/6001"],"result":[]}"#

    static func reply(_ r: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        let path = r.uri.split(separator: "?").first.map(String.init) ?? r.uri
        if path.hasSuffix("/invoke") {
            if path.hasSuffix("/export/invoke") {
                return .respond(
                    status: 200,
                    headers: [("Content-Type", "application/octet-stream"), ("Content-disposition", "attachment; filename=\"v_k_01.00.00.st\"")],
                    body: [0, 1, 2, 255])
            }
            return TestHTTPServer.ao(200, job)
        }
        if r.method == "DELETE" { return .respond(status: 204) }
        if path.hasSuffix("/actions/import") {
            return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array("<form></form>".utf8))
        }
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let isAction = path.contains("/actions/")
        if isAction { return TestHTTPServer.ao(200, template) }
        let isList = Int(last) == nil && !["user", "version"].contains(last)
        if isList || last == "actions" { return TestHTTPServer.ao(200, #"{"data":[{"instanceID":1}],"count":1}"#) }
        return TestHTTPServer.ao(200, #"{"instanceID":1}"#)
    }

    static let routes: [Route] = [
        // 2.4 Service templates
        Route("2.4.1 list templates", ["GET /objects/ServiceTemplates?tags=a,b&q=x%20y&keyName=k&HQL::offset=0"]) {
            _ = try await $0.listServiceTemplates(ServiceTemplateQuery(tags: ["a", "b"], q: "x y", keyName: "k", hql: HQLOptions(offset: 0)))
        },
        Route("2.4.2 get template", ["GET /objects/ServiceTemplates/560"]) { _ = try await $0.serviceTemplate(560) },
        Route("2.4.3 delete template", ["DELETE /objects/ServiceTemplates/560"]) { try await $0.deleteServiceTemplate(560) },
        Route("2.4.4 template actions", ["GET /objects/ServiceTemplates/560/actions"]) { _ = try await $0.serviceTemplateActions(560) },
        Route("2.4.5 import form", ["GET /services/ServiceTemplates/actions/import"]) {
            let form = try await $0.serviceTemplateImportForm()
            #expect(form == "<form></form>")
        },
        Route("2.4.6 import", ["POST /services/ServiceTemplates/actions/import/invoke"]) {
            _ = try await $0.importServiceTemplate(fileName: "/tmp/pkg.st", contents: [1, 2, 3])
        },
        Route("2.4.7 export template", ["GET /objects/ServiceTemplates/560/actions/export"]) {
            _ = try await $0.serviceTemplateActionTemplate(560, .export)
        },
        Route("2.4.8 export", ["GET /objects/ServiceTemplates/560/actions/export", "POST /objects/ServiceTemplates/560/actions/export/invoke"]) {
            let file = try await $0.exportServiceTemplate(560)
            #expect(file.filename == "v_k_01.00.00.st")
            #expect(file.bytes == [0, 1, 2, 255])
        },
        Route("2.4.9 detailhelp", ["GET /objects/ServiceTemplates/560/actions/detailhelp"]) {
            _ = try await $0.serviceTemplateActionTemplate(560, .detailhelp)
        },
        Route("2.4.10 bind template", ["GET /objects/ServiceTemplates/560/actions/bind"]) {
            _ = try await $0.serviceTemplateActionTemplate(560, .bind)
        },
        Route("2.4.11 bind", ["GET /objects/ServiceTemplates/560/actions/bind", "POST /objects/ServiceTemplates/560/actions/bind/invoke"]) {
            _ = try await $0.bindServiceTemplate(560) { $0["parameters"] = [["name": "New service"]] }
        },
        // 2.5 Services
        Route("2.5.1 list services", ["GET /objects/Services?serviceGroupID=3&favorite=true&propertyKey=mail&HQL::sortBy=name%20DESC"]) {
            _ = try await $0.listServices(ServiceQuery(serviceGroupID: 3, favorite: true, propertyKey: "mail", hql: HQLOptions(sortBy: "name DESC")))
        },
        Route("2.5.2 get service", ["GET /objects/Services/2004"]) { _ = try await $0.service(2004) },
        Route("2.5.3 edit service", ["PUT /objects/Services/2004"]) { _ = try await $0.editService(2004, ["name": "n", "favorite": true]) },
        Route("2.5.4 delete service", ["DELETE /objects/Services/2004"]) { try await $0.deleteService(2004) },
        Route("2.5.5 service actions", ["GET /objects/Services/2004/actions"]) { _ = try await $0.serviceActions(2004) },
        Route("2.5.6 submit template", ["GET /objects/Services/2004/actions/submit"]) { _ = try await $0.serviceActionTemplate(2004, .submit) },
        Route("2.5.7 submit", ["GET /objects/Services/2004/actions/submit", "POST /objects/Services/2004/actions/submit/invoke"]) {
            let job = try await $0.submitService(2004, SubmitRequest(taskName: "t"))
            #expect(job.affectedIDs(in: "Tasks") == [6001])
        },
        Route("2.5.8 reset template", ["GET /objects/Services/2004/actions/reset"]) { _ = try await $0.serviceActionTemplate(2004, .reset) },
        Route("2.5.9 reset", ["GET /objects/Services/2004/actions/reset", "POST /objects/Services/2004/actions/reset/invoke"]) {
            _ = try await $0.invokeServiceAction(2004, .reset)
        },
        Route("2.5.10 release template", ["GET /objects/Services/2004/actions/release"]) { _ = try await $0.serviceActionTemplate(2004, .release) },
        Route("2.5.11 release", ["GET /objects/Services/2004/actions/release", "POST /objects/Services/2004/actions/release/invoke"]) {
            _ = try await $0.invokeServiceAction(2004, .release)
        },
        Route("2.5.12 maintenance template", ["GET /objects/Services/2004/actions/maintenance"]) {
            _ = try await $0.serviceActionTemplate(2004, .maintenance)
        },
        Route("2.5.13 maintenance", ["GET /objects/Services/2004/actions/maintenance", "POST /objects/Services/2004/actions/maintenance/invoke"]) {
            _ = try await $0.invokeServiceAction(2004, .maintenance)
        },
        Route("2.5.14 disable template", ["GET /objects/Services/2004/actions/disable"]) { _ = try await $0.serviceActionTemplate(2004, .disable) },
        Route("2.5.15 disable", ["GET /objects/Services/2004/actions/disable", "POST /objects/Services/2004/actions/disable/invoke"]) {
            _ = try await $0.invokeServiceAction(2004, .disable)
        },
        Route("2.5.16 service detailhelp", ["GET /objects/Services/2004/actions/detailhelp"]) {
            _ = try await $0.serviceActionTemplate(2004, .detailhelp)
        },
        // 2.6 Schedules
        Route("2.6.1 list schedules", ["GET /objects/Schedules?serviceID=2004&scheduleStatus=running"]) {
            _ = try await $0.listSchedules(ScheduleQuery(serviceID: 2004, scheduleStatus: "running"))
        },
        Route("2.6.2 get schedule", ["GET /objects/Schedules/2193"]) { _ = try await $0.schedule(2193) },
        Route("2.6.3 schedule actions", ["GET /objects/Schedules/2193/actions"]) { _ = try await $0.scheduleActions(2193) },
        Route("2.6.4 cancel template", ["GET /objects/Schedules/2193/actions/cancel"]) { _ = try await $0.scheduleActionTemplate(2193, .cancel) },
        Route("2.6.5 cancel", ["GET /objects/Schedules/2193/actions/cancel", "POST /objects/Schedules/2193/actions/cancel/invoke"]) {
            _ = try await $0.invokeScheduleAction(2193, .cancel)
        },
        Route("2.6.6 suspend template", ["GET /objects/Schedules/2193/actions/suspend"]) { _ = try await $0.scheduleActionTemplate(2193, .suspend) },
        Route("2.6.7 suspend", ["GET /objects/Schedules/2193/actions/suspend", "POST /objects/Schedules/2193/actions/suspend/invoke"]) {
            _ = try await $0.invokeScheduleAction(2193, .suspend)
        },
        Route("2.6.8 resume template", ["GET /objects/Schedules/2193/actions/resume"]) { _ = try await $0.scheduleActionTemplate(2193, .resume) },
        Route("2.6.9 resume", ["GET /objects/Schedules/2193/actions/resume", "POST /objects/Schedules/2193/actions/resume/invoke"]) {
            _ = try await $0.invokeScheduleAction(2193, .resume)
        },
        // 2.7 Tasks
        Route(
            "2.7.1 list tasks",
            [
                "GET /objects/Tasks?serviceID=1&scheduleID=2&serviceGroupID=3&serviceTemplateID=4&tags=DB,Backup&q=nightly%20run"
                    + "&HQL::filter=status%20eq%20%27failed%27%20and%20name%20starts%20%27A%26B%2B%27&HQL::sortBy=submitTime%20DESC"
                    + "&HQL::fields=instanceID,status&HQL::offset=100&HQL::limit=50"
            ]
        ) {
            _ = try await $0.listTasks(
                TaskQuery(
                    serviceID: 1, scheduleID: 2, serviceGroupID: 3, serviceTemplateID: 4, tags: ["DB", "Backup"], q: "nightly run",
                    hql: HQLOptions(
                        filter: "status eq 'failed' and name starts 'A&B+'", sortBy: "submitTime DESC", fields: ["instanceID", "status"],
                        offset: 100, limit: 50)))
        },
        Route("2.7.2 get task", ["GET /objects/Tasks/5381"]) { _ = try await $0.task(5381) },
        Route("2.7.3 edit task", ["PUT /objects/Tasks/5381"]) { _ = try await $0.editTask(5381, notes: "n", toDo: true) },
        Route("2.7.4 delete task", ["DELETE /objects/Tasks/5381"]) {
            let outcome = try await $0.deleteTask(5381)
            #expect(outcome == .deleted)
        },
        Route("2.7.5 task actions", ["GET /objects/Tasks/5381/actions"]) { _ = try await $0.taskActions(5381) },
        Route("2.7.6 stop template", ["GET /objects/Tasks/5381/actions/stop"]) { _ = try await $0.taskActionTemplate(5381, .stop) },
        Route("2.7.7 stop", ["GET /objects/Tasks/5381/actions/stop", "POST /objects/Tasks/5381/actions/stop/invoke"]) {
            _ = try await $0.invokeTaskAction(5381, .stop)
        },
        Route("2.7.8 forceStop template", ["GET /objects/Tasks/5381/actions/forceStop"]) { _ = try await $0.taskActionTemplate(5381, .forceStop) },
        Route("2.7.9 forceStop", ["GET /objects/Tasks/5381/actions/forceStop", "POST /objects/Tasks/5381/actions/forceStop/invoke"]) {
            _ = try await $0.invokeTaskAction(5381, .forceStop)
        },
        Route("2.7.10 resubmit template", ["GET /objects/Tasks/5381/actions/resubmit"]) { _ = try await $0.taskActionTemplate(5381, .resubmit) },
        Route("2.7.11 resubmit", ["GET /objects/Tasks/5381/actions/resubmit", "POST /objects/Tasks/5381/actions/resubmit/invoke"]) {
            _ = try await $0.resubmitTask(5381, SubmitRequest(schedule: .immediate))
        },
        Route("2.7.12 response template", ["GET /objects/Tasks/5381/actions/response"]) { _ = try await $0.taskActionTemplate(5381, .response) },
        Route("2.7.13 response", ["GET /objects/Tasks/5381/actions/response", "POST /objects/Tasks/5381/actions/response/invoke"]) {
            _ = try await $0.invokeTaskAction(5381, .response) { $0["parameters"] = [["labelbutton1": "OK"]] }
        },
        Route("2.7.14 rerunStart template", ["GET /objects/Tasks/5381/actions/rerunStart"]) { _ = try await $0.taskActionTemplate(5381, .rerunStart) },
        Route("2.7.15 rerunStart", ["GET /objects/Tasks/5381/actions/rerunStart", "POST /objects/Tasks/5381/actions/rerunStart/invoke"]) {
            _ = try await $0.invokeTaskAction(5381, .rerunStart)
        },
        Route("2.7.16 rerunStepStart template", ["GET /objects/Tasks/5381/actions/rerunStepStart"]) {
            _ = try await $0.taskActionTemplate(5381, .rerunStepStart)
        },
        Route("2.7.17 rerunStepStart", ["GET /objects/Tasks/5381/actions/rerunStepStart", "POST /objects/Tasks/5381/actions/rerunStepStart/invoke"]) {
            _ = try await $0.invokeTaskAction(5381, .rerunStepStart)
        },
        Route("2.7.18 archive template", ["GET /objects/Tasks/5381/actions/archive"]) { _ = try await $0.taskActionTemplate(5381, .archive) },
        Route("2.7.19 archive", ["GET /objects/Tasks/5381/actions/archive", "POST /objects/Tasks/5381/actions/archive/invoke"]) {
            _ = try await $0.invokeTaskAction(5381, .archive)
        },
        Route("2.7.20 flow steps", ["GET /objects/FlowSteps?taskID=5381"]) { _ = try await $0.flowSteps(taskID: 5381) },
        Route("2.7.21 task log", ["GET /objects/TaskLogs?taskID=5381&offset=10&readSize=4096&reverse"]) {
            _ = try await $0.taskLog(taskID: 5381, offset: 10, readSize: 4096, reverse: true)
        },
        // 2.8 Task histories
        Route("2.8.1 list histories", ["GET /objects/TaskHistories?start=2015-07-31T11:30:00.000%2B09:00&end=2015-08-31&serviceGroupID=1451"]) {
            _ = try await $0.listTaskHistories(TaskHistoryQuery(start: "2015-07-31T11:30:00.000+0900", end: "2015-08-31", serviceGroupID: 1451))
        },
        Route(
            "2.8.2 delete histories",
            ["DELETE /objects/TaskHistories?serviceGroupID=1451&start=2015-07-31T11:30:00.000%2B09:00&end=2015-08-31T11:30:00.000%2B09:00"]
        ) {
            try await $0.deleteTaskHistories(start: "2015-07-31T11:30:00.000+09:00", end: "2015-08-31T11:30:00.000+0900", serviceGroupID: 1451)
        },
        Route("2.8.3 get history", ["GET /objects/TaskHistories/5237"]) { _ = try await $0.taskHistory(5237) },
        Route("2.8.4 delete history", ["DELETE /objects/TaskHistories/5237"]) { try await $0.deleteTaskHistory(5237) },
        Route("2.8.5 history actions", ["GET /objects/TaskHistories/5237/actions"]) { _ = try await $0.taskHistoryActions(5237) },
        // 2.9 Properties
        Route("2.9.1 list definitions", ["GET /objects/PropertyDefinitions?serviceTemplateID=1116"]) {
            _ = try await $0.listPropertyDefinitions(.serviceTemplate(1116))
        },
        Route("2.9.2 get definition", ["GET /objects/PropertyDefinitions/158"]) { _ = try await $0.propertyDefinition(158) },
        Route("2.9.4 list informations", ["GET /objects/PropertyInformations?shared"]) { _ = try await $0.listPropertyInformations(.shared) },
        Route("2.9.5 list values", ["GET /objects/PropertyValues?taskID=5381"]) { _ = try await $0.listPropertyValues(.task(5381)) },
        Route("2.9.6 batch update values", ["PUT /objects/PropertyValues?serviceID=2004"]) {
            _ = try await $0.updatePropertyValues([["instanceID": 7, "value": "x"]], serviceID: 2004)
        },
        Route("2.9.7 get value", ["GET /objects/PropertyValues/24"]) { _ = try await $0.propertyValue(24) },
        Route("2.9.8 update value", ["PUT /objects/PropertyValues/24"]) { _ = try await $0.updatePropertyValue(24, value: "new") },
        Route("2.9.10 property groups", ["GET /objects/PropertyGroups?scheduleID=2193"]) { _ = try await $0.listPropertyGroups(.schedule(2193)) },
        // 2.10–2.12
        Route("2.10.1 list service groups", ["GET /objects/ServiceGroups?HQL::filter=name%20eq%20%27G%27"]) {
            _ = try await $0.listServiceGroups(HQLOptions(filter: "name eq 'G'"))
        },
        Route("2.10.2 get service group", ["GET /objects/ServiceGroups/3"]) { _ = try await $0.serviceGroup(3) },
        Route("2.11.1 tag groups", ["GET /objects/TagGroups"]) { _ = try await $0.listTagGroups() },
        Route("2.11.2 tags", ["GET /objects/Tags?detail=true&resourceType=Task"]) { _ = try await $0.listTags(TagQuery(detail: true, resourceType: "Task")) },
        Route("2.12.1 user", ["GET /user"]) { _ = try await $0.user() },
        Route("2.12.2 version", ["GET /configuration/version"]) { _ = try await $0.version() },
    ]

    @Test(arguments: routes)
    func routeSendsTheDocumentedRequest(_ route: Route) async throws {
        let server = try await TestHTTPServer(handler: Self.reply)
        try await server.withClient { client in try await route.call(client) }
        let sent = server.requests.map { "\($0.method) \($0.uri.dropFirst("/Automation/v1".count))" }
        #expect(sent == route.expected)
        #expect(server.requests.allSatisfy { $0.uri.hasPrefix("/Automation/v1/") })
    }

    @Test func everyRouteOfTheIndexHasATest() {
        // 76 functions in reference §2.0.
        #expect(Self.routes.count == 76)
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

    @Test func editTaskSendsOnlyNotesAndToDo() async throws {
        let server = try await TestHTTPServer(handler: Self.reply)
        try await server.withClient { client in _ = try await client.editTask(1, toDo: false) }
        #expect(server.requests[0].text == #"{"toDo":false}"#)
    }
}
