import ATSShell
import Foundation

/// Runs the user's command lines with `/bin/sh -c`. Standard input and standard error are
/// ats's own (a password manager may ask on the terminal); standard output is read to its end.
public struct ShellCommands: CommandRunner {
    public init() {}

    public func run(shell command: String) -> CommandOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            return .notStarted("\(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .exited(status: process.terminationStatus, output: Array(data))
    }
}
