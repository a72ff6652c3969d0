import Testing
import TestSupport

@Suite struct MissingArgumentTests {
    /// A missing argument or option is named by what the command needs, never shown as `'null'`.
    @Test(arguments: [
        ("history delete", "history delete needs record ids, or --from/--to/--group"),
        ("template bind 1", "template bind needs a service name (--name)"),
    ])
    func messageSaysWhatIsNeeded(_ statement: String, _ message: String) throws {
        let result = try runATS(["-c", "connect sim\ntry { \(statement) } catch e { echo $e.message }"])
        #expect(result.stdout == message + "\n")
        #expect(result.exitCode == 0, "\(result)")
    }
}
