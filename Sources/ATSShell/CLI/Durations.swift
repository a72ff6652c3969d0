import ATSJSON

/// Durations as the command line and options write them (see `DurationSyntax.parse`).
public enum DurationParser {
    /// The duration `text` writes, or nil.
    public static func parse(_ text: String) -> Duration? {
        DurationSyntax.parse(text).map { .milliseconds($0) }
    }

    /// Seconds as a Double.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
