import ATSJSON

/// `ats diff CASE_A CASE_B [--all] [--ignore FIELD…] [--json] [--no-color]`: lines up two
/// case files and reports differences. Exit status: 0 equivalent, 1 different, 2 an
/// unreadable file. Its command line is read by ATSShell's `ats` definition (`DiffCommand`),
/// which hands over `Arguments`.
public enum CaseDiffCLI {
    /// Runs `ats diff` on the real standard output and error; returns the exit code.
    public static func main(_ arguments: Arguments) -> Int32 {
        let colors = ColorRule.allows(
            isTerminal: SystemEnvironment.isTerminal(1),
            environment: ["NO_COLOR": SystemEnvironment.variable("NO_COLOR") ?? "", "TERM": SystemEnvironment.variable("TERM") ?? ""],
            noColorOption: false)
        return run(
            arguments, colors: colors, output: { _ = SystemEnvironment.writeAll(1, Array($0.utf8)) },
            errors: { _ = SystemEnvironment.writeAll(2, Array($0.utf8)) })
    }

    /// The command without its I/O: `output` gets the report, `errors` warnings and
    /// unreadable files; `colors` allows ANSI colours (`--no-color` turns them off).
    public static func run(
        _ parsed: Arguments, colors: Bool, output: (String) -> Void, errors: (String) -> Void
    ) -> Int32 {
        var files: [CaseFile] = []
        for path in [parsed.first, parsed.second] {
            do throws(CaseFileError) {
                let file = try CaseFileReader.read(path: path)
                for problem in file.problems { errors("ats diff: \(path): skipped \(problem)\n") }
                files.append(file)
            } catch {
                errors("ats diff: \(error)\n")
                return 2
            }
        }
        let report = CaseDiff.compare(files[0], files[1], options: parsed.options)
        let renderer = CaseDiffRenderer(nameA: parsed.first, nameB: parsed.second, options: parsed.options, colors: colors && !parsed.noColor)
        output(parsed.json ? renderer.json(report) : renderer.text(report))
        return report.isEquivalent ? 0 : 1
    }

    /// What the command line of `ats diff` asks for.
    public struct Arguments: Sendable, Equatable {
        /// The two case files.
        public var first: String
        public var second: String
        public var options = CaseDiffOptions()
        /// `--json`: the machine-readable report.
        public var json = false
        /// `--no-color`.
        public var noColor = false

        public init(first: String, second: String, options: CaseDiffOptions = CaseDiffOptions(), json: Bool = false, noColor: Bool = false) {
            self.first = first
            self.second = second
            self.options = options
            self.json = json
            self.noColor = noColor
        }

        /// Adds the member or header names of one `--ignore` value (`a,b,.c`).
        public mutating func ignore(_ value: String) {
            for name in value.split(separator: ",") where !name.isEmpty {
                options.ignoredFields.insert(name.hasPrefix(".") ? String(name.dropFirst()) : String(name))
            }
        }
    }
}

/// Turns a `CaseDiffReport` into text for people or JSON for programs.
struct CaseDiffRenderer {
    let nameA: String
    let nameB: String
    let options: CaseDiffOptions
    let colors: Bool

    private func paint(_ code: String, _ text: String) -> String { colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    /// A value shortened for one line; `(absent)` for a missing one.
    private func show(_ value: JSON?) -> String {
        guard let value else { return "(absent)" }
        let text = JSONWriter.compact.string(value)
        guard text.count > 80 else { return text }
        return String(text.prefix(77)) + "…"
    }

    private func place(_ side: CaseDiffReport.Side) -> String {
        side.line > 0 ? "line \(side.line)" : "#\(side.index)"
    }

    func text(_ report: CaseDiffReport) -> String {
        var out = paint("1", "--- \(nameA)") + "\n" + paint("1", "+++ \(nameB)") + "\n"
        for note in report.notes {
            out += "  \(note.path): \(paint("31", show(note.a))) → \(paint("32", show(note.b)))\n"
        }
        for pair in report.differing {
            out += "\n" + paint("1", "#\(pair.a.index) \(pair.method) \(pair.path)")
            out += "  (\(nameA) \(place(pair.a)), \(nameB) \(place(pair.b)))\n"
            if let statement = pair.a.statement {
                out += "  " + paint("2", statement + (pair.a.location.map { "  at \($0)" } ?? "")) + "\n"
            }
            for change in pair.changes {
                out += "  \(change.path): \(paint("31", show(change.a))) → \(paint("32", show(change.b)))\n"
            }
        }
        for (list, name) in [(report.onlyInA, nameA), (report.onlyInB, nameB)] where !list.isEmpty {
            out += "\n"
            for x in list {
                out += paint(name == nameA ? "31" : "32", "only in \(name): #\(x.side.index) \(x.method) \(x.path)")
                out += "  (\(place(x.side))" + (x.side.statement.map { ": \($0)" } ?? "") + ")\n"
            }
        }
        out += "\n"
        let total = report.pairs.count + report.onlyInA.count + report.onlyInB.count
        if report.isEquivalent {
            out += "equivalent: \(ListPhrase.count(report.pairs.count, "exchange")) match"
            out += options.all ? "\n" : " (ids, dates, UUIDs and tokens ignored; --all compares them)\n"
        } else {
            out += "different: \(report.differing.count) of \(report.pairs.count) paired exchanges differ"
            out += ", \(report.onlyInA.count) only in \(nameA), \(report.onlyInB.count) only in \(nameB)"
            out += " (\(total) in all)\n"
        }
        return out
    }

    func json(_ report: CaseDiffReport) -> String {
        func side(_ s: CaseDiffReport.Side) -> JSON {
            var o: JSONObject = ["index": .int(s.index), "line": .int(s.line), "seq": .int(s.seq)]
            o["status"] = s.status.map(JSON.int) ?? .null
            if let statement = s.statement { o["statement"] = .string(statement) }
            if let location = s.location { o["location"] = .string(location) }
            return .object(o)
        }
        func change(_ c: CaseDiffReport.Change) -> JSON {
            var o: JSONObject = ["path": .string(c.path)]
            if let a = c.a { o["a"] = a }
            if let b = c.b { o["b"] = b }
            return .object(o)
        }
        func unpaired(_ x: CaseDiffReport.Unpaired) -> JSON {
            ["method": .string(x.method), "path": .string(x.path), "exchange": side(x.side)]
        }
        let differences: [JSON] = report.differing.map { p in
            [
                "method": .string(p.method), "path": .string(p.path), "a": side(p.a), "b": side(p.b),
                "changes": .array(p.changes.map(change)),
            ]
        }
        let root: JSON = [
            "equivalent": .bool(report.isEquivalent),
            "a": .string(nameA),
            "b": .string(nameB),
            "paired": .int(report.pairs.count),
            "differences": .array(differences),
            "onlyInA": .array(report.onlyInA.map(unpaired)),
            "onlyInB": .array(report.onlyInB.map(unpaired)),
            "notes": .array(report.notes.map(change)),
            "ignoring": .array((options.all ? [] : ["ids", "dates", "uuids", "tokens", "volatile headers"]).map(JSON.string)),
            "ignoredFields": .array(options.ignoredFields.sorted().map(JSON.string)),
        ]
        return JSONWriter.pretty.string(root) + "\n"
    }
}
