import AOClient
import ATSJSON
import ATSSupport
import Foundation
import TestSupport
import Testing

/// Runs a session the way the client does (Basic first, then the newest HSSO token) through
/// verbose trace, curl trace and record at once, and looks for every secret in everything written.
@Suite struct SecretScanTests {
    static let user = "system"
    static let password = "Tr0ub4dor&3-s3cr3t"
    static var basic: String { Data("\(user):\(password)".utf8).base64EncodedString() }

    @Test(arguments: [false, true])
    func noSecretAppearsInTracesOrCaseFiles(plainHeaders: Bool) async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let server = StubServer(plainTokens: plainHeaders, route: fakeRoutes)
        let path = scratch.path("secrets.jsonl")
        let writer = try CaseFileWriter(path: path, header: testHeader())
        let verbose = TraceText()
        let curl = TraceText()
        let transport = TracingTransport(
            wrapping: TracingTransport(wrapping: RecordingTransport(wrapping: server, writer: writer), mode: .curl, sink: curl.sink),
            mode: .verbose, sink: verbose.sink)

        func credential(_ value: String) -> HeaderValue { plainHeaders ? .plain(value) : .secret(Secret(value)) }
        var authorization = credential("Basic \(Self.basic)")
        let submit: JSON = [
            "name": "submit",
            "parameters": [["keyName": "db.password", "value": .string(Self.password)], ["type": "password", "value": .string(Self.password)]],
        ]
        let requests = [
            HTTPRequest(method: "GET", url: "http://127.0.0.1:22015/Automation/v1/user"),
            HTTPRequest(method: "GET", url: "http://127.0.0.1:22015/Automation/v1/configuration/version"),
            HTTPRequest(method: "GET", url: "http://127.0.0.1:22015/Automation/v1/objects/Tasks?HQL::offset=0"),
            HTTPRequest(
                method: "POST", url: "http://127.0.0.1:22015/Automation/v1/objects/Services/2004/actions/submit/invoke",
                body: Array(JSONWriter.compact.string(submit).utf8)),
            HTTPRequest(method: "POST", url: "http://127.0.0.1:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke"),
        ]
        for var request in requests {
            request.headers.set("Authorization", authorization)
            let response = try await transport.send(request, timeout: nil)
            // Use the newest token, as the client does.
            if let issued = response.headers["WWW-Authenticate"] { authorization = credential(issued.revealed()) }
        }
        writer.close()

        let tokens = await server.tokens.all
        #expect(tokens.count == requests.count)
        let needles = [Self.password, Self.basic, "Basic \(Self.basic)"] + tokens + tokens.map { String($0.prefix(40)) }
        let fileText = String(decoding: caseFileBytes(path), as: UTF8.self)
        for (name, haystack) in [("verbose trace", verbose.text), ("curl trace", curl.text), ("case file", fileText)] {
            #expect(!haystack.isEmpty)
            for needle in needles {
                #expect(!haystack.contains(needle), "\(name) contains a secret")
            }
        }
        // The masks are there instead.
        #expect(verbose.text.contains("Authorization: ********") || verbose.text.contains("Authorization: Basic ********"))
        #expect(fileText.contains("********"))
    }
}
