import ATSJSON
import ATSLanguage

/// Renders values as text, in each `OutputFormat`. Pure: no I/O, no state.
///
/// Every non-empty result ends with a newline; a `null` value renders as nothing.
public struct ValueRenderer: Sendable {
    /// Colour escapes allowed.
    public var color: Bool
    /// Columns a table may take; `nil` means tables are not fitted (off a terminal).
    public var width: Int?
    /// What each job did (`forceStop`), by `instanceID`: the first word of its line.
    public var jobLabels: [String: String] = [:]

    /// A renderer with colour on or off, fitting tables to `width` when given.
    public init(color: Bool, width: Int?) {
        self.color = color
        self.width = width
    }

    /// The text of `value` in `format`. `columns` chooses the columns of a table or CSV.
    public func render(_ value: Value, format: OutputFormat, columns: [String]? = nil) -> String {
        if case .null = value { return "" }
        switch format {
        case .pretty: return pretty(value, columns: columns)
        case .table: return table(value, columns: columns)
        case .json: return prettyJSON(value)
        case .jsonl: return jsonl(value)
        case .csv: return CSVRenderer.render(value, columns: columns)
        case .raw: return raw(value)
        }
    }

    // MARK: - pretty (the terminal rules)

    private func pretty(_ value: Value, columns: [String]?) -> String {
        switch value {
        case .list(let items):
            if columns == nil, let objects = Self.objects(items), !objects.isEmpty,
                objects.allSatisfy({ ResourceKind.recognise($0.keys) == .job })
            {
                return jobLines(objects)
            }
            return list(items, columns: columns)
        case .object(let o):
            if columns == nil, ResourceKind.recognise(o.keys) == .job { return jobLines([o]) }
            return prettyJSON(value)
        case .error:
            return prettyJSON(value)
        case .null, .bool, .int, .double, .string, .time, .duration, .secret, .function:
            return Self.line(Self.plainText(value))
        }
    }

    /// Jobs, one readable line each: what was done, to which object, the job's state
    /// (`forceStop  task 5381  success`), in aligned columns.
    private func jobLines(_ jobs: [ValueObject]) -> String {
        let rows: [[String]] = jobs.map { job in
            let id = (job["instanceID"] ?? job["instanceId"]).map(Self.plainText)
            let what = id.flatMap { jobLabels[$0] } ?? "job"
            let targets = Self.affected(job).map(Self.objectName).joined(separator: ", ")
            return [what, targets.isEmpty ? "-" : targets, Self.oneLine(Self.plainText(job["state"] ?? .null))]
        }
        let widths = (0..<2).map { c in rows.reduce(0) { max($0, DisplayWidth.of($1[c])) } }
        return rows.map { row in
            let padded = (0..<2).map { c in row[c] + String(repeating: " ", count: widths[c] - DisplayWidth.of(row[c])) }
            return Self.line(padded.joined(separator: "  ") + "  " + row[2])
        }.joined()
    }

    /// The URLs of a job's `affectedResource` (or `affectedResources`), string or list.
    static func affected(_ job: ValueObject) -> [String] {
        switch job["affectedResource"] ?? job["affectedResources"] {
        case .string(let s)?: return [s]
        case .list(let items)?: return items.map(plainText)
        default: return []
        }
    }

