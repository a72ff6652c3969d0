import AOClient
import AOSimulator
import ATSJSON
import Testing

/// Reference §5.2: which request each status accepts. Written out from the reference table,
/// independently of the simulator's own table.
private let acceptedIn: [String: Set<TaskStatus>] = [
    "stop": [.inProgress, .waitingForInput, .inProgressWithError, .longRunning],
    "forceStop": [.inProgress, .waitingForInput, .inProgressWithError, .terminating, .longRunning],
    "response": [.waitingForInput],
    "rerunStart": [.failed],
    "rerunStepStart": [.failed],
    "resubmit": [.completed, .failed, .canceled],
    "archive": [.completed, .failed, .canceled],
]

/// Reference §5.2, schedule rows: the status of the schedule's task → 200 (✓ or no-op) or 409.
private let scheduleAcceptedIn: [String: Set<TaskStatus>] = [
    "cancel": [.waiting, .suspended, .canceled],
    "suspend": [.waiting, .suspended],
    "resume": [.waiting, .suspended],
]

@Suite("Task state machine over HTTP (reference §5)")
struct StateMachineTests {
    @Test("the statuses are those of §4.1, in order, with their API strings and GUI names")
    func statusTable() {
        #expect(TaskStatus.allCases.count == APIConventions.default.taskStatuses.count)
        #expect(TaskStatus.allCases.map(\.likelyAPIString) == [
            "waiting", "holding", "inProgress", "waitingResponse", "abnormalDetected", "terminating",
            "longRunning", "completed", "failed", "canceled",
        ])
        #expect(TaskStatus.allCases.map(\.displayName) == [
            "Waiting", "Suspended", "In Progress", "Waiting for Input", "In Progress (with Error)",
            "In Progress (Terminating)", "Long Running", "Completed", "Failed", "Canceled",
        ])
    }

    @Test("schedule cancel, suspend and resume are accepted or refused with 409 per §5.2",
          arguments: ["cancel", "suspend", "resume"], TaskStatus.allCases)
    func scheduleActionInStatus(action: String, status: TaskStatus) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            // Schedule 2050 is the seeded one-off backup; its task waits.
            let tasks = try await h.get("/objects/Tasks?scheduleID=2050").data.compactMap { $0["instanceID"]?.intValue }
            let task = try #require(tasks.first)
            #expect(h.simulator.setStatus(taskID: task, status))
            let r = try await h.invoke("/objects/Schedules/2050", action)
            if scheduleAcceptedIn[action]!.contains(status) {
                #expect(r.status == 200, "\(action) with the task \(status): \(r.text)")
                let after: TaskStatus = switch (action, status) {
                case ("cancel", _): .canceled
                case ("suspend", _): .suspended
                default: .waiting
                }
                #expect(try await h.status(task) == after.likelyAPIString)
                #expect(try await h.get("/objects/Schedules/2050").json?["status"]?.stringValue == after.likelyAPIString)
            } else {
                #expect(r.status == 409, "\(action) with the task \(status): \(r.text)")
                #expect(r.messageID == "KNAE90902-E")
                let accepted = TaskStatus.allCases.filter { scheduleAcceptedIn[action]!.contains($0) }.map(\.displayName)
                #expect(r.json?["message"]?.stringValue?.hasSuffix(
                    "is \(status.displayName). The status must be one of: \(accepted.joined(separator: ", ")).") == true,
                    "\(r.text)")
                #expect(try await h.status(task) == status.likelyAPIString)
            }
        }
    }

    @Test("every action is accepted or refused with 409 per §5.2",
          arguments: ["stop", "forceStop", "response", "rerunStart", "rerunStepStart", "resubmit", "archive"],
          TaskStatus.allCases)
    func actionInStatus(action: String, status: TaskStatus) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            #expect(h.simulator.setStatus(taskID: 5381, status))
            let params = action == "response" ? "[{\"instanceId\":1,\"taskId\":5381,\"labelbutton1\":\"Continue\"}]" : "[]"
            let r = try await h.invoke("/objects/Tasks/5381", action, parameters: params)
            if acceptedIn[action]!.contains(status) {
                #expect(r.status == 200, "\(action) in \(status): \(r.text)")
                #expect(r.json?["state"]?.stringValue == "success")
            } else {
                #expect(r.status == 409, "\(action) in \(status): \(r.text)")
                #expect(r.messageID == "KNAE90901-E")
                #expect(r.json?["message"]?.stringValue?.contains(status.displayName) == true)
                // A refused request changes nothing.
                #expect(try await h.status(5381) == status.likelyAPIString)
            }
        }
    }

    @Test("the response template is refused with 409 unless the task waits for input", arguments: TaskStatus.allCases)
    func responseTemplate(status: TaskStatus) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            h.simulator.setStatus(taskID: 5381, status)
            let r = try await h.get("/objects/Tasks/5381/actions/response")
            #expect(r.status == (status == .waitingForInput ? 200 : 409))
        }
    }

    @Test("editing notes and ToDo is accepted in every status", arguments: TaskStatus.allCases)
    func editInEveryStatus(status: TaskStatus) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            h.simulator.setStatus(taskID: 5381, status)
            let r = try await h.request("PUT", "/objects/Tasks/5381", body: "{\"notes\":\"checked\",\"toDo\":true}")
            #expect(r.status == 200)
            #expect(r.json?["notes"]?.stringValue == "checked")
            #expect(r.json?["toDo"]?.boolValue == true)
        }
    }

    @Test("DELETE of a normal task answers 303 to its archive action in every status", arguments: TaskStatus.allCases)
    func deleteAnswers303(status: TaskStatus) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            h.simulator.setStatus(taskID: 5381, status)
            let r = try await h.request("DELETE", "/objects/Tasks/5381")
            #expect(r.status == 303)
            #expect(r.header("Location") == h.server.baseURL + "/Automation/v1/objects/Tasks/5381/actions/archive")
            #expect(r.header("Content-Type") == "text/html;charset=utf-8")
            #expect(r.text.contains("303 See Other"))
            #expect(try await h.get("/objects/Tasks/5381").status == 200)
        }
    }

    @Test("a debug task (service in test state) is deleted with 204; an absent task also answers 204")
    func deleteDebugTask() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let id = try #require(try await h.submit("Export Report"))
            #expect(try await h.request("DELETE", "/objects/Tasks/\(id)").status == 204)
            #expect(try await h.get("/objects/Tasks/\(id)").status == 404)
            let again = try await h.request("DELETE", "/objects/Tasks/\(id)")
            #expect(again.status == 204)
            #expect(again.body.isEmpty)
            let memory = try await SimulatorTransport(h.simulator).send(
                HTTPRequest(method: "DELETE", url: "http://sim/Automation/v1/objects/Tasks/\(id)",
                            headers: ["Authorization": "Basic c3lzdGVtOm1hbmFnZXI="]), timeout: nil)
            #expect(memory.status == 204)
            #expect(memory.headers["Content-Length"]?.description == "0")
        }
    }

    /// Drives a task into `status` through the API and the clock only (no test hook).
    @Test("every status of §4.1 is reachable through the API", arguments: TaskStatus.allCases)
    func reachable(status: TaskStatus) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            var id: Int?
            switch status {
            case .waiting, .suspended, .canceled:
                let service = try #require(h.simulator.serviceID(named: "Backup Database"))
                let r = try await h.invoke("/objects/Services/\(service)", "submit", parameters: """
                    [{"name":"nightly","scheduleType":"schedule","scheduledStartTime":"2015-08-07T23:00:00.000+09:00"},
                     {"keyName":"mode","value":"incremental"}]
                    """)
                #expect(r.status == 200, "\(r.text)")
                let urls = r.json?["affectedResource"]?.arrayValue?.compactMap(\.stringValue) ?? []
                id = urls.first.flatMap { Int($0.split(separator: "/").last!) }
                let schedule = try #require(urls.first { $0.contains("/Schedules/") }.map { String($0.split(separator: "/").last!) })
                if status == .suspended {
                    #expect(try await h.invoke("/objects/Schedules/\(schedule)", "suspend").status == 200)
                    #expect(try await h.get("/objects/Schedules/\(schedule)").json?["status"]?.stringValue == "holding")
                }
                if status == .canceled { #expect(try await h.invoke("/objects/Schedules/\(schedule)", "cancel").status == 200) }
            case .inProgress:
                id = try await h.submit("Backup Database")
            case .waitingForInput:
                id = try await h.submit("Provision VM")
                h.advance(.seconds(1))
            case .inProgressWithError:
                id = try await h.submit("Restart Service")
                h.advance(.seconds(1))
            case .terminating:
                id = try await h.submit("Backup Database")
                #expect(try await h.invoke("/objects/Tasks/\(id!)", "stop").status == 200)
            case .longRunning:
                id = try await h.submit("Patch Servers")
                h.advance(.seconds(7))
            case .completed:
                id = try await h.submit("Backup Database")
                h.advance(.seconds(3))
            case .failed:
                id = try await h.submit("Restart Service")
                h.advance(.seconds(2))
            }
            let task = try #require(id)
            #expect(try await h.status(task) == status.likelyAPIString)
        }
    }

    @Test("a submitted Backup Database runs three 1-second steps and completes")
    func backupCompletes() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let id = try #require(try await h.submit("Backup Database"))
            #expect(id > 5381)
            let t0 = try await h.get("/objects/Tasks/\(id)").json
            #expect(t0?["status"]?.stringValue == "inProgress")
            #expect(t0?["submitter"]?.stringValue == "System")
            #expect(t0?["name"]?.stringValue?.hasPrefix("Backup Database_2015") == true)
            h.advance(.milliseconds(2999))
            #expect(try await h.status(id) == "inProgress")
            h.advance(.milliseconds(1))
            let t1 = try await h.get("/objects/Tasks/\(id)").json
            #expect(t1?["status"]?.stringValue == "completed")
            #expect(t1?["completionTime"]?.stringValue == "2015-08-07T10:00:03.000+0900")
            let steps = try await h.get("/objects/FlowSteps?taskID=\(id)")
            #expect(steps.count == 3)
            #expect(steps.data.allSatisfy { $0["status"]?.stringValue == "completed" })
        }
    }

    @Test("speed scales the script: --speed 2 finishes the backup in 1.5 s")
    func speedScales() async throws {
        try await SimHarness.with({ $0.speed = 2 }) { (h: SimHarness) async throws in
            let id = try #require(try await h.submit("Backup Database"))
            h.advance(.milliseconds(1500))
            #expect(try await h.status(id) == "completed")
        }
    }

    @Test("stop passes through In Progress (Terminating) and ends Failed; on the last step it ends Completed")
    func stopLifecycle() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let a = try #require(try await h.submit("Backup Database"))
            let r = try await h.invoke("/objects/Tasks/\(a)", "stop")
            #expect(r.json?["affectedResource"]?[0]?.stringValue == h.server.baseURL + "/Automation/v1/objects/Tasks/\(a)")
            #expect(r.json?["result"] == nil)
            #expect(try await h.status(a) == "terminating")
            h.advance(.seconds(1))
            #expect(try await h.status(a) == "failed")

            let b = try #require(try await h.submit("Backup Database"))
            h.advance(.milliseconds(2500))
            #expect(try await h.invoke("/objects/Tasks/\(b)", "stop").status == 200)
            h.advance(.seconds(1))
            #expect(try await h.status(b) == "completed")
        }
    }

    @Test("force stop ends Failed, also when the task is already terminating")
    func forceStopLifecycle() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            #expect(try await h.status(5381) == "inProgress")
            let r = try await h.invoke("/objects/Tasks/5381", "forceStop")
            #expect(r.status == 200)
            #expect(r.json?["result"]?.arrayValue == [])
            #expect(try await h.status(5381) == "terminating")
            #expect(try await h.invoke("/objects/Tasks/5381", "forceStop").status == 200)
            h.advance(.milliseconds(500))
            #expect(try await h.status(5381) == "failed")
            #expect(try await h.invoke("/objects/Tasks/5381", "forceStop").status == 409)
        }
    }

    @Test("a response answers a waiting task: button 1 continues, button 2 fails the step")
    func response() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let a = try #require(try await h.submit("Provision VM"))
            h.advance(.seconds(1))
            let template = try await h.get("/objects/Tasks/\(a)/actions/response")
            #expect(template.status == 200)
            let input = try #require(template.json?["parameters"]?[0])
            #expect(input["labelbutton1"]?.stringValue == "Approve")
            #expect(input["taskId"]?.intValue == a)
            let r = try await h.invoke("/objects/Tasks/\(a)", "response", parameters: "[{\"instanceId\":1,\"taskId\":\(a),\"labelbutton1\":\"Approve\"}]")
            #expect(r.status == 200)
            #expect(try await h.status(a) == "inProgress")
            h.advance(.seconds(4))
            #expect(try await h.status(a) == "completed")

            let b = try #require(try await h.submit("Provision VM"))
            h.advance(.seconds(1))
            #expect(try await h.invoke("/objects/Tasks/\(b)", "response", parameters: "[{\"labelbutton2\":\"Reject\"}]").status == 200)
            #expect(try await h.status(b) == "failed")
            // No answer chosen → 400.
            let c = try #require(try await h.submit("Provision VM"))
            h.advance(.seconds(1))
            let bad = try await h.invoke("/objects/Tasks/\(c)", "response", parameters: "[{\"labelbutton1\":\"A\",\"labelbutton2\":\"B\"}]")
            #expect(bad.status == 400)
        }
    }

    @Test("retry keeps the task id: rerunStart from the failed step, rerunStepStart from the next")
    func retries() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let a = try #require(try await h.submit("Restart Service"))
            h.advance(.seconds(1))
            #expect(try await h.status(a) == "abnormalDetected")
            h.advance(.seconds(1))
            #expect(try await h.status(a) == "failed")
            let started = try await h.get("/objects/Tasks/\(a)").json?["startTime"]
            #expect(try await h.invoke("/objects/Tasks/\(a)", "rerunStart").status == 200)
            let t = try await h.get("/objects/Tasks/\(a)").json
            #expect(t?["status"]?.stringValue == "inProgress")
            #expect(t?["startTime"] == started)
            #expect(t?["completionTime"] == .null)
            h.advance(.seconds(2))
            #expect(try await h.status(a) == "completed")

            let b = try #require(try await h.submit("Restart Service"))
            h.advance(.seconds(2))
            #expect(try await h.invoke("/objects/Tasks/\(b)", "rerunStepStart").status == 200)
            h.advance(.seconds(1))
            #expect(try await h.status(b) == "completed")
        }
    }

    @Test("resubmit makes a new task; archive moves a finished task to the histories")
    func resubmitAndArchive() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let a = try #require(try await h.submit("Backup Database", parameters: "[{\"keyName\":\"target\",\"value\":\"SALES\"}]"))
            h.advance(.seconds(3))
            let r = try await h.invoke("/objects/Tasks/\(a)", "resubmit", parameters: "[{\"keyName\":\"mode\",\"value\":\"incremental\"}]")
            #expect(r.status == 200)
            let url = try #require(r.json?["affectedResource"]?[0]?.stringValue)
            let b = try #require(Int(url.split(separator: "/").last!))
            #expect(b != a)
            #expect(try await h.status(b) == "inProgress")
            let values = try await h.get("/objects/PropertyValues?taskID=\(b)").data
            #expect(values.contains { $0["keyName"] == "target" && $0["value"] == "SALES" })
            #expect(values.contains { $0["keyName"] == "mode" && $0["value"] == "incremental" })

            let archived = try await h.invoke("/objects/Tasks/\(a)", "archive")
            #expect(archived.status == 200)
            #expect(archived.json?["resultType"]?.stringValue == "TaskHistory")
            #expect(try await h.get("/objects/Tasks/\(a)").status == 404)
            let history = try await h.get("/objects/TaskHistories/\(a)")
            #expect(history.status == 200)
            #expect(history.json?["taskID"]?.intValue == a)
            #expect(history.json?["status"]?.stringValue == "completed")
            #expect(history.json?["archiveTime"]?.stringValue == "2015-08-07T10:00:03.000+0900")
        }
    }

    @Test("schedule suspend, resume and cancel follow §5.2; a waiting task starts at its time")
    func schedules() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let service = try #require(h.simulator.serviceID(named: "Backup Database"))
            let r = try await h.invoke("/objects/Services/\(service)", "submit", parameters: """
                [{"name":"later","scheduleType":"schedule","scheduledStartTime":"2015-08-07T11:00:00.000+09:00"}]
                """)
            let urls = r.json?["affectedResource"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let task = try #require(urls.first.flatMap { Int($0.split(separator: "/").last!) })
            let schedule = try #require(urls.last?.split(separator: "/").last.map(String.init))
            #expect(try await h.status(task) == "waiting")
            #expect(try await h.invoke("/objects/Schedules/\(schedule)", "resume").status == 200)  // no-op
            #expect(try await h.invoke("/objects/Schedules/\(schedule)", "suspend").status == 200)
            #expect(try await h.status(task) == "holding")
            #expect(try await h.invoke("/objects/Schedules/\(schedule)", "suspend").status == 200)  // no-op
            #expect(try await h.invoke("/objects/Schedules/\(schedule)", "resume").status == 200)
            #expect(try await h.status(task) == "waiting")
            h.advance(.seconds(3600))
            #expect(try await h.status(task) == "inProgress")
            let refused = try await h.invoke("/objects/Schedules/\(schedule)", "cancel")
            #expect(refused.status == 409)
            #expect(refused.messageID == "KNAE90902-E")
        }
    }

    @Test("a recurring schedule runs its task and queues the next occurrence")
    func recurrence() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let rotate = try #require(h.simulator.serviceID(named: "Rotate Logs"))
            let before = try await h.get("/objects/Tasks" + query(("serviceID", "\(rotate)"), ("HQL::filter", "status eq 'waiting'")))
            #expect(before.count == 1)
            h.advance(.seconds(2 * 3600 + 1))
            let after = try await h.get("/objects/Tasks" + query(("serviceID", "\(rotate)"), ("HQL::filter", "status eq 'waiting'")))
            #expect(after.count == 1)
            #expect(after.data.first?["instanceID"] != before.data.first?["instanceID"])
            let old = try #require(before.data.first?["instanceID"]?.intValue)
            #expect(try await h.status(old) == "completed")
        }
    }

    @Test("submit validates its parameters with 400")
    func submitValidation() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let service = try #require(h.simulator.serviceID(named: "Backup Database"))
            let cases = [
                "[{\"keyName\":\"nope\",\"value\":\"x\"}]",
                "[{\"keyName\":\"mode\",\"value\":\"weekly\"}]",
                "[{\"name\":\"x\",\"scheduleType\":\"sometimes\"}]",
                "[{\"name\":\"x\",\"scheduleType\":\"schedule\",\"scheduledStartTime\":\"2015-08-07T11:00:00.000+0900\"}]",
                "[{\"name\":\"x\",\"scheduleType\":\"schedule\"}]",
            ]
            for c in cases {
                let r = try await h.invoke("/objects/Services/\(service)", "submit", parameters: c)
                #expect(r.status == 400, "\(c): \(r.text)")
            }
            let colon = try await h.invoke("/objects/Services/\(service)", "submit", parameters: cases[3])
            #expect(colon.messageID == "KNAE90415-E")
            #expect(colon.json?["message"]?.stringValue?.contains("colon") == true)
            let maintenance = try #require(h.simulator.serviceID(named: "Archive Mailboxes"))
            #expect(try await h.invoke("/objects/Services/\(maintenance)", "submit").status == 409)
        }
    }
}
