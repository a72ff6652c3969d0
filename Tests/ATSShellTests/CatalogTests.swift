import ATSLanguage
import Testing
@testable import ATSShell

@Suite struct CatalogTests {
    @Test func namesAreUnique() {
        let names = CommandCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test(arguments: CommandCatalog.all.map(\.name))
    func everyCommandIsDocumentedAndHandled(_ name: String) throws {
        let s = try #require(CommandCatalog.signature(name))
        #expect(!s.summary.isEmpty)
        #expect(!s.examples.isEmpty)
        #expect(s.option("output") != nil)
        #expect(ShellHost.handlers[name] != nil)
        for o in s.options { #expect(!o.help.isEmpty, "\(name) --\(o.name)") }
        if s.isDestructive { #expect(s.option("dry-run") != nil && s.option("yes") != nil) }
    }

    @Test func everyHandlerHasASignature() {
        for name in ShellHost.handlers.keys { #expect(CommandCatalog.signature(name) != nil, "\(name)") }
    }

    /// Every route of the reference's index (§2.0) is reachable from a command; `api` only
    /// for routes with no natural command. The paths are those the handlers build.
    @Test func specCommandsExist() {
        for name in ["connect", "disconnect", "whoami", "server", "tasks", "task", "steps", "log", "actions", "stop",
                     "respond", "retry", "resubmit", "archive", "note", "todo", "history", "history delete", "services",
                     "service", "service release", "service maintenance", "service disable", "service reset", "submit",
                     "schedules", "schedule", "schedule cancel", "schedule suspend", "schedule resume", "templates",
                     "template", "template export", "template import", "template delete", "props", "groups", "tags",
                     "wait", "api", "help", "trace", "record", "dry-run", "format"] {
            #expect(CommandCatalog.signature(name) != nil, "\(name)")
        }
    }

    @Test func helpShowsUsageOptionsAndExamples() throws {
        let help = HelpRenderer(builtins: [])
        let text = try #require(help.help("stop"))
        #expect(text.contains("usage: stop ID… [--force]"))
        #expect(text.contains("--force"))
        #expect(text.contains("examples:"))
        #expect(text.contains("stop(5381, force: true)"))
        let service = try #require(help.help("service"))
        #expect(service.contains("usage: service release SERVICE"))
        #expect(help.help("nonsense") == nil)
        #expect(help.suggestions(for: "stpo").contains("stop"))
        #expect(help.overview().contains("Tasks:"))
        #expect(help.help("statuses")?.contains("waitingResponse") == true)
    }
}
