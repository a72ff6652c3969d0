import ATSJSON
import ATSLanguage

/// The output stages of a pipeline (spec §1.5): `table [--columns a,b]`, `json`, `jsonl`,
/// `csv [--columns a,b]`, `lines`.
///
/// Each renders its input and returns the text as a `.string`, so the text can be stored,
/// written to a file (`write_file("t.csv", (tasks | csv))`) or printed. The returned text
/// carries no colour and is not fitted to the terminal; when such a string is printed as a
/// statement's value, `ShellOutput` recognises it (it remembers the last results of the
/// stages) and prints it verbatim — with colour and fitted to the terminal for `table` and
/// `json` on a colour terminal — whatever the output format.
public enum OutputStages {
    /// The signatures of the output stages (all with `takesInput`).
    public static let signatures: [CommandSignature] = [
        CommandSignature(
            "table", summary: "render the input as a table",
            options: [columnsOption],
            examples: ["tasks | table", "tasks | table --columns instanceID,name,status"],
            takesInput: true),
        CommandSignature(
            "json", summary: "render the input as indented JSON",
            examples: ["task 5381 | json"], takesInput: true),
        CommandSignature(
            "jsonl", summary: "render the input as JSON Lines: one compact JSON text per element",
            examples: ["tasks | jsonl"], takesInput: true),
        CommandSignature(
            "csv", summary: "render the input as CSV with a header row",
            options: [columnsOption],
            examples: ["tasks | csv", "write_file(\"tasks.csv\", (tasks | csv --columns instanceID,name,status))"],
            takesInput: true),
        CommandSignature(
            "lines", summary: "render the input as lines: strings as they are, anything else as compact JSON",
            examples: ["tasks | where .status == \"failed\" | each { .name } | lines"], takesInput: true),
    ]

    private static let columnsOption = OptionSpec(
        "columns", .value(name: "A,B,…"), help: "the members to show, separated by commas")

    /// The names of the stages.
    public static let names: [String] = signatures.map(\.name)

    /// Runs the output stage `call` names: renders its input and returns the text.
    public static func run(_ call: CommandCall, output: ShellOutput) throws(ErrorValue) -> Value {
        let name = call.signature.name
        guard let format = format(ofStage: name) else {
            throw OutputFailure.notAnOutputStage(name).errorValue(command: call.text, location: call.location)
        }
        guard let input = call.input else {
            throw OutputFailure.missingInput(stage: name).errorValue(command: call.text, location: call.location)
        }
        let columns = try self.columns(call)
        let plain = ValueRenderer(color: false, width: nil).render(input, format: format, columns: columns)
        var display: String?
        switch format {
        case .table:
            let shown = output.renderer.render(input, format: .table, columns: columns)
            if shown != plain { display = shown }
        case .json:
            if output.color { display = output.renderer.render(input, format: .json) }
        case .pretty, .jsonl, .csv, .raw:
            break
        }
        output.remember(plain: plain, display: display)
        return .string(plain)
    }

    /// The format a stage renders in.
    static func format(ofStage name: String) -> OutputFormat? {
        switch name {
        case "table": .table
        case "json": .json
        case "jsonl": .jsonl
        case "csv": .csv
        case "lines": .raw
        default: nil
        }
    }

    /// `--columns a,b` (a string of names separated by commas, or a list of names).
    private static func columns(_ call: CommandCall) throws(ErrorValue) -> [String]? {
        guard let given = call.options["columns"] else { return nil }
        let stage = call.signature.name
        var names: [String] = []
        switch given {
        case .string(let text):
            names = text.split(separator: ",").map { String($0).trimmed() }.filter { !$0.isEmpty }
        case .list(let items):
            for item in items {
                guard case .string(let name) = item else {
                    throw badColumns(stage, given, call)
                }
                names += name.split(separator: ",").map { String($0).trimmed() }.filter { !$0.isEmpty }
            }
        case .null, .bool, .int, .double, .object, .time, .duration, .error, .secret, .function:
            throw badColumns(stage, given, call)
        }
        if names.isEmpty { throw badColumns(stage, given, call) }
        return names
    }

    private static func badColumns(_ stage: String, _ given: Value, _ call: CommandCall) -> ErrorValue {
        OutputFailure.badColumns(stage: stage, given: ValueRenderer.rawText(given))
            .errorValue(command: call.text, location: call.location)
    }
}

