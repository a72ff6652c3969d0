import ATSJSON

/// An ISO 8601 date-time as the API writes and reads it (reference §1.7).
///
/// Parses `2014-12-09T18:50:30.500+0900`, `…+09:00`, `…Z`, and the truncated input forms
/// (`yyyy-mm-ddThh:mm`, `yyyy-mm-dd`, `yyyy-mm`, `yyyy`). Always formats the offset with a
/// colon (`+09:00`), because the server rejects input without one.
public struct APIDate: Sendable, Hashable, CustomStringConvertible {
    /// Calendar year (four digits).
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of the month, 1–31.
    public var day: Int
    /// Hour, 0–23.
    public var hour: Int
    /// Minute, 0–59.
    public var minute: Int
    /// Second, 0–59.
    public var second: Int
    /// Fraction of the second, in nanoseconds.
    public var nanosecond: Int
    /// Offset from UTC in seconds; `nil` when the text had no zone (the server's zone).
    public var utcOffsetSeconds: Int?

    /// A date from its fields; omitted fields take their minimum.
    public init(
        year: Int, month: Int = 1, day: Int = 1, hour: Int = 0, minute: Int = 0, second: Int = 0,
        nanosecond: Int = 0, utcOffsetSeconds: Int?
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The instant as seconds since 1970-01-01T00:00:00Z at the given offset.
    public init(secondsSince1970 t: Double, utcOffsetSeconds offset: Int) {
        let local = t + Double(offset)
        var whole = local.rounded(.down)
        var nanos = Int(((local - whole) * 1_000_000_000).rounded())
        if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000
            whole += 1
        }
        let secs = Int(whole)
        let days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400)
        let rem = secs - days * 86400
        let (y, m, d) = ISODate.civil(fromDays: days)
        self.init(
            year: y, month: m, day: d, hour: rem / 3600, minute: rem % 3600 / 60, second: rem % 60,
            nanosecond: nanos, utcOffsetSeconds: offset)
    }

    /// Parses the text; `nil` when it is not an ISO 8601 date in one of the accepted shapes.
    public init?(parsing text: String) {
        // The tolerant reading of what servers send: a zone only after a time, `+09` allowed,
        // the day within its month, a leap second read as :59.
        guard let scan = ISODateScan(text.trimmed()), scan.zone == nil || scan.precision >= .hour,
            scan.fieldsInRange(daysOfTheMonth: true), scan.zoneInRange
        else { return nil }
        self.init(
            year: scan.year, month: scan.month, day: scan.day, hour: scan.hour, minute: scan.minute,
            second: min(scan.second, 59), nanosecond: scan.nanosecond, utcOffsetSeconds: scan.utcOffsetSeconds)
    }

    /// Seconds since 1970-01-01T00:00:00Z; a date without a zone is taken as UTC.
    public var secondsSince1970: Double {
        let days = ISODate.days(fromCivil: year, month, day)
        let local = days * 86400 + hour * 3600 + minute * 60 + second
        return Double(local - (utcOffsetSeconds ?? 0)) + Double(nanosecond) / 1_000_000_000
    }

    /// `yyyy-mm-ddThh:mm:ss.mmm+hh:mm` — the form to send (milliseconds, offset with a colon).
    /// Without a zone the offset is left out (the server then uses its own zone).
    public var formatted: String {
        let ms = Int64(ISODate.days(fromCivil: year, month, day)) * 86_400_000
            + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + nanosecond / 1_000_000)
        let text = ISODate.format(millisecondsSinceEpoch: ms, offsetSeconds: 0, colonInOffset: true)
        guard let off = utcOffsetSeconds else { return String(text.dropLast(6)) }
        return String(text.dropLast(6)) + String(ISODate.format(millisecondsSinceEpoch: 0, offsetSeconds: off, colonInOffset: true).suffix(6))
    }

    /// The `formatted` text.
    public var description: String { formatted }

    /// Rewrites a date copied from a response (`…+0900`) into the form the server accepts
    /// (`…+09:00`); text that is not a date is returned unchanged.
    public static func normalisedForSending(_ text: String) -> String {
        guard let d = APIDate(parsing: text) else { return text }
        // Keep truncated inputs truncated: only rewrite when a zone is present.
        guard d.utcOffsetSeconds != nil else { return text }
        return d.formatted
    }
}
