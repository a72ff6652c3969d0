import ATSJSON
import AOClient
import Testing

@Suite struct SubmitRequestTests {
    /// A submit template as 2.5.6 describes it: one Schedule and PropertyValues pre-filled.
    static let template: JSON = [
        "name": "submit",
        "href": " http://h:22015/Automation/v1/objects/Services/2004/actions/submit/invoke",
        "method": "POST",
        "parameters": [
            ["name": "BackupDB_1", "description": "", "scheduleType": "immediate", "scheduledStartTime": nil],
            ["keyName": "db.name", "value": "ORCL", "type": "string"],
            ["PropertyValue": ["keyName": "mail.cc", "value": ""]],
        ],
    ]

    @Test func fillsScheduleAndPropertiesInPlace() throws {
        var t = Self.template
        SubmitRequest(
            taskName: "Nightly", description: "d", schedule: .at("2026-12-01T02:00:00.000+0900"),
            properties: [PropertySetting("db.name", "PROD"), PropertySetting("mail.cc", "ops@example.com"), PropertySetting("new.key", "v")]
        ).apply(to: &t)
        let p = Tolerant.list(t["parameters"])
        #expect(p.count == 4)
        #expect(p[0]["name"] == "Nightly")
        #expect(p[0]["description"] == "d")
        #expect(p[0]["scheduleType"] == "schedule")
        #expect(p[0]["scheduledStartTime"] == "2026-12-01T02:00:00.000+09:00")
        #expect(p[1] == ["keyName": "db.name", "value": "PROD", "type": "string"])
        #expect(p[2]["PropertyValue"]?["value"] == "ops@example.com")
        #expect(p[3] == ["keyName": "new.key", "value": "v"])
        // Everything else is sent back unchanged, in order.
        #expect(t.objectValue?.keys == ["name", "href", "method", "parameters"])
        #expect(t["href"] == Self.template["href"])
    }

    @Test func recurrenceFields() {
        var t = Self.template
        SubmitRequest(
            schedule: .recurring(
                Recurrence(interval: "weekly", daysOfWeek: "mon,fri", lastDayOfMonth: false, startDate: "2026-12-01", time: "02:30"))
        ).apply(to: &t)
        let s = Tolerant.list(t["parameters"])[0]
        #expect(s["scheduleType"] == "recurrence")
        #expect(s["recurrenceInterval"] == "weekly")
        #expect(s["recurrenceDayOfWeek"] == "mon,fri")
        #expect(s["recurrenceLastDayOfMonth"] == false)
        #expect(s["recurrenceStartDate"] == "2026-12-01")
        #expect(s["recurrenceTime"] == "02:30")
        #expect(s["recurrenceMinutes"] == nil)
    }

    @Test func nullParametersGetAScheduleObject() {
        var t: JSON = ["name": "submit", "parameters": nil]
        SubmitRequest(taskName: "x", schedule: .immediate).apply(to: &t)
        #expect(t["parameters"] == [["name": "x", "scheduleType": "immediate"]])
    }

    @Test func emptyRequestChangesNothingButNullParameters() {
        var t = Self.template
        SubmitRequest().apply(to: &t)
        #expect(t == Self.template)
    }
}

/// Every error kind renders a summary and plain details, without `default:` fallbacks.
@Suite struct APIErrorTests {
    static let url = "http://h:22015/Automation/v1/objects/Tasks/5"

