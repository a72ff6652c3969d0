// ISO 8601 dates in one place (docs/internals.md, "Where small helpers live"): the one
// scanner that the language's `date()`, the client's reading of server dates and the
// simulator's reading of input dates share, and the one formatter of the API's form
// (`2015-08-07T19:00:40.025+0900`, or `+09:00` on input). Each caller keeps only its policy
// (which shapes it accepts) on top of the scan.

/// What an ISO 8601 date-time text says, field by field, as written (not yet range-checked).
///
/// The shapes scanned: `yyyy`, `yyyy-mm`, `yyyy-mm-dd`, then a time after `T`, `t` or a
/// space: `hh`, `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fff` (or `,fff`, any number of digits), then an
/// optional zone: `Z`/`z`, `+hh`, `+hhmm` or `+hh:mm` (or `-`).
public struct ISODateScan: Sendable, Hashable {
    /// The last field written.
    public enum Precision: Int, Sendable, Comparable {
        case year, month, day, hour, minute, second, fraction
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
    }

    /// The zone as written.
    public enum Zone: Sendable, Hashable {
        /// `Z` or `z`.
        case utc
        /// `+hh`, `+hhmm` or `+hh:mm` (`minutesWritten` false for `+hh`).
        case offset(negative: Bool, hours: Int, minutes: Int, colon: Bool, minutesWritten: Bool)
    }

    public var year: Int
    public var month = 1
    public var day = 1
    public var hour = 0
    public var minute = 0
    /// As written: may be 60 (a leap second); callers decide.
    public var second = 0
    /// The first nine digits of the fraction, in nanoseconds.
    public var nanosecond = 0
    public var precision = Precision.year
    /// The byte between the date and the time (`T`, `t` or a space); nil without a time.
    public var timeSeparator: UInt8?
    /// The byte before the fraction (`.` or `,`); nil without one.
    public var decimalSeparator: UInt8?
    public var zone: Zone?

