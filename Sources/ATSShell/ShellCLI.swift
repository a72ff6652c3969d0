import ATSLanguage
import Foundation

/// The command line of ats (spec §3) apart from `ats sim` and `ats diff`: the REPL, scripts,
/// `-c`, `check`, `fmt`, global options, profiles, exit codes.
public enum ShellCLI {
    /// The version `ats --version` prints.
    public static let version = "0.1.0"

    /// Runs ats with its arguments (without the program name). `runREPL` is called when the
    /// REPL should start (no script, no `-c`, standard input a terminal); it returns the exit code.
    public static func main(_ arguments: [String], runREPL: (ShellSession) -> Int32) -> Int32 {
        let parsed: (GlobalOptions, Invocation)
        do {
            parsed = try CommandLineParser.parse(arguments)
        } catch {
            FileHandle.standardError.write(Data("ats: \(error.message)\n".utf8))
            return 2
        }
        let (options, invocation) = parsed
        switch invocation {
        case .version:
            print("ats \(version)")
            return 0
        case .help:
            print(CommandLineParser.usage, terminator: "")
            return 0
        default:
            FileHandle.standardError.write(Data("ats: not built yet\n".utf8))
            _ = options
            return 1
        }
    }
}