    @Test(arguments: [
        (TransportFailure.connect(host: "h", port: 22015, detail: "connection refused"), APIError.Kind.transport, "cannot connect to h:22015: connection refused"),
        (.timeout(seconds: 30), .timeout, "no complete answer from h:22015 within 30 s"),
        (.tls(.untrustedCertificate(caFile: nil), detail: "CERTIFICATE_VERIFY_FAILED"), .tls,
         "the TLS certificate of h:22015 is not signed by a trusted CA"),
        (.caFile(path: "ca.pem", problem: .notPEM), .tls, "cannot use the CA file ca.pem: it is not a PEM certificate file"),
        (.closed(detail: ""), .transport, "the server closed the connection before the answer was complete"),
        (.tooLarge(limit: 64 * 1024 * 1024), .transport, "the answer is larger than the limit of 64 MiB"),
        (.invalidURL("x"), .transport, "invalid server URL: x"),
        (.cancelled, .transport, "the request was cancelled"),
        (.other("boom"), .transport, "the request failed: boom"),
    ])
    func transportKinds(_ failure: TransportFailure, _ kind: APIError.Kind, _ summary: String) {
        let e = APIError(transport: failure, operation: APIOperation(.get, .tasks, id: 5), method: "GET", url: Self.url)
        #expect(e.kind == kind)
        #expect(e.summary == summary)
        #expect(e.fields.first?.value == .string(kind.rawValue))
        #expect(e.fields.contains { $0.name == "url" && $0.value == .string(Self.url) })
    }

    /// Each TLS check that can fail, in words: the summary and what to do; never the library's detail.
    @Test(arguments: [
        (TLSProblem.untrustedCertificate(caFile: nil), "the TLS certificate of h:22015 is not signed by a trusted CA",
         "if the server uses a private CA, use --cacert FILE (or the profile's cacert); to skip verification (unsafe) use --insecure"),
        (.untrustedCertificate(caFile: "/etc/ca.pem"), "the TLS certificate of h:22015 is not signed by a CA in /etc/ca.pem",
         "the CA file must hold the CA that issued the server's certificate; to skip verification (unsafe) use --insecure"),
        (.hostnameMismatch(host: "h", names: ["aohost.example", "10.0.0.7"]),
         "the TLS certificate of h:22015 is not for h: it is for aohost.example, 10.0.0.7",
         "connect by a name the certificate holds, e.g. http://aohost.example:22015"),
        (.hostnameMismatch(host: "h", names: []), "the TLS certificate of h:22015 is not for h: it names no host",
         "connect by a name the certificate holds"),
        (.expired(notBefore: 1_577_836_800, notAfter: 1_577_923_200),
         "the TLS certificate of h:22015 expired on 2020-01-02 00:00:00 UTC",
         "it is valid from 2020-01-01 00:00:00 UTC to 2020-01-02 00:00:00 UTC; the server needs a current certificate (or this machine's clock is wrong)"),
        (.notYetValid(notBefore: 4_102_444_800, notAfter: 4_102_531_200),
         "the TLS certificate of h:22015 is not valid before 2100-01-01 00:00:00 UTC",
         "it is valid from 2100-01-01 00:00:00 UTC to 2100-01-02 00:00:00 UTC; the server needs a current certificate (or this machine's clock is wrong)"),
        (.protocolVersion, "h:22015 speaks no TLS version that ats accepts (TLS 1.2 or 1.3)",
         "the server offers only older TLS versions; it must be configured for TLS 1.2 or 1.3"),
        (.handshakeRefused, "h:22015 refused the TLS handshake",
         "it shares no cipher suite with ats (ECDHE or RSA with AES-GCM, ChaCha20-Poly1305 or AES-CBC), or it requires a client certificate, which ats does not send"),
        (.clientCertificateRequired, "h:22015 requires a TLS client certificate",
         "ats does not send client certificates; use an address (or a proxy) that accepts user and password logins"),
        (.notTLS, "h:22015 did not answer in TLS", "is it a plain HTTP port? then use http://h:22015"),
        (.handshakeTimeout, "the TLS handshake with h:22015 timed out",
         "the server may be busy or unreachable; try again, or allow more time with --timeout"),
        (.other, "the TLS handshake with h:22015 failed", "run with --trace to see the TLS library's detail"),
    ])
    func tlsProblemsInWords(_ problem: TLSProblem, _ summary: String, _ detail: String) {
        let e = APIError(transport: .tls(problem, detail: "Error: 268435581 at /x/handshake.cc:1"), operation: .connect, method: "GET", url: Self.url)
        #expect(e.kind == .tls)
        #expect(e.summary == summary)
        #expect(e.details == [detail])
        #expect(!e.description.contains("268435581") && !e.description.contains(".cc"))
    }

