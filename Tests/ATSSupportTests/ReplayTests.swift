import AOClient
import ATSJSON
import ATSSupport
import Foundation
import TestSupport
import Testing

/// Records `requests` sent through `server` into a new case file and returns its path and
/// the responses the server gave.
func record(
    _ requests: [HTTPRequest], through server: any Transport, in scratch: TemporaryDirectory, name: String = "case.jsonl"
) async throws -> (path: String, responses: [HTTPResponse]) {
    let path = scratch.path(name)
    let writer = try CaseFileWriter(path: path, header: testHeader())
    defer { writer.close() }
    let transport = RecordingTransport(wrapping: server, writer: writer)
    var responses: [HTTPResponse] = []
    for request in requests { responses.append(try await transport.send(request, timeout: nil)) }
    return (path, responses)
}

/// A server whose task list changes with every call, like a task running to completion.
struct ProgressingServer: Transport {
    let calls = Counter()
    actor Counter {
        var n = 0
        func next() -> Int {
            n += 1
            return n
        }
    }

    func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        let n = await calls.next()
        let status = n < 3 ? "inProgress" : "completed"
        return try await StubServer { request in
            request.url.contains("/Tasks/5381") ? (200, ["instanceID": 5381, "status": .string(status), "poll": .int(n)]) : fakeRoutes(request)
        }.send(request, timeout: timeout)
    }
}

private func get(_ target: String, auth: HeaderValue? = nil) -> HTTPRequest {
    var headers = HTTPHeaderFields()
    if let auth { headers.add("Authorization", auth) }
    return HTTPRequest(method: "GET", url: "http://127.0.0.1:22015/Automation/v1" + target, headers: headers)
}

@Suite struct ReplayTests {
    @Test func replayGivesTheRecordedResponsesInOrder() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let requests = [
            get("/configuration/version", auth: .secret(Secret("Basic c3lzdGVtOm1hbmFnZXI="))),
            get("/objects/Tasks?HQL::offset=0&HQL::limit=2"),
            get("/objects/Tasks/5381"), get("/objects/Tasks/5381"), get("/objects/Tasks/5381"),
            HTTPRequest(method: "POST", url: "http://127.0.0.1:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke",
                        body: Array(#"{"name":"forceStop"}"#.utf8)),
            get("/objects/Nothing"),
        ]
        let (path, original) = try await record(requests, through: ProgressingServer(), in: scratch)
        let replay = try ReplayTransport(caseFile: path)
        #expect(replay.exchangeCount == requests.count)
        #expect(replay.problems.isEmpty)
        // Replayed on another host and port, with other credentials.
        for (request, recorded) in zip(requests, original) {
            var moved = request
            moved.url = moved.url.replacingOccurrences(of: "127.0.0.1:22015", with: "localhost:8080")
            moved.headers.set("Authorization", .secret(Secret("HSSO someothertoken_V0810")))
            let replayed = try await replay.send(moved, timeout: nil)
            #expect(replayed.status == recorded.status)
            #expect(try JSONParser.parse(replayed.body) == JSONParser.parse(recorded.body))
            #expect(replayed.headers["Content-Type"]?.description == "application/json")
        }
        #expect(replay.servedCount == requests.count)
        #expect(replay.unmatched.isEmpty)
        // Used up: the last recording of a key repeats.
        let again = try await replay.send(get("/objects/Tasks/5381"), timeout: nil)
        #expect(try JSONParser.parse(again.body)["status"] == "completed")
        #expect(try JSONParser.parse(again.body)["poll"] == 5)
    }

    @Test func queryIsComparedInAnyOrderAfterDecoding() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let (path, _) = try await record([get("/objects/Tasks?HQL::filter=status%20eq%20%27failed%27&HQL::offset=0")], through: StubServer(route: fakeRoutes), in: scratch)
        let replay = try ReplayTransport(caseFile: path)
        let reordered = try await replay.send(get("/objects/Tasks?HQL::offset=0&HQL::filter=status+eq+'failed'"), timeout: nil)
        #expect(reordered.status == 200)
        let other = try await replay.send(get("/objects/Tasks?HQL::offset=10&HQL::filter=status%20eq%20%27failed%27"), timeout: nil)
        #expect(other.status == 404)
    }

    @Test func unmatchedRequestsGet404NamingThem() async throws {
        let replay = ReplayTransport(caseFile: CaseFile())
        let response = try await replay.send(
            HTTPRequest(method: "DELETE", url: "http://127.0.0.1:1/Automation/v1/objects/Tasks/77?x=1"), timeout: nil)
        #expect(response.status == 404)
        #expect(response.reason == "Not Found")
        let body = try JSONParser.parse(response.body)
        #expect(body["message"] == "ats replay: no recorded response for DELETE /Automation/v1/objects/Tasks/77?x=1")
        #expect(body["messageID"] == "KNAE99404-E")
        #expect(body["application"] == "Automation")
        #expect(body["errorSource"] == "http://127.0.0.1:1/Automation/v1/objects/Tasks/77?x=1")
        #expect(replay.unmatched == ["DELETE /Automation/v1/objects/Tasks/77?x=1"])
    }

    @Test func everyResponseCarriesAFreshHSSOToken() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let (path, _) = try await record([get("/objects/Tasks")], through: StubServer(route: fakeRoutes), in: scratch)
        let replay = try ReplayTransport(caseFile: path)
        var tokens = Set<String>()
        for _ in 0..<3 {
            let response = try await replay.send(get("/objects/Tasks"), timeout: nil)
            let header = try #require(response.headers["WWW-Authenticate"])
            #expect(header.description == "********", "the token is a secret")
            let token = header.revealed()  // what the HTTP server writes on the wire
            #expect(token.hasPrefix("HSSO ") && token.hasSuffix("=_V0810"))
            tokens.insert(token)
            #expect(response.headers["Content-Length"] == nil)
        }
        #expect(tokens.count == 3)
    }

    @Test func recordedTransportFailuresAreReplayed() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let path = scratch.path("fail.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        _ = try? await RecordingTransport(wrapping: RefusingTransport(), writer: writer).send(get("/user"), timeout: nil)
        writer.close()
        let replay = try ReplayTransport(caseFile: path)
        await #expect(throws: TransportFailure.self) { _ = try await replay.send(get("/user"), timeout: nil) }
    }

    @Test func concurrentRequestsEachGetOneRecording() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let (path, _) = try await record(Array(repeating: get("/objects/Tasks/5381"), count: 20), through: ProgressingServer(), in: scratch)
        let replay = try ReplayTransport(caseFile: path)
        let polls = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask { try JSONParser.parse(try await replay.send(get("/objects/Tasks/5381"), timeout: nil).body)["poll"]?.intValue ?? 0 }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(polls.sorted() == Array(1...20))
    }
}
