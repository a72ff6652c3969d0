import AOClient
import ATSJSON
import ATSSupport
import TestSupport
import Testing

/// One run of a small script against a server whose ids, dates and job ids are its own.
private struct Run {
    var taskID: Int
    var host: String
    var date: String
    var job: String
    var finalStatus = "failed"

    var server: StubServer {
        StubServer { [self] request in
            if request.url.hasSuffix("/objects/Tasks") {
                return (200, [
                    "data": [
                        ["instanceID": .int(taskID), "name": "Backup Database", "status": .string(finalStatus),
                         "submitTime": .string(date), "serviceID": .int(taskID - 100), "messageID": "KNAE00001-I"],
                    ],
                    "count": 1,
                ])
            }
            return (200, [
                "instanceID": .string(job), "created": .string(date), "state": "success",
                "affectedResources": [.string("http://\(host)/Automation/v1/objects/Tasks/\(taskID)")], "result": [],
            ])
        }
    }

    var requests: [HTTPRequest] {
        [
            HTTPRequest(method: "GET", url: "http://\(host)/Automation/v1/objects/Tasks"),
            HTTPRequest(method: "POST", url: "http://\(host)/Automation/v1/objects/Tasks/\(taskID)/actions/forceStop/invoke",
                        body: Array(#"{"name":"forceStop","parameters":[]}"#.utf8)),
        ]
    }
}

private let customer = Run(taskID: 5381, host: "aohost:22015", date: "2026-11-20T10:00:00.000+0900", job: "b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f")
private let lab = Run(taskID: 101, host: "127.0.0.1:41234", date: "2026-11-29T03:00:00.000+0900", job: "0a0b0c0d-1111-2222-3333-444455556666")

/// Runs `ats diff` on two case files; returns the exit code, standard output and errors.
/// (Its command line is tested with the rest of ats's, in ATSShellTests.)
private func diff(_ a: String, _ b: String, all: Bool = false, ignore: [String] = [], json: Bool = false) -> (code: Int32, output: String, errors: String) {
    var output = ""
    var errors = ""
    var arguments = CaseDiffCLI.Arguments(first: a, second: b, json: json)
    arguments.options.all = all
    ignore.forEach { arguments.ignore($0) }
    let code = CaseDiffCLI.run(arguments, colors: false, output: { output += $0 }, errors: { errors += $0 })
    return (code, output, errors)
}

@Suite struct DiffTests {
    private func recordRun(_ run: Run, _ name: String, _ scratch: TemporaryDirectory) async throws -> String {
        try await record(run.requests, through: run.server, in: scratch, name: name).path
    }

    @Test func identicalRunsAreEquivalent() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let a = try await recordRun(customer, "a.jsonl", scratch)
        let b = try await recordRun(customer, "b.jsonl", scratch)  // other tokens, same data
        let result = diff(a, b)
        #expect(result.code == 0, "\(result.output)")
        #expect(result.output.contains("equivalent: 2 exchanges match"))
        #expect(diff(a, a).code == 0)
    }

    @Test func runsDifferingOnlyInIdsDatesAndTokensAreEquivalent() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let a = try await recordRun(customer, "customer.jsonl", scratch)
        let b = try await recordRun(lab, "lab.jsonl", scratch)
        let result = diff(a, b)
        #expect(result.code == 0, "\(result.output)")
        let all = diff(a, b, all: true)
        #expect(all.code == 1)
        #expect(all.output.contains(".data[0].instanceID: 5381 → 101"))
        #expect(all.output.contains(#".data[0].submitTime: "2026-11-20T10:00:00.000+0900" → "2026-11-29T03:00:00.000+0900""#))
        #expect(all.output.contains("request.path: "))
    }

    @Test func aRealDifferenceIsReportedWithItsPath() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        var fixed = lab
        fixed.finalStatus = "completed"
        let a = try await recordRun(customer, "customer.jsonl", scratch)
        let b = try await recordRun(fixed, "lab.jsonl", scratch)
        let result = diff(a, b)
        #expect(result.code == 1)
        #expect(result.output.contains(#"#1 GET /Automation/v1/objects/Tasks"#))
        #expect(result.output.contains(#".data[0].status: "failed" → "completed""#))
        #expect(result.output.contains("different: 1 of 2 paired exchanges differ"))

