import Foundation
import Testing
import TestSupport

/// A script against a server that answers exactly as the usage example of manual page 2.7.9
/// (the seed page): the force stop's job reaches the script, and errors stay values.
@Suite struct SeedExchangeTests {
    /// The seed page's response body, as captured (members and spellings kept).
    static let seedJob = """
        {
          "instanceID" : "b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f",
          "created" : "2015-08-07T19:00:39.123+0900",
          "updated" : "2015-08-07T19:00:39.123+0900",
          "completed" : "2015-08-07T19:00:39.123+0900",
          "state" : "success",
          "affectedResource" : [ "http://192.168.146.132:22015/Automation/v1/objects/Tasks/5381" ],
          "result" : [ ]
        }
        """

    static func server() async throws -> TestHTTPServer {
        try await TestHTTPServer.misbehaving { r in
            let path = r.uri.split(separator: "?").first.map(String.init) ?? r.uri
            switch (r.method, path) {
            case ("GET", "/Automation/v1/objects/Tasks/5381/actions/forceStop"), ("GET", "/Automation/v1/objects/Tasks/5382/actions/forceStop"):
                return TestHTTPServer.ao(200, """
                    {"name":"forceStop","href":"http://192.168.146.132:22015/Automation/v1/objects/Tasks/5338/actions/forceStop/invoke","method":"POST","parameters":[]}
                    """)
            case ("POST", "/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke"):
                return TestHTTPServer.ao(200, seedJob)
            case ("POST", "/Automation/v1/objects/Tasks/5382/actions/forceStop/invoke"):
                return TestHTTPServer.ao(409, #"{"errorSource":"x","message":"The task cannot be stopped.","messageID":"KNAE02014-E","application":"Automation"}"#)
            case ("GET", "/Automation/v1/objects/Tasks/5382"):
                return TestHTTPServer.ao(200, #"{"instanceID":5382,"status":"completed"}"#)
            default:
                return TestHTTPServer.ao(404, #"{"errorSource":"x","message":"The specified resource does not exist or you do not have access.","messageID":"KNAE02102-E","application":"Automation"}"#)
            }
        }
    }

    @Test func theForceStopsJobReachesTheScript() async throws {
        let server = try await Self.server()
        defer { Task { await server.shutdown() } }
        let result = try runATS(
            against(server.baseURL) + ["-c", "let r = stop 5381 --force; echo $r.state; echo $r.instanceID; echo $r.affectedResource[0]"],
            environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == """
            success
            b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f
            http://192.168.146.132:22015/Automation/v1/objects/Tasks/5381

            """, "\(result)")
    }

    @Test func offATerminalTheJobPrintsAsTheServerSentIt() async throws {
        let server = try await Self.server()
        defer { Task { await server.shutdown() } }
        let result = try runATS(against(server.baseURL) + ["-c", "stop 5381 --force"], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        let printed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(printed?["state"] as? String == "success", "\(result)")
        #expect((printed?["affectedResource"] as? [String])?.count == 1, "\(result)")
        #expect(Array((printed ?? [:]).keys).sorted() == ["affectedResource", "completed", "created", "instanceID", "result", "state", "updated"])
    }

    @Test func errorsStayValues() async throws {
        let server = try await Self.server()
        defer { Task { await server.shutdown() } }
        let script = """
            try { stop 999999 } catch err { echo "${err.status} ${err.messageID}" }
            try { stop 5382 --force } catch err { echo "${err.status} ${err.messageID} ${err.taskStatus}" }
            """
        let result = try runATS(against(server.baseURL) + ["-c", script], environment: passwordEnvironment)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "404 KNAE02102-E\n409 KNAE02014-E completed\n", "\(result)")
    }
}
