import ATSJSON

/// `ats diff CASE_A CASE_B [--all] [--ignore FIELD…] [--json] [--no-color]`: lines up two
/// case files and reports differences. Exit status: 0 equivalent, 1 different, 2 bad usage
/// or an unreadable file.
public enum CaseDiffCLI {
    /// Runs `ats diff` with the arguments after `diff`; returns the exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        let colors = ColorRule.allows(
            isTerminal: SystemEnvironment.isTerminal(1),
            environment: ["NO_COLOR": SystemEnvironment.variable("NO_COLOR") ?? "", "TERM": SystemEnvironment.variable("TERM") ?? ""],
            noColorOption: false)
        return run(
            arguments, colors: colors, output: { _ = SystemEnvironment.writeAll(1, Array($0.utf8)) },
            errors: { _ = SystemEnvironment.writeAll(2, Array($0.utf8)) })
    }

    /// The command without its I/O: `output` gets the report, `errors` warnings and usage
    /// errors; `colors` allows ANSI colours (`--no-color` turns them off).
    public static func run(
        _ arguments: [String], colors: Bool, output: (String) -> Void, errors: (String) -> Void
    ) -> Int32 {
        let parsed: Arguments
        do throws(CaseDiffUsageError) {
            parsed = try Arguments(arguments)
        } catch {
            errors("ats diff: \(error)\n(see ats diff --help)\n")
            return 2
        }
        if parsed.help {
            output(SupportMessages.diffUsage + "\n")
            return 0
        }
        var files: [CaseFile] = []
        for path in parsed.files {
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
        let renderer = CaseDiffRenderer(nameA: parsed.files[0], nameB: parsed.files[1], options: parsed.options, colors: colors && !parsed.noColor)
        output(parsed.json ? renderer.json(report) : renderer.text(report))
        return report.isEquivalent ? 0 : 1
    }

    /// The parsed command line.
    struct Arguments {
        var files: [String] = []
        var options = CaseDiffOptions()
        var json = false
        var noColor = false
        var help = false

        static let known = ["--all", "--ignore", "--json", "--no-color", "--help"]

        init(_ arguments: [String]) throws(CaseDiffUsageError) {
            var rest = arguments[...]
            var optionsEnded = false
            while let arg = rest.popFirst() {
                if optionsEnded || !arg.hasPrefix("-") || arg == "-" {
                    files.append(arg)
                    continue
                }
                switch arg {
                case "--": optionsEnded = true
                case "--all", "-a": options.all = true
                case "--json": json = true
                case "--no-color", "--no-colour": noColor = true
                case "--help", "-h": help = true
                case "--ignore", "-i":
                    guard let value = rest.popFirst() else { throw .missingValue(option: arg) }
                    addIgnored(value)
                default:
                    if arg.hasPrefix("--ignore=") {
                        addIgnored(String(arg.dropFirst("--ignore=".count)))
                    } else {
                        throw .unknownOption(arg, suggestion: Self.nearest(arg))
                    }
                }
            }
            if help { return }
            if files.count < 2 { throw .missingFiles(found: files.count) }
            if files.count > 2 { throw .tooManyFiles(Array(files.dropFirst(2))) }
        }

        private mutating func addIgnored(_ value: String) {
            for name in value.split(separator: ",") where !name.isEmpty {
                options.ignoredFields.insert(name.hasPrefix(".") ? String(name.dropFirst()) : String(name))
            }
        }

        /// The known option closest to `arg` (edit distance at most 2), if any.
        static func nearest(_ arg: String) -> String? {
            let name = arg.split(separator: "=").first.map(String.init) ?? arg
            return NearMiss.nearest(name, among: known, maximum: 2)
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
            out += "equivalent: \(report.pairs.count) exchange\(report.pairs.count == 1 ? "" : "s") match"
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