        let json = diff(a, b, json: true)
        #expect(json.code == 1)
        let report = try JSONParser.parse(json.output)
        #expect(report["equivalent"] == false)
        let change = report["differences"]?[0]?["changes"]?[0]
        #expect(change?["path"] == ".data[0].status")
        #expect(change?["a"] == "failed")
        #expect(change?["b"] == "completed")

        #expect(diff(a, b, ignore: ["status"]).code == 0)
        #expect(diff(a, b, ignore: ["name,status"]).code == 0)
    }

    @Test func statusAndMissingExchangesAreDifferences() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        func line(_ seq: Int, _ path: String, _ status: Int, _ body: String) -> String {
            #"{"type":"exchange","seq":\#(seq),"statement":"stop 5381 --force","location":"cleanup.ats:12:5","request":{"method":"POST","url":"http://h\#(path)","path":"\#(path)"},"response":{"status":\#(status),"reason":"","headers":{"Date":"d\#(seq)"},"body":\#(body)},"durationMs":1}"#
        }
        let a = try scratch.write("a.jsonl", [
            line(1, "/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke", 200, #"{"state":"success"}"#),
            line(2, "/Automation/v1/objects/Tasks/5381/actions/archive/invoke", 200, "{}"),
        ].joined(separator: "\n"))
        let b = try scratch.write("b.jsonl", line(1, "/Automation/v1/objects/Tasks/77/actions/forceStop/invoke", 409, #"{"messageID":"KNAE02014-E"}"#))
        let result = diff(a, b)
        #expect(result.code == 1)
        #expect(result.output.contains("status: 200 → 409"))
        #expect(result.output.contains(#".state: "success" → (absent)"#))
        #expect(result.output.contains(#".messageID: (absent) → "KNAE02014-E""#))
        #expect(result.output.contains("stop 5381 --force  at cleanup.ats:12:5"))
        #expect(result.output.contains("only in \(a): #2 POST /Automation/v1/objects/Tasks/{id}/actions/archive/invoke"))
    }

    @Test(arguments: [
        ("Backup Database_20261115144405", "Backup Database_20261129030000", true),
        ("Backup Database_20261115144405", "Rotate Logs_20261115144405", false),
        ("order 12345678901234", "order 12345678901235", false),
        ("2026-11-20T10:00:00.000+0900", "2026-11-29T03:00:00Z", true),
        ("b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f", "0a0b0c0d-1111-2222-3333-444455556666", true),
        ("http://aohost:22015/Automation/v1/objects/Tasks/5381", "http://127.0.0.1:1/Automation/v1/objects/Tasks/7", true),
        ("http://aohost:22015/Automation/v1/objects/Tasks/5381", "http://127.0.0.1:1/Automation/v1/objects/Services/7", false),
        ("failed", "completed", false),
    ])
    func valuesThatAlwaysChange(a: String, b: String, equivalent: Bool) {
        func file(_ value: String) -> CaseFile {
            let exchange = CaseFileExchange(
                seq: 1, time: "", statement: nil, location: nil,
                request: CaseFileRequest(method: "GET", url: "http://h/x", path: "/x", query: [], headers: [], body: nil),
                response: CaseFileResponse(status: 200, reason: "OK", headers: [], body: .json(["v": .string(value)])),
                failure: nil, durationMs: 1)
            return CaseFile(exchanges: [exchange])
        }
        #expect(CaseDiff.compare(file(a), file(b)).isEquivalent == equivalent)
        #expect(CaseDiff.compare(file(a), file(b), options: CaseDiffOptions(all: true)).isEquivalent == (a == b))
    }

    @Test func unreadableFilesExitWith2() {
        let result = diff("/nonexistent/a.jsonl", "/nonexistent/b.jsonl")
        #expect(result.code == 2)
        #expect(result.errors.contains("cannot open case file /nonexistent/a.jsonl"))
    }

    @Test func badLinesAreWarnedAboutButDoNotStopTheDiff() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let a = try scratch.write("a.jsonl", "garbage\n")
        let b = try scratch.write("b.jsonl", "")
        let result = diff(a, b)
        #expect(result.code == 0)
        #expect(result.errors.contains("\(a): skipped line 1: not JSON"))
    }
}
