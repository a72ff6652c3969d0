import AOClient
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
        #expect(APIDate.normalisedForSending("2015-08-07T19:00:40.025+0900") == "2015-08-07T19:00:40.025+09:00")
        #expect(APIDate.normalisedForSending("2015-08-07T19:00:40.025+09:00") == "2015-08-07T19:00:40.025+09:00")
        #expect(APIDate.normalisedForSending("2015-08-07") == "2015-08-07")
    }

    @Test func sortAndHQL() {
        #expect(CommandRun.sortBy("-submitTime") == "submitTime DESC")
        #expect(CommandRun.sortBy("name,-status") == "name, status DESC")
        #expect(HQLOptions.quote("O'Brien") == "'O''Brien'")
    }

    @Test func recurrences() throws {
        let daily = try #require(ServiceHandlers.recurrence("daily:02:00", today: "2015-08-07"))
        #expect(daily.time == "02:00")
        #expect(daily.interval == "daily")
        let weekly = try #require(ServiceHandlers.recurrence("weekly:mon,fri@06:30", today: "2015-08-07"))
        #expect(weekly.daysOfWeek == "mon,fri")
        #expect(weekly.time == "06:30")
        #expect(ServiceHandlers.recurrence("hourly:5", today: "2015-08-07") == nil)
        #expect(ServiceHandlers.recurrence("sometimes", today: "2015-08-07") == nil)
        #expect(daily.startDate == "2015-08-07")
    }

    @Test func transportFailuresKeepTheClientsExplanation() {
        let e = APIError(transport: .connect(host: "aohost", port: 22015, detail: "connection refused"), operation: .raw, method: "", url: "")
        let explained = ErrorMapping.withURL(e, request: APIRequestSpec("GET", "/objects/Tasks"), baseURL: "http://aohost:22015/Automation/v1")
        #expect(explained.kind == .transport)
        #expect(explained.summary == "cannot connect to aohost:22015: connection refused")
        #expect(explained.details == ["is the server running, is the port right?"])
        #expect(explained.method == "GET")
    }

    @Test func logLinesFromAnyShape() {
        #expect(TaskHandlers.logLines(["data": ["a", "b"]]) == ["a", "b"])
        #expect(TaskHandlers.logLines(["data": [["line": "x"], ["message": "y"]]]) == ["x", "y"])
        #expect(TaskHandlers.logLines(["data": "one\ntwo\n"]) == ["one", "two"])
        // A Windows server's log: \r\n is one Swift Character, so splitting at "\n" missed it.
        #expect(TaskHandlers.logLines(["data": "one\r\ntwo\r\n"]) == ["one", "two"])
    }
}
