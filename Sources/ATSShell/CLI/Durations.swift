/// Durations as the command line and options write them: `500ms`, `10s`, `5m`, `2h`, `1d`,
/// or a bare number of seconds.
enum DurationParser {
    static func parse(_ text: String) -> Duration? {
        let t = text.trimmingCharacters(in: " ")
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (unit, factor) in units where t.hasSuffix(unit) {
            let number = t.dropLast(unit.count)
            if let n = Double(number), n >= 0 { return .milliseconds(Int64((n * factor * 1000).rounded())) }
        }
        if let n = Double(t), n >= 0 { return .milliseconds(Int64((n * 1000).rounded())) }
        return nil
    }

    /// Seconds as a Double.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
