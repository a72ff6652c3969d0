import ATSLanguage

/// How statement values are printed (`--output FORMAT`, `format FORMAT`).
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// The terminal rules: tables for lists of objects, coloured JSON for an object,
    /// scalars plainly. The default on a terminal.
    case pretty
    /// A table for every list or object, even off a terminal.
    case table
    /// Indented JSON. The default off a terminal.
    case json
    /// One compact JSON text per list element (or the single value) per line.
    case jsonl
    /// Comma-separated values (RFC 4180 quoting), with a header row.
    case csv
    /// Strings unquoted, one per line; anything else as compact JSON.
    case raw

    /// The format named `text` (case-insensitive), or `nil`.
    public init?(name text: String) {
        self.init(rawValue: text.lowercased())
    }

    /// The format named `text`, or an error that lists the formats and suggests a near miss.
    public static func parse(_ text: String) throws(ErrorValue) -> OutputFormat {
        if let format = OutputFormat(name: text) { return format }
        throw OutputFailure.unknownFormat(text).errorValue(command: nil)
    }

    /// The override named `text` for `--output`/`format`: a format, or `nil` for `auto` (the
    /// default rules: `pretty` on a terminal, `json` off one).
    public static func parseOverride(_ text: String) throws(ErrorValue) -> OutputFormat? {
        if text.lowercased() == autoName { return nil }
        return try parse(text)
    }

    /// The word that clears the override (`format auto`).
    public static let autoName = "auto"

    /// The names, in the order `help` shows them.
    public static var names: [String] { allCases.map(\.rawValue) }
}
