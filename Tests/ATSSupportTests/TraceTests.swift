import AOClient
import ATSJSON
import ATSSupport
import Foundation
import Testing

/// A request as the client sends it: Basic credentials as a secret header, a JSON body.
private func forceStopRequest(password: String = "manager") -> HTTPRequest {
    var headers = HTTPHeaderFields()
    headers.add("Accept", "application/json")
    headers.add("Content-Type", "application/json")
    let basic = Data("system:\(password)".utf8).base64EncodedString()
    headers.add("Authorization", .secret(Secret("Basic \(basic)")))
    let body = #"{"name":"forceStop","href":"http://127.0.0.1:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke","method":"POST","parameters":[]}"#
    return HTTPRequest(
        method: "POST", url: "http://127.0.0.1:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke",
        headers: headers, body: Array(body.utf8))
}

private let jobResult: JSON = [
    "instanceID": "b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f", "state": "success",
    "affectedResources": ["http://127.0.0.1:22015/Automation/v1/objects/Tasks/5381"], "result": [],
]

@Suite struct TraceTests {
    @Test func verboseShowsRequestAndResponseLikeCurl() async throws {
        let trace = TraceText()
        let transport = TracingTransport(wrapping: StubServer { _ in (200, jobResult) }, mode: .verbose, sink: trace.sink)
        let response = try await transport.send(forceStopRequest(), timeout: nil)
        #expect(response.status == 200)
        let lines = trace.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "> POST /Automation/v1/objects/Tasks/5381/actions/forceStop/invoke HTTP/1.1")
        #expect(lines.contains("> Host: 127.0.0.1:22015"))
        #expect(lines.contains("> Accept: application/json"))
        #expect(lines.contains("> Authorization: ********"))
        #expect(lines.contains(">"))
        #expect(lines.contains(#"  "name": "forceStop","#), "request body is pretty-printed")
        #expect(lines.contains("< HTTP/1.1 200 OK"))
        #expect(lines.contains("< WWW-Authenticate: ********"))
        #expect(lines.contains("< Server: Cosminexus HTTP Server"))
        #expect(lines.contains(#"  "state": "success","#))
        let timing = try #require(lines.last { $0.hasPrefix("* ") })
        #expect(timing.hasSuffix(" ms") || timing.hasSuffix(" s"))
        // The request block comes before the response block.
        let requestLine = try #require(lines.firstIndex(of: "> Accept: application/json"))
        let statusLine = try #require(lines.firstIndex(of: "< HTTP/1.1 200 OK"))
        #expect(requestLine < statusLine)
    }

    @Test func verboseCutsLongBodiesWithANote() async throws {
        let items = (0..<300).map { i -> JSON in ["instanceID": .int(i), "name": "Backup Database", "status": "completed"] }
        let body: JSON = ["data": .array(items), "count": 300]
        let trace = TraceText()
        let transport = TracingTransport(wrapping: StubServer { _ in (200, body) }, mode: .verbose, sink: trace.sink)
        _ = try await transport.send(HTTPRequest(method: "GET", url: "http://h:1/Automation/v1/objects/Tasks"), timeout: nil)
        let lines = trace.text.split(separator: "\n").map(String.init)
        let note = try #require(lines.first { $0.hasPrefix("* … ") })
        #expect(note.contains("more bytes"))
        #expect(note.contains("more lines"))
        let bodyLines = lines.filter { !$0.hasPrefix("<") && !$0.hasPrefix(">") && !$0.hasPrefix("*") }
        #expect(bodyLines.count <= TraceLimits.standard.maxBodyLines)
        #expect(bodyLines.joined(separator: "\n").utf8.count <= TraceLimits.standard.maxBodyBytes)
    }

    @Test func aLongSingleLineTextBodyIsCut() async throws {
        let limits = TraceLimits(maxBodyBytes: 100, maxBodyLines: 10)
        let text = String(repeating: "x", count: 1000)
        let lines = TraceFormatter.response(
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array(text.utf8)),
            duration: .milliseconds(3), limits: limits
        ).split(separator: "\n").map(String.init)
        #expect(lines.contains(String(repeating: "x", count: 100)))
        #expect(lines.contains("* … 900 more bytes (1 more line) not shown"))
    }

    @Test func curlModePrintsARunnableCommandWithoutCredentials() async throws {
        let trace = TraceText()
        let transport = TracingTransport(wrapping: StubServer { _ in (200, jobResult) }, mode: .curl, sink: trace.sink)
        _ = try await transport.send(forceStopRequest(), timeout: nil)
        let text = trace.text
        #expect(text.hasPrefix("curl -X POST 'http://127.0.0.1:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke' \\\n"))
        #expect(text.contains("  -u \"$ATS_USER:$ATS_PASSWORD\" \\\n"))
        #expect(text.contains("  -H 'Accept: application/json' \\\n"))
        #expect(text.contains("  --data-raw '{\"name\":\"forceStop\","))
        #expect(!text.contains("Authorization"))
        #expect(text.contains("# → 200 OK ("))
    }

    @Test func curlQuotingSurvivesAPOSIXShell() throws {
        let awkward = #"{"note":"it's a \"test\" with $HOME and `backticks` and a\nnewline"}"#
        let request = HTTPRequest(
            method: "PUT", url: "http://h:1/Automation/v1/objects/Tasks/1?q=a%20b&x='y'",
            headers: ["X-Odd": "it's"], body: Array(awkward.utf8))
        let command = TraceFormatter.curl(request)
        // Replace `curl` by a printer of its arguments and let sh parse the quoting.
        let script = "printargs() { for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done; }\n"
            + command.replacingOccurrences(of: "curl -X", with: "printargs -X")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = ["ATS_USER": "u", "ATS_PASSWORD": "p", "HOME": "/nowhere"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parsed = try JSONParser.parse(awkward)
        let compact = JSONWriter.compact.string(parsed)
        #expect(output.contains("[http://h:1/Automation/v1/objects/Tasks/1?q=a%20b&x='y']"))
        #expect(output.contains("[X-Odd: it's]"))
        #expect(output.contains("[\(compact)]"))
    }

    /// A quote followed by a combining mark is one Swift `Character` that is not `'`; the
    /// shell still reads the quote, so it must be escaped.
    @Test func shellQuotingEscapesAQuoteBeforeACombiningMark() {
        let quoted = TraceFormatter.shellQuoted("a'\u{301}; rm x")
        #expect(Array(quoted.unicodeScalars) == Array("'a'\\''\u{301}; rm x'".unicodeScalars))
    }

    @Test(arguments: [TracingTransport.Mode.verbose, .curl])
    func transportFailuresAreTracedAndRethrown(mode: TracingTransport.Mode) async throws {
        let trace = TraceText()
        let transport = TracingTransport(wrapping: RefusingTransport(), mode: mode, sink: trace.sink)
        await #expect(throws: TransportFailure.self) {
            _ = try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:9/Automation/v1/user"), timeout: nil)
        }
        let prefix = mode == .verbose ? "* " : "# → "
        #expect(trace.text.contains("\(prefix)cannot connect to 127.0.0.1:9: Connection refused ("))
    }

    @Test func secretLookingBodyMembersAreMasked() async throws {
        let body: JSON = [
            "name": "submit",
            "parameters": [
                ["keyName": "db.user", "value": "scott"],
                ["keyName": "db.password", "value": "tiger"],
                ["type": "password", "keyName": "x", "value": "lion"],
            ],
            "apiToken": "abc123",
        ]
        let request = HTTPRequest(
            method: "POST", url: "http://h:1/Automation/v1/objects/Services/2004/actions/submit/invoke",
            body: Array(JSONWriter.compact.string(body).utf8))
        for mode in [TracingTransport.Mode.verbose, .curl] {
            let trace = TraceText()
            _ = try await TracingTransport(wrapping: StubServer { _ in (200, jobResult) }, mode: mode, sink: trace.sink)
                .send(request, timeout: nil)
            #expect(trace.text.contains("scott"))
            for secret in ["tiger", "lion", "abc123"] { #expect(!trace.text.contains(secret), "\(mode): \(secret)") }
        }
    }
}
