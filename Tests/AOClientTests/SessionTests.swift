import ATSJSON
import AOClient
import Synchronization
import TestSupport
import Testing

/// The session over real loopback HTTP: authentication, headers, retries, error mapping.
@Suite(.timeLimit(.minutes(1))) struct SessionTests {
    static let basic = "Basic c3lzdGVtOm1hbmFnZXI="

    @Test func basicFirstThenTheNewestHSSOToken() async throws {
        let server = try await TestHTTPServer(replies: [
            TestHTTPServer.ao(200, "{}", token: "t1"), TestHTTPServer.ao(200, "{}", token: "t2"),
            TestHTTPServer.ao(200, "{}", token: "t3"),
        ])
        try await server.withClient { client in
            #expect(!client.hasToken)
            _ = try await client.user()
            #expect(client.hasToken)
            _ = try await client.version()
            _ = try await client.user()
        }
        let auth = server.requests.map { $0.header("Authorization") }
        #expect(auth == [Self.basic, "HSSO t1", "HSSO t2"])
    }

    @Test func a401WithATokenLogsInAgainWithBasicOnce() async throws {
        let server = try await TestHTTPServer(replies: [
            TestHTTPServer.ao(200, "{}", token: "old"),
            .json(401, #"{"message":"expired","messageID":"KNAE00001-E"}"#, headers: [("WWW-Authenticate", "Basic")]),
            TestHTTPServer.ao(200, #"{"productName":"JP1/Automatic Operation"}"#, token: "new"),
            TestHTTPServer.ao(200, "{}", token: "new2"),
        ])
        try await server.withClient { client in
            _ = try await client.user()
            let v = try await client.version()
            #expect(v["productName"] == "JP1/Automatic Operation")
            _ = try await client.user()
        }
        let auth = server.requests.map { $0.header("Authorization") }
        #expect(auth == [Self.basic, "HSSO old", Self.basic, "HSSO new"])
    }

    @Test func a401AfterTheFreshLoginIsAnAuthErrorAndNotRetriedTwice() async throws {
        let server = try await TestHTTPServer(replies: [
            TestHTTPServer.ao(200, "{}", token: "old"),
            .json(401, #"{"message":"no","messageID":"KNAE00001-E"}"#),
        ])
        let error = try await server.withClient { client in
            _ = try await client.user()
            return await #expect(throws: APIError.self) { try await client.task(5381) }
        }
        #expect(server.requests.count == 3)
        #expect(server.requests.map { $0.header("Authorization") } == [Self.basic, "HSSO old", Self.basic])
        let e = try #require(error)
        #expect(e.kind == .auth)
        #expect(e.status == 401)
        #expect(e.details.first == "check the user and password, and that the user has login permission")
        #expect(e.details.contains("server: KNAE00001-E no"))
    }

    @Test func a401OnTheFirstBasicCallIsNotRetried() async throws {
        let server = try await TestHTTPServer(replies: [.json(401, "{}")])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.user() }
        }
        #expect(server.requests.count == 1)
        #expect(error?.kind == .auth)
    }

    @Test func postsAreSentAsTheManualShows() async throws {
        let server = try await TestHTTPServer(replies: [TestHTTPServer.ao(200, "{}")])
        var settings = server.settings(language: "ja")
        settings.userAgent = "ats/test"
        try await server.withClient(settings) { client in
            _ = try await client.invokeTaskAction(1, .stop, template: ["name": "stop", "parameters": []])
        }
        let r = try #require(server.requests.first)
        #expect(r.header("User-Agent") == "ats/test")
        #expect(r.header("Accept") == "application/json")
        #expect(r.header("Content-Type") == "application/json")
        #expect(r.header("Accept-Language") == "ja")
        #expect(r.header("Authorization") == Self.basic)
        #expect(r.header("Content-Length") == String(r.body.count))
        let names = r.headers.map { $0.0.lowercased() }.filter { ["user-agent", "accept", "content-type", "authorization", "accept-language"].contains($0) }
        #expect(names == ["user-agent", "accept", "content-type", "authorization", "accept-language"])
    }

    @Test func getsCarryNoContentTypeAndNoLanguageUnlessSet() async throws {
        let server = try await TestHTTPServer(replies: [TestHTTPServer.ao(200, "{}")])
        try await server.withClient { client in _ = try await client.user() }
        let r = try #require(server.requests.first)
        #expect(r.header("Content-Type") == nil)
        #expect(r.header("Accept-Language") == nil)
        #expect(r.header("User-Agent") == "ats/\(AOClientInfo.version)")
        #expect(r.body.isEmpty)
    }

    /// The seed page (2.7.9): POST /Automation/v1/objects/Tasks/5381/actions/forceStop/invoke.
    @Test func forceStopOfTask5381MatchesTheSeedPage() async throws {
        let template = """
            {
            "name" : "forceStop",
            "href" : "http://192.168.146.132:22015/Automation/v1/objects/Tasks/5338/actions/forceStop/invoke",
            "method" : "POST",
            "parameters" : [ ]
            }
            """
        let server = try await TestHTTPServer { request in
            request.method == "GET" ? TestHTTPServer.ao(200, template) : TestHTTPServer.ao(200, DecodingTests.seedResponse)
        }
        let job = try await server.withClient { client in try await client.invokeTaskAction(5381, .forceStop) }
        #expect(server.requests.count == 2)
        let get = server.requests[0]
        #expect(get.method == "GET")
        #expect(get.uri == "/Automation/v1/objects/Tasks/5381/actions/forceStop")
        let post = server.requests[1]
        #expect(post.method == "POST")
        #expect(post.uri == "/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke")
        #expect(post.header("Accept") == "application/json")
        #expect(post.header("Content-Type") == "application/json")
        let body = try JSONParser.parse(post.body)
        #expect(body.objectValue?.keys == ["name", "href", "method", "parameters"])
        #expect(body == (try JSONParser.parse(template)))
        #expect(job.knownState == .success)
        #expect(job.affectedIDs(in: "Tasks") == [5381])
    }

    @Test func forceStopConflictNamesTheStatusesAndTheTasksStatus() async throws {
        let server = try await TestHTTPServer { request in
            if request.method == "POST" {
                return .json(409, #"{"messageID":"KNAE02014-E","message":"The status of the task is not ..."}"#)
            }
            return TestHTTPServer.ao(200, #"{"instanceID":5381,"status":"completed"}"#)
        }
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) {
                try await client.invokeTaskAction(5381, .forceStop, template: ["name": "forceStop", "parameters": []])
            }
        }
        let e = try #require(error)
        #expect(e.kind == .http)
        #expect(e.summary == "409 Conflict")
        #expect(e.taskStatus == "completed")
        #expect(
            e.details == [
                "the task is \"completed\"; force stop needs In Progress, Waiting for Input or In Progress (with Error)",
                "server: KNAE02014-E The status of the task is not ...",
            ])
        #expect(e.method == "POST")
        #expect(e.url.hasSuffix("/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke"))
        #expect(e.server?.messageID == "KNAE02014-E")
        #expect(server.requests.map(\.method) == ["POST", "GET"])
    }

    @Test func notFoundSaysMissingOrNotVisible() async throws {
        let server = try await TestHTTPServer(replies: [
            .json(404, #"{"messageID":"KNAE02102-E","message":"The specified resource does not exist or you do not have access."}"#)
        ])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.task(999999) }
        }
        let e = try #require(error)
        #expect(e.status == 404)
        #expect(e.details.first == "task 999999 does not exist or is not visible to this user")
        #expect(e.fields.first { $0.name == "messageID" }?.value == "KNAE02102-E")
        #expect(e.fields.first { $0.name == "status" }?.value == 404)
    }

    @Test func getsAreRetriedOn412HonouringRetryAfter() async throws {
        let server = try await TestHTTPServer(replies: [
            .json(412, #"{"message":"starting"}"#, headers: [("Retry-After", "0")]),
            TestHTTPServer.ao(200, #"{"userName":"System"}"#),
        ])
        let user = try await server.withClient { client in try await client.user() }
        #expect(user["userName"] == "System")
        #expect(server.requests.count == 2)
    }

    @Test func retriesAreBoundedAndThe412IsExplained() async throws {
        let server = try await TestHTTPServer(replies: [.json(503, "{}"), .json(412, #"{"message":"not available"}"#)])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.listTasks() }
        }
        #expect(server.requests.count == 3)
        let e = try #require(error)
        #expect(e.status == 412)
        #expect(e.details.first == "the server is starting or not available; retry later")
    }

    @Test func postsAreNeverRetried() async throws {
        let server = try await TestHTTPServer(replies: [.json(412, "{}", headers: [("Retry-After", "0")])])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) {
                try await client.invokeTaskAction(5, .archive, template: ["name": "archive"])
            }
        }
        #expect(server.requests.count == 1)
        #expect(error?.retryAfterSeconds == 0)
    }

    @Test func deleteTaskAnswered303MeansArchiveInstead() async throws {
        let server = try await TestHTTPServer(replies: [
            .respond(
                status: 303, headers: [("Location", "http://h:22015/Automation/v1/objects/Tasks/5381/actions/archive"), ("Content-Type", "text/html;charset=utf-8")],
                body: Array("<html><body>303 See Other</body></html>".utf8)),
            .respond(status: 204),
        ])
        try await server.withClient { client in
            let first = try await client.deleteTask(5381)
            #expect(first == .archiveInstead(taskID: 5381, location: "http://h:22015/Automation/v1/objects/Tasks/5381/actions/archive"))
            let second = try await client.deleteTask(5382)
            #expect(second == .deleted)
        }
        #expect(server.requests.map(\.method) == ["DELETE", "DELETE"])
    }

    @Test func anHTMLErrorPageIsKeptAsShortText() async throws {
        let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
            + String(repeating: "<p>padding text</p>", count: 100) + "</body></html>"
        let server = try await TestHTTPServer(replies: [
            .respond(status: 502, reason: "Bad Gateway", headers: [("Content-Type", "text/html")], body: Array(page.utf8))
        ])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.listServices() }
        }
        let e = try #require(error)
        #expect(e.kind == .http)
        #expect(e.summary == "502 Bad Gateway")
        #expect(e.server == nil)
        let excerpt = try #require(e.bodyExcerpt)
        #expect(excerpt.hasPrefix("502 Bad Gateway Bad Gateway padding text"))
        #expect(excerpt.count <= 301)
        #expect(!excerpt.contains("<"))
    }

    @Test func malformedJSONIsADecodingErrorWithTheOffset() async throws {
        let server = try await TestHTTPServer(replies: [TestHTTPServer.ao(200, #"{"data": [1, 2,, 3], "count": 3}"#)])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.listTasks() }
        }
        let e = try #require(error)
        #expect(e.kind == .decoding)
        #expect(e.decodingProblem == .malformedJSON(JSONParseError(offset: 15, reason: .unexpectedByte(UInt8(ascii: ",")))))
        #expect(e.summary == "the server's answer is not valid JSON (unexpected ',' at byte 15)")
    }

    @Test func aListWithoutDataIsADecodingError() async throws {
        let server = try await TestHTTPServer(replies: [TestHTTPServer.ao(200, #"{"items": []}"#)])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.listTasks() }
        }
        #expect(error?.kind == .decoding)
        if case .unexpectedShape = error?.decodingProblem {} else { Issue.record("expected unexpectedShape") }
    }

    @Test func anEmptyBodyWhereAnObjectIsExpectedIsADecodingError() async throws {
        let server = try await TestHTTPServer(replies: [.respond(status: 200)])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.task(1) }
        }
        #expect(error?.decodingProblem == .emptyBody(expected: "a JSON object"))
    }

    @Test func concurrentCallsShareTheSessionSafely() async throws {
        let counter = Counter()
        let server = try await TestHTTPServer { _ in
            TestHTTPServer.ao(200, #"{"ok":true}"#, token: "t\(counter.next())")
        }
        try await server.withClient { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask { _ = try await client.task(i) }
                }
                try await group.waitForAll()
            }
        }
        #expect(server.requests.count == 40)
        for r in server.requests {
            let auth = r.header("Authorization") ?? ""
            #expect(auth == Self.basic || auth.hasPrefix("HSSO t"))
        }
    }

    @Test func secretsNeverAppearInErrors() async throws {
        let server = try await TestHTTPServer(replies: [TestHTTPServer.ao(200, "{}", token: "sekrit"), .json(500, "{}")])
        let error = try await server.withClient { client in
            _ = try await client.user()
            return await #expect(throws: APIError.self) { try await client.user() }
        }
        let e = try #require(error)
        let text = e.description + "\(e.fields)" + String(reflecting: e)
        #expect(!text.contains("sekrit"))
        #expect(!text.contains("manager"))
        #expect(!text.contains("c3lzdGVtOm1hbmFnZXI"))
    }

    @Test func rawSendReturnsTheResponseAndParsesJSON() async throws {
        let server = try await TestHTTPServer(replies: [
            TestHTTPServer.ao(200, #"{"data":[],"count":0}"#),
            .respond(status: 200, headers: [("Content-Type", "text/plain")], body: Array("hello".utf8)),
            .json(400, #"{"message":"bad filter"}"#),
        ])
        try await server.withClient { client in
            let r = try await client.send("get", "/Automation/v1/objects/Tasks?HQL::filter=name eq 'a b'", query: [("tags", "x+y")])
            #expect(r.status == 200)
            #expect(r.json?["count"] == 0)
            #expect(r.method == "GET")
            let t = try await client.send("GET", "objects/Other")
            #expect(t.json == nil)
            #expect(t.text == "hello")
            let e = await #expect(throws: APIError.self) {
                try await client.send("POST", "/objects/Tasks/1/actions/stop/invoke", body: ["name": "stop"])
            }
            #expect(e?.operation == .raw)
            #expect(e?.details.first == "the server rejected the request as invalid (an argument, a parameter value or the body)")
        }
        #expect(server.requests[0].uri == "/Automation/v1/objects/Tasks?HQL::filter=name%20eq%20%27a%20b%27&tags=x%2By")
        #expect(server.requests[1].uri == "/Automation/v1/objects/Other")
        #expect(server.requests[2].text == #"{"name":"stop"}"#)
    }
}

extension SessionTests {
    @Test func rawSendUploadsAFileAndSetsAccept() async throws {
        let server = try await TestHTTPServer(replies: [
            TestHTTPServer.ao(200, #"{"instanceID":"imp","state":"success"}"#),
            .respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: [9, 8, 7]),
        ])
        try await server.withClient { client in
            let r = try await client.send(
                "POST", "/services/ServiceTemplates/actions/import/invoke", body: .file(name: "a.st", bytes: [1, 2]))
            #expect(r.json?["instanceID"] == "imp")
            let x = try await client.send(
                "POST", "/objects/ServiceTemplates/1/actions/export/invoke", body: .json(["name": "export"]),
                accept: "application/octet-stream")
            #expect(x.body == [9, 8, 7])
            #expect(x.json == nil)
        }
        #expect(server.requests[0].header("Content-Type")?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect(server.requests[0].text.contains("name=\"file\"; filename=\"a.st\""))
        #expect(server.requests[1].header("Accept") == "application/octet-stream")
        #expect(server.requests[1].header("Content-Type") == "application/json")
    }
}

/// A thread-safe counter for handlers.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { v in v += 1; return v } }
}
