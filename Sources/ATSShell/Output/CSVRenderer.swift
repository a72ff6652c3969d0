import ATSLanguage

/// Comma-separated values with RFC 4180 quoting: a field that holds a comma, a double quote,
/// a carriage return or a line feed is enclosed in double quotes, and its double quotes are
/// doubled. Records end with a line feed (`\n`), as Unix tools expect.
enum CSVRenderer {
    /// - A list of objects (or one object): a header row (`columns`, else every key of the
    ///   objects in first-seen order), then one record per object; missing members are empty.
    ///   Elements that are not objects fill the first field of their record.
    /// - A list of anything else: one single-field record per element, no header.
    /// - A scalar: one single-field record. `null`: nothing.
    ///
    /// Field text: `null` empty, strings as they are, numbers and booleans as JSON, times in
    /// ISO 8601, secrets masked, lists and objects as compact JSON.
    static func render(_ value: Value, columns: [String]?) -> String {
        switch value {
        case .null:
            return ""
        case .object(let object):
            return table([object], elements: [value], columns: columns)
        case .error(let error):
            return table([error.allFields], elements: [value], columns: columns)
        case .list(let items):
            let objects = items.compactMap(ValueRenderer.object)
            if objects.isEmpty && columns == nil {
                return items.map { record([field($0)]) }.joined()
            }
            return table(objects, elements: items, columns: columns)
        case .bool, .int, .double, .string, .time, .duration, .secret, .function:
            return record([field(value)])
        }
    }

    private static func table(_ objects: [ValueObject], elements: [Value], columns: [String]?) -> String {
        let header = columns ?? ColumnChoice.unionOfKeys(objects)
        guard !header.isEmpty else { return "" }
        var out = record(header.map(quote))
        for element in elements {
            if let object = ValueRenderer.object(element) {
                out += record(header.map { field(object[$0] ?? .null) })
            } else {
                out += record([field(element)] + Array(repeating: "", count: header.count - 1))
            }
        }
        return out
    }

    /// The quoted text of one field.
    static func field(_ value: Value) -> String { quote(ValueRenderer.plainText(value)) }

    /// `text` as a CSV field: quoted only when it must be.
    static func quote(_ text: String) -> String {
        let special = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard special else { return text }
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in text.unicodeScalars {
            if scalar == "\"" { out.append("\"") }
            out.append(scalar)
        }
        out.append("\"")
        return String(out)
    }

    private static func record(_ fields: [String]) -> String {
        fields.joined(separator: ",") + "\n"
    }
}
