import Foundation
import Testing
import TestSupport

/// Exact output of the binary for fixed values: on a (forced) terminal and into a pipe.
@Suite struct OutputGoldenEndToEndTests {
    static let tasks = """
        [{instanceID: 5381, name: "BackupDB_1", status: "inProgress", serviceName: "Backup Database", \
        submitTime: "2015-08-07T10:00:00.000+0900", completionTime: null}, \
        {instanceID: 5382, name: "RotateLogs_1", status: "failed", serviceName: "Rotate Logs", \
        submitTime: "2015-08-07T11:00:00.000+0900", completionTime: "2015-08-07T11:05:30.250+0900"}]
        """

    @Test func terminalTable() throws {
        let result = try runATS(["-c", Self.tasks], environment: ["ATS_FORCE_TTY": "1", "NO_COLOR": "1", "COLUMNS": "200"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == """
            instanceID  name          status      serviceName      submitTime                    completionTime
            ----------  ----          ------      -----------      ----------                    --------------
                  5381  BackupDB_1    inProgress  Backup Database  2015-08-07T10:00:00.000+0900
                  5382  RotateLogs_1  failed      Rotate Logs      2015-08-07T11:00:00.000+0900  2015-08-07T11:05:30.250+0900

            """, "\(result)")
    }

    @Test func terminalColoursStatuses() throws {
        let result = try runATS(["-c", Self.tasks], environment: ["ATS_FORCE_TTY": "1", "COLUMNS": "200", "TERM": "xterm"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("\u{1B}["), "colour on a terminal: \(result)")
    }

    @Test func pipeJSON() throws {
        let result = try runATS(["-c", "[{instanceID: 1, status: \"failed\"}]"])
        #expect(result.stdout == """
            [
              {
                "instanceID": 1,
                "status": "failed"
              }
            ]

            """, "\(result)")
    }

    @Test func pipeCSVAndTableWithoutColour() throws {
        let csv = try runATS(["--output", "csv", "-c", "[{instanceID: 1, name: \"a,b\"}]"])
        #expect(csv.stdout == "instanceID,name\n1,\"a,b\"\n", "\(csv)")
        let table = try runATS(["--output", "table", "-c", Self.tasks], environment: ["TERM": "xterm"])
        #expect(!table.stdout.contains("\u{1B}["), "\(table)")
        #expect(table.stdout.hasPrefix("instanceID  name"), "\(table)")
    }
}
