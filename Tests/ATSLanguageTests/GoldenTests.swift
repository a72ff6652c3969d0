import ATSLanguage
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every `Scripts/<feature>/<name>.ats` runs and matches `<name>.out`, `<name>.err` (when
/// present) and `<name>.code` (0 when absent).
@Suite struct GoldenScripts {
    @Test(arguments: Harness.goldenScripts())
    func script(_ name: String) throws {
        let base = Harness.scriptsRoot + "/" + name
        let text = try #require(Harness.read(base + ".ats"))
        let run = Harness.run(text, name: String(name.split(separator: "/").last!) + ".ats", arguments: ["first", "second"])
        if ProcessInfo.processInfo.environment["ATS_UPDATE_GOLDEN"] == "1" {
            // Writes the expected files from this run (review them with `git diff`).
            Harness.write(base + ".out", run.stdout)
            if !run.stderr.isEmpty { Harness.write(base + ".err", run.stderr) }
            if run.code != 0 { Harness.write(base + ".code", "\(run.code)\n") }
        }
        let expectedOut = Harness.read(base + ".out") ?? ""
        #expect(run.stdout == expectedOut, "stdout of \(name)")
        if let expectedErr = Harness.read(base + ".err") {
            #expect(run.stderr == expectedErr, "stderr of \(name)")
        } else {
            #expect(run.stderr == "", "unexpected stderr of \(name)")
        }
        let code = Int32((Harness.read(base + ".code") ?? "0").trimmingCharacters(in: " \n")) ?? -1
        #expect(run.code == code, "exit code of \(name)")
    }

    @Test func scriptsAreFound() {
        #expect(Harness.goldenScripts().count >= 20)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
