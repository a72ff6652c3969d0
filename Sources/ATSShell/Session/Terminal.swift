import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few terminal facts and prompts the shell needs.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Asks a question on the controlling terminal; true for y/yes.
    static func ask(_ question: String) -> Bool {
        guard let tty = fopen("/dev/tty", "r+") else { return false }
        defer { fclose(tty) }
        fputs(question, tty)
        fflush(tty)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        guard getline(&line, &capacity, tty) > 0, let line else { return false }
        let answer = String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return answer == "y" || answer == "yes"
    }

    /// Reads a password with echo off; nil without a terminal.
    static func readPassword(_ prompt: String) -> String? {
        guard isTerminal(STDIN_FILENO) || FileManager.default.isReadableFile(atPath: "/dev/tty") else { return nil }
        guard let p = getpass(prompt) else { return nil }
        return String(cString: p)
    }
}
