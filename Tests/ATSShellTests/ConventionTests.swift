import ATSJSON
import ATSLanguage
import Testing
@testable import ATSShell

@Suite struct ConventionTests {
    @Test(arguments: [
        ("inProgress", "inProgress"), ("In Progress", "inProgress"), ("INPROGRESS", "inProgress"),
        ("Waiting for Input", "waitingResponse"), ("waitingresponse", "waitingResponse"),
        ("cancelled", "canceled"), ("Suspended", "holding"), ("in progress (with error)", "abnormalDetected"),
    ])
    func statusAliases(_ name: String, _ api: String) {
        #expect(StatusNames.resolve(name) == api)
    }

    @Test func statusListsAndErrors() throws {
        #expect(try StatusNames.resolveList(["failed,In Progress", "failed"]) == ["failed", "inProgress"])
        #expect(throws: ShellError.unknownStatus("faild", suggestion: "failed")) { try StatusNames.resolveList(["faild"]) }
    }

    @Test func apiDates() {
        #expect(CommandRun.apiDate("2015-08-07T19:00:40.025+0900") == "2015-08-07T19:00:40.025+09:00")
        #expect(CommandRun.apiDate("2015-08-07T19:00:40.025+09:00") == "2015-08-07T19:00:40.025+09:00")
        #expect(CommandRun.apiDate("2015-08-07") == "2015-08-07")
    }

    @Test func sortAndHQL() {
        #expect(CommandRun.sortBy("-submitTime") == "submitTime DESC")
        #expect(CommandRun.sortBy("name,-status") == "name, status DESC")
        #expect(CommandRun.hql("O'Brien") == "'O''Brien'")
    }

    @Test func recurrences() throws {
        let daily = try #require(ServiceHandlers.recurrence("daily:02:00"))
        #expect(daily.first { $0.0 == "recurrenceTime" }?.1 == "02:00")
        let weekly = try #require(ServiceHandlers.recurrence("weekly:mon,fri@06:30"))
        #expect(weekly.first { $0.0 == "recurrenceDayOfWeek" }?.1 == "mon,fri")
        #expect(weekly.first { $0.0 == "recurrenceTime" }?.1 == "06:30")
        #expect(ServiceHandlers.recurrence("hourly:5") == nil)
        #expect(ServiceHandlers.recurrence("sometimes") == nil)
    }

    @Test func conflictExplainsStatuses() {
        let lines = ErrorMapping.explanation(
            status: 409, hint: .taskAction(id: 5381, action: "forceStop", currentStatus: "completed"), request: nil)
        #expect(lines == ["the task is \"completed\"; force stop needs In Progress, Waiting for Input or In Progress (with Error)"])
    }

    @Test func transportFailuresExplainThemselves() {
        let (kind, summary, details) = ErrorMapping.describe(.connect(host: "aohost", port: 22015, detail: "Connection refused"), url: "")
        #expect(kind == "transport")
        #expect(summary == "connection refused at aohost:22015")
        #expect(details == ["is the server running, is the host name and port right?"])
        #expect(ErrorMapping.describe(.timeout(seconds: 30), url: "http://aohost:22015/x").0 == "timeout")
        #expect(ErrorMapping.describe(.tls(detail: "bad certificate"), url: "https://aohost:22016").0 == "tls")
    }

    @Test func logLinesFromAnyShape() {
        #expect(TaskHandlers.logLines(["data": ["a", "b"]]) == ["a", "b"])
        #expect(TaskHandlers.logLines(["data": [["line": "x"], ["message": "y"]]]) == ["x", "y"])
        #expect(TaskHandlers.logLines(["data": "one\ntwo\n"]) == ["one", "two"])
    }
}