    /// The scan of all of `text`; nil when it is not one of the shapes above (a field with
    /// the wrong number of digits, a separator with nothing after it, or anything left over).
    public init?(_ text: some StringProtocol) {
        let u = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard u[k] >= 0x30, u[k] <= 0x39 else { return nil }
                v = v * 10 + Int(u[k] - 0x30)
            }
            i += n
            return v
        }
        func eat(_ options: UInt8...) -> UInt8? {
            guard i < u.count, options.contains(u[i]) else { return nil }
            i += 1
            return u[i - 1]
        }
        guard let y = digits(4) else { return nil }
        year = y
        scan: do {
            guard eat(0x2D) != nil else { break scan }
            guard let m = digits(2) else { return nil }
            (month, precision) = (m, .month)
            guard eat(0x2D) != nil else { break scan }
            guard let d = digits(2) else { return nil }
            (day, precision) = (d, .day)
            guard let t = eat(0x54, 0x74, 0x20) else { break scan }
            guard let h = digits(2) else { return nil }
            (hour, precision, timeSeparator) = (h, .hour, t)
            guard eat(0x3A) != nil else { break scan }
            guard let mi = digits(2) else { return nil }
            (minute, precision) = (mi, .minute)
            guard eat(0x3A) != nil else { break scan }
            guard let s = digits(2) else { return nil }
            (second, precision) = (s, .second)
            guard let dot = eat(0x2E, 0x2C) else { break scan }
            var count = 0
            var nanos = 0
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                if count < 9 { nanos = nanos * 10 + Int(u[i] - 0x30) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in min(count, 9)..<9 { nanos *= 10 }
            (nanosecond, precision, decimalSeparator) = (nanos, .fraction, dot)
        }
        if eat(0x5A, 0x7A) != nil {
            zone = .utc
        } else if let sign = eat(0x2B, 0x2D) {
            guard let oh = digits(2) else { return nil }
            if eat(0x3A) != nil {
                guard let om = digits(2) else { return nil }
                zone = .offset(negative: sign == 0x2D, hours: oh, minutes: om, colon: true, minutesWritten: true)
            } else if let om = digits(2) {
                zone = .offset(negative: sign == 0x2D, hours: oh, minutes: om, colon: false, minutesWritten: true)
            } else {
                zone = .offset(negative: sign == 0x2D, hours: oh, minutes: 0, colon: false, minutesWritten: false)
            }
        }
        guard i == u.count else { return nil }
    }

    /// The zone's offset from UTC in seconds; nil without a zone.
    public var utcOffsetSeconds: Int? {
        switch zone {
        case nil: return nil
        case .utc: return 0
        case .offset(let negative, let h, let m, _, _): return (negative ? -1 : 1) * (h * 3600 + m * 60)
        }
    }

    /// Whether the zone's hours are 0–23 and its minutes 0–59 (true without a zone).
    public var zoneInRange: Bool {
        if case .offset(_, let h, let m, _, _) = zone { return h <= 23 && m <= 59 }
        return true
    }

    /// Whether month, day, hour, minute and second are in range: the day 1–31, or within the
    /// month's length when `daysOfTheMonth`; the second 0–60 (a leap second is allowed).
    public func fieldsInRange(daysOfTheMonth: Bool) -> Bool {
        let lastDay = daysOfTheMonth ? ISODate.daysIn(month: month, year: year) : 31
        return (1...12).contains(month) && (1...lastDay).contains(day) && hour <= 23 && minute <= 59 && second <= 60
    }

    /// Milliseconds since 1970-01-01T00:00:00Z, reading a text without a zone at
    /// `defaultOffsetSeconds`; `clampLeapSecond` reads second 60 as 59.
    public func millisecondsSinceEpoch(defaultOffsetSeconds: Int = 0, clampLeapSecond: Bool = false) -> Int64 {
        let days = Int64(ISODate.days(fromCivil: year, month, day))
        let s = Int64(clampLeapSecond ? min(second, 59) : second)
        let local = days * 86_400_000 + Int64(hour) * 3_600_000 + Int64(minute) * 60_000 + s * 1000 + Int64(nanosecond / 1_000_000)
        return local - Int64(utcOffsetSeconds ?? defaultOffsetSeconds) * 1000
    }
}

/// Calendar arithmetic and the one formatter of ISO 8601 dates, with no dependency on the
/// machine's zone or calendar.
public enum ISODate {
    /// `yyyy-mm-ddThh:mm:ss.mmm+hhmm` (the API's output form, `2015-08-07T19:00:40.025+0900`)
    /// or, with `colonInOffset`, `…+09:00` (the form the API accepts on input).
    public static func format(millisecondsSinceEpoch ms: Int64, offsetSeconds: Int, colonInOffset: Bool) -> String {
        let local = ms + Int64(offsetSeconds) * 1000
        let days = floorDivide(local, 86_400_000)
        let msOfDay = Int(local - days * 86_400_000)
        let (y, m, d) = civil(fromDays: Int(days))
        let off = abs(offsetSeconds)
        let zone = (offsetSeconds < 0 ? "-" : "+") + pad(off / 3600, 2) + (colonInOffset ? ":" : "") + pad(off % 3600 / 60, 2)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(msOfDay / 3_600_000, 2)):\(pad(msOfDay / 60_000 % 60, 2))"
            + ":\(pad(msOfDay / 1000 % 60, 2)).\(pad(msOfDay % 1000, 3))\(zone)"
    }

    /// The number of days in `month` (1–12) of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (negative before
    /// 1970); `month` is 1–12. Howard Hinnant's `days_from_civil`.
    public static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (before it when negative); the
    /// inverse of `days(fromCivil:_:_:)`. Howard Hinnant's `civil_from_days`.
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// `a / b` rounded toward negative infinity.
    public static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `v` in decimal with leading zeros to `width` digits.
    public static func pad(_ v: some BinaryInteger, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
