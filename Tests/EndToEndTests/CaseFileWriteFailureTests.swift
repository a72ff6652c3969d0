// A case file that stops accepting writes mid-run: ats says so once, stops recording, and
// otherwise runs as it would have. (`--record /dev/full` fails at the header, when the file
// is opened, which is reported as an error; here the header fits under a file-size limit
// and a later exchange does not.)
import Foundation
import Testing
import TestSupport

@Suite struct CaseFileWriteFailureTests {
    @Test func aFailedWriteIsReportedOnceAndTheRunGoesOn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let caseFile = dir.path("full.jsonl")
        let script = "echo before; for i in 1..20 { let _ = task 5381 }; echo after"
        // A 1 KiB file-size limit (2 blocks of 512 bytes or more), with SIGXFSZ ignored so
        // that the write fails with EFBIG instead of killing the process.
        let limited = "ulimit -f 2; trap '' XFSZ; exec \"$0\" \"$@\""
        let result = try runProcess(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", limited, BuiltProducts.ats.path, "--sim", "--record", caseFile, "-c", script])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout == "before\nafter\n", "\(result)")
        let warnings = result.stderr.components(separatedBy: "cannot write to case file \(caseFile)").count - 1
        #expect(warnings == 1, "\(result)")
        #expect(result.stderr.contains("recording stopped"), "\(result)")
    }
}
