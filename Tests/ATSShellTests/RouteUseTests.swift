import AOClient
import Foundation
import TestSupport
import Testing
@testable import ATSShell

/// The shell reaches the API only through the client core's typed operations.
@Suite struct RouteUseTests {
    /// Every route of the table is called by some command (and `help` names it).
    @Test func everyRouteIsReachableFromACommand() {
        let used = Set(CommandRoutes.table.values.flatMap { $0 }.map(\.description))
        let missing = Route.all.map(\.description).filter { !used.contains($0) }
        #expect(missing.isEmpty, "no command calls \(missing)")
    }

    @Test(arguments: CommandRoutes.table.keys.sorted())
    func routesBelongToARealCommand(_ name: String) {
        #expect(CommandCatalog.signature(name) != nil || name == "connect", "\(name) is not a command")
    }

    @Test func helpNamesTheRoutesACommandCalls() throws {
        let help = HelpRenderer(builtins: []).help("stop") ?? ""
        #expect(help.contains("POST /objects/Tasks/{id}/actions/forceStop/invoke (2.7.9)"))
    }

    /// The words no file of `Sources/ATSShell` may spell: the path segments of the routes
    /// (`/objects/Tasks`, `/user`, …) and the HQL parameter names. They live in AOClient.
    static let forbidden: [String] = {
        var words = Set<String>()
        for r in Route.all {
            let segments = r.template.split(separator: "/").filter { $0 != "{id}" }
            for k in 1...segments.count { words.insert("/" + segments.prefix(k).joined(separator: "/")) }
        }
        words.insert("HQL::")
        return words.sorted()
    }()

    @Test func noRoutePathOrHQLParameterIsSpelledInTheShell() throws {
        let root = repositoryRoot.appendingPathComponent("Sources/ATSShell")
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 10)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for word in Self.forbidden where Self.spells(line, word) { found.append("\(file):\(n + 1): \(word)") }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// True when `line` holds `word` as a path: not followed by a letter (so `/objects`
    /// does not match inside `/objectsX`), inside a string or a comment alike.
    static func spells(_ line: Substring, _ word: String) -> Bool {
        var rest = line[...]
        while let r = rest.range(of: word) {
            let next = rest[r.upperBound...].first
            if word.hasSuffix("::") || next.map({ !$0.isLetter }) ?? true { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }
}
