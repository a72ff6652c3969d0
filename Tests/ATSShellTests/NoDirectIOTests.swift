import Foundation
import Testing
import TestSupport

/// The core does no I/O (STYLE.md habit 7): the glue and the language reach the terminal,
/// the standard streams, signals, the clock, the environment and other programs only through
/// the `World` that `main` wires.
@Suite struct NoDirectIOTests {
    /// What `Sources/ATSShell`, `Sources/ATSLanguage` and `Sources/ATSREPL` may not call, with why.
    static let forbidden: [(pattern: String, what: String)] = [
        (#"\bisatty\("#, "isatty: World.terminals says which streams are terminals"),
        (#"FileHandle\.standard"#, "FileHandle.standard…: the streams are World.stdin, stdout, stderr"),
        (#"(?<![\w.])print\("#, "print(: write to the session's output or World.stdout"),
        (#"(?<![\w.])signal\("#, "signal(: Ctrl-C comes from World.signals"),
        (#"Thread\.sleep"#, "Thread.sleep: sleep through World.clock"),
        (#"(?<![\w.])Date\(\)"#, "Date(): the time is World.clock's"),
        (#"\bProcessInfo\b|\bgetenv\("#, "ProcessInfo, getenv(: the environment is World.environment"),
        (#"(?<![\w.])Process\(\)"#, "Process(): World.commands runs the user's commands"),
    ]

    static func sourceFiles(_ module: String) -> [URL] {
        let folder = repositoryRoot.appendingPathComponent("Sources/\(module)")
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "swift" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The code of a line: without its `//` comment, and declarations (`func print(`) blanked.
    static func code(_ line: Substring) -> String {
        var text = String(line)
        if let comment = text.range(of: "//") { text = String(text[..<comment.lowerBound]) }
        return text.replacingOccurrences(of: #"func \w+\("#, with: "func _(", options: .regularExpression)
    }

    /// ATSREPL too: it owns libedit, the terminal's Ctrl-C and the history file (appended
    /// under a lock), but its streams, `:save`, `:edit`, Tab's file names, `$HOME` and the
    /// time come from the world like everyone else's.
    @Test(arguments: ["ATSShell", "ATSLanguage", "ATSREPL"])
    func noDirectIO(_ module: String) throws {
        let files = Self.sourceFiles(module)
        #expect(files.count >= 5, "Sources/\(module) has Swift files")
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = Self.code(line)
                for rule in Self.forbidden where code.range(of: rule.pattern, options: .regularExpression) != nil {
                    found.append("\(module)/\(file.lastPathComponent):\(number + 1): \(rule.what)")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// The scan finds what it looks for (a rule that matched nothing would pass forever).
    @Test func theRulesMatchTheCallsTheyForbid() {
        let samples = ["isatty(1)", "FileHandle.standardError.write(d)", "print(\"x\")", "signal(SIGINT, SIG_IGN)",
                       "Thread.sleep(forTimeInterval: 1)", "let now = Date()", "ProcessInfo.processInfo.environment",
                       "let p = Process()"]
        for (sample, rule) in zip(samples, Self.forbidden) {
            #expect(Self.code(Substring(sample)).range(of: rule.pattern, options: .regularExpression) != nil, "\(sample)")
        }
        let allowed = ["done.signal()", "mutating func print(_ program: Program) -> String", "printer.print(x)", "// print(x)"]
        for sample in allowed {
            #expect(Self.forbidden.allSatisfy { Self.code(Substring(sample)).range(of: $0.pattern, options: .regularExpression) == nil }, "\(sample)")
        }
    }

    /// The glue links no HTTP client, server or simulator: those are wired in by `main`.
    @Test func theGlueDependsOnlyOnTheCoreModules() throws {
        let manifest = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let start = try #require(manifest.range(of: #"name: "ATSShell","#))
        let rest = manifest[start.upperBound...]
        let end = try #require(rest.range(of: "swiftSettings"))
        let dependencies = rest[..<end.lowerBound]
        for module in ["AOHTTPClient", "AOSimulator", "AOHTTPServer", "AsyncHTTPClient", "Hummingbird", "CLibEdit"] {
            #expect(!dependencies.contains("\"\(module)\""), "ATSShell depends on \(module)")
        }
        #expect(dependencies.contains("\"ATSLanguage\"") && dependencies.contains("\"AOClient\""))
    }
}