    @Test(arguments: [
        (400, APIOperation(.list, .tasks), "the server rejected a query parameter: check the filter (HQL), sort, field names and dates"),
        (403, APIOperation(.invoke("archive"), .tasks, id: 5), "the user is logged in, but their role does not allow this request (needs a role such as Admin, Develop or Modify)"),
        (404, APIOperation(.actionTemplate("response"), .tasks, id: 5), "task 5 does not exist or is not visible to this user, or it has no action 'response'"),
        (405, APIOperation.raw, "the server does not allow GET on this resource"),
        (406, APIOperation(.get, .version), "the server cannot answer in the requested format (Accept)"),
        (409, APIOperation(.delete, .services, id: 2004), "tasks made from this service still exist; archive them first (histories do not block)"),
        (409, APIOperation(.delete, .serviceTemplates, id: 560), "a service was made from this template, or another template uses it as a component"),
        (409, APIOperation(.invoke("release"), .services, id: 2004), "the service's current state does not allow this change"),
        (412, APIOperation(.get, .user), "the server is starting or not available; retry later"),
        (415, APIOperation(.importTemplate, .serviceTemplates), "the server does not accept the body's format (Content-Type)"),
        (500, APIOperation(.invoke("forceStop"), .tasks, id: 5), "the server reported an internal error while trying to force stop task 5"),
        (503, APIOperation(.list, .services), "the server is unavailable; retry later"),
        (418, APIOperation(.get, .tasks, id: 5), "unexpected HTTP status while trying to read task 5"),
        (302, APIOperation(.get, .tasks, id: 5), "unexpected redirect while trying to read task 5"),
    ])
    func httpExplanations(_ status: Int, _ op: APIOperation, _ first: String) {
        let e = APIError(status: status, reason: "", operation: op, method: "GET", url: Self.url)
        #expect(e.kind == .http)
        #expect(e.details.first == first)
        #expect(!e.summary.isEmpty)
    }

    @Test func scheduleConflictNamesTheNeededStatuses() {
        var e = APIError(status: 409, reason: "Conflict", operation: APIOperation(.invoke("resume"), .schedules, id: 2193), method: "POST", url: Self.url)
        e.acceptedStatuses = APIConventions.default.documentedStatuses(for: ScheduleAction.resume)
        #expect(e.details == ["the schedule's task is not in a status that allows resume; resume needs Suspended"])
    }

    @Test func taskConflictWithoutAKnownStatus() {
        var e = APIError(status: 409, reason: "Conflict", operation: APIOperation(.invoke("archive"), .tasks, id: 1), method: "POST", url: Self.url)
        e.acceptedStatuses = APIConventions.default.documentedStatuses(for: TaskAction.archive)
        #expect(e.details == ["the task's status does not allow archive; archive needs Completed, Failed or Canceled"])
    }

    @Test func decodingKinds() {
        let e = APIError(decoding: .unexpectedShape(expected: "a job result"), operation: APIOperation(.invoke("stop"), .tasks, id: 1), method: "POST", url: Self.url, status: 200)
        #expect(e.kind == .decoding)
        #expect(e.summary == "the server's answer is not a job result")
        #expect(e.details == ["while trying to stop task 1; POST \(Self.url)", "HTTP status was 200"])
    }

    @Test func theStandardReasonIsUsedWhenTheServerSendsNone() {
        let e = APIError(status: 404, reason: "", operation: .raw, method: "GET", url: Self.url)
        #expect(e.summary == "404 Not Found")
    }

    @Test func operationsDescribeThemselves() {
        #expect(APIOperation(.invoke("rerunStepStart"), .tasks, id: 3).description == "retry task 3 from the next step")
        #expect(APIOperation(.list, .taskHistories).description == "list task history records")
        #expect(APIOperation(.actionTemplate("submit"), .services, id: 2).description == "get the 'submit' template of service 2")
    }
}