    /// The URL of a task 5381 → `task 5381` (the collection and the trailing id).
    static func objectName(_ url: String) -> String {
        let parts = url.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return url }
        let noun: String
        switch parts[parts.count - 2] {
        case "Tasks": noun = "task"
        case "Services": noun = "service"
        case "Schedules": noun = "schedule"
        case "ServiceTemplates": noun = "template"
        case "TaskHistories": noun = "history"
        case "PropertyValues": noun = "property value"
        default: noun = parts[parts.count - 2]
        }
        return "\(noun) \(parts[parts.count - 1])"
    }

    // MARK: - table

    private func table(_ value: Value, columns: [String]?) -> String {
        switch value {
        case .list(let items):
            return list(items, columns: columns)
        case .object(let object):
            if let columns { return tableOfObjects([object], columns: columns) }
            return keyValueTable(object)
        case .error(let error):
            return keyValueTable(error.allFields)
        case .null, .bool, .int, .double, .string, .time, .duration, .secret, .function:
            return Self.line(Self.plainText(value))
        }
    }

    /// A list in `pretty` and `table`: objects as a table, scalars one per line, anything
    /// else as indented JSON.
    private func list(_ items: [Value], columns: [String]?) -> String {
        if let objects = Self.objects(items) { return tableOfObjects(objects, columns: columns) }
        if items.allSatisfy(Self.isScalar) { return items.map { Self.line($0.text) }.joined() }
        return prettyJSON(.list(items))
    }

    /// A table of objects: the given columns, or those of their kind, or their keys.
    private func tableOfObjects(_ objects: [ValueObject], columns: [String]?) -> String {
        if objects.isEmpty && columns == nil { return color ? "\u{1B}[2m(empty list)\u{1B}[0m\n" : "(empty list)\n" }
        let chosen = columns ?? ColumnChoice.columns(for: objects).columns
        if chosen.isEmpty {
            // Objects without members: nothing to make columns of.
            return prettyJSON(.list(objects.map(Value.object)))
        }
        var statuses = StatusColours()
        let rows = objects.map { object in
            chosen.map { column in Self.cell(object[column] ?? .null, statusColumn: column == "status", &statuses) }
        }
        return TableRenderer(headers: chosen, rows: rows).render(width: width, color: color)
    }

    /// One object as a two-column table of its members (`key`, `value`).
    private func keyValueTable(_ object: ValueObject) -> String {
        if object.isEmpty { return prettyJSON(.object(object)) }
        var statuses = StatusColours()
        let rows = object.map { member in
            [TableCell(text: member.key), Self.cell(member.value, statusColumn: member.key == "status", &statuses)]
        }
        return TableRenderer(headers: ["key", "value"], rows: rows).render(width: width, color: color)
    }

    /// A table cell for `value`: text on one line, numbers marked, and in a `status` column a
    /// known task status coloured by its category (whatever the kind of object: `select`
    /// keeps the colour; a status the shell does not know stays plain).
    static func cell(_ value: Value, statusColumn: Bool, _ statuses: inout StatusColours) -> TableCell {
        switch value {
        case .int, .double:
            return TableCell(text: plainText(value), isNumber: true)
        case .string(let s):
            return TableCell(text: oneLine(s), sgr: statusColumn ? statuses.sgr(for: s) : nil)
        case .null, .bool, .list, .object, .time, .duration, .error, .secret, .function:
            return TableCell(text: oneLine(plainText(value)))
        }
    }

    // MARK: - jsonl and raw

    private func jsonl(_ value: Value) -> String {
        let writer = jsonWriter(pretty: false)
        if case .list(let items) = value {
            return items.map { writer.string($0.toJSON()) + "\n" }.joined()
        }
        return writer.string(value.toJSON()) + "\n"
    }

    private func raw(_ value: Value) -> String {
        if case .list(let items) = value {
            return items.map { Self.line(Self.rawText($0)) }.joined()
        }
        return Self.line(Self.rawText(value))
    }

    // MARK: - pieces

    private func prettyJSON(_ value: Value) -> String {
        jsonWriter(pretty: true).string(value.toJSON()) + "\n"
    }

    private func jsonWriter(pretty: Bool) -> JSONWriter {
        JSONWriter(indent: pretty ? 2 : 0, colors: color ? JSONColors.jq : nil)
    }

    /// The elements as objects, when every element is one.
    static func objects(_ items: [Value]) -> [ValueObject]? {
        var objects: [ValueObject] = []
        objects.reserveCapacity(items.count)
        for item in items {
            guard let object = object(item) else { return nil }
            objects.append(object)
        }
        return objects
    }

    /// An object, or an error as the object of its fields; nil for anything else.
    static func object(_ value: Value) -> ValueObject? {
        switch value {
        case .object(let object): return object
        case .error(let error): return error.allFields
        case .null, .bool, .int, .double, .string, .list, .time, .duration, .secret, .function: return nil
        }
    }

    static func isScalar(_ value: Value) -> Bool {
        switch value {
        case .list, .object, .error: return false
        case .null, .bool, .int, .double, .string, .time, .duration, .secret, .function: return true
        }
    }

    /// A value as a person reads it: `Value.text`, but `null` as nothing.
    static func plainText(_ value: Value) -> String {
        if case .null = value { return "" }
        return value.text
    }

    /// `raw`: strings unquoted, everything else (including `null`) as compact JSON.
    static func rawText(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        return JSONWriter.compact.string(value.toJSON())
    }

    /// `text` with a newline unless it already ends with one.
    static func line(_ text: String) -> String {
        text.hasSuffix("\n") ? text : text + "\n"
    }

    /// `text` on one line: line breaks, tabs and other control characters become spaces.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) else {
            return text
        }
        return String(text.map { character in
            character.unicodeScalars.allSatisfy { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) } ? " " : character
        })
    }
}
