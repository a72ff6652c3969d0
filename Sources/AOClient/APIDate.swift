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
        let (y, m, d) = Self.civil(fromDays: days)
        self.init(
            year: y, month: m, day: d, hour: rem / 3600, minute: rem % 3600 / 60, second: rem % 60,
            nanosecond: nanos, utcOffsetSeconds: offset)
    }

    /// Parses the text; `nil` when it is not an ISO 8601 date in one of the accepted shapes.
    public init?(parsing text: String) {
        var s = Scanner(Array(text.trimmed().utf8))
        guard let y = s.digits(4) else { return nil }
        var date = APIDate(year: y, utcOffsetSeconds: nil)
        if s.eat(UInt8(ascii: "-")) {
            guard let m = s.digits(2), (1...12).contains(m) else { return nil }
            date.month = m
            if s.eat(UInt8(ascii: "-")) {
                guard let d = s.digits(2), (1...Self.daysIn(month: m, year: y)).contains(d) else { return nil }
                date.day = d
                if s.eat(UInt8(ascii: "T")) || s.eat(UInt8(ascii: "t")) || s.eat(UInt8(ascii: " ")) {
                    guard let h = s.digits(2), h < 24 else { return nil }
                    date.hour = h
                    if s.eat(UInt8(ascii: ":")) {
                        guard let mi = s.digits(2), mi < 60 else { return nil }
                        date.minute = mi
                        if s.eat(UInt8(ascii: ":")) {
                            guard let se = s.digits(2), se < 61 else { return nil }
                            date.second = min(se, 59)
                            if s.eat(UInt8(ascii: ".")) || s.eat(UInt8(ascii: ",")) {
                                var digits = 0
                                var nanos = 0
                                while let c = s.peek, c >= 0x30, c <= 0x39 {
                                    if digits < 9 { nanos = nanos * 10 + Int(c - 0x30) }
                                    digits += 1
                                    s.pos += 1
                                }
                                if digits == 0 { return nil }
                                for _ in min(digits, 9)..<9 { nanos *= 10 }
                                date.nanosecond = nanos
                            }
                        }
                    }
                    // A zone only after a time.
                    if let c = s.peek {
                        if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                            s.pos += 1
                            date.utcOffsetSeconds = 0
                        } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                            s.pos += 1
                            guard let oh = s.digits(2), oh <= 23 else { return nil }
                            var om = 0
                            if s.eat(UInt8(ascii: ":")) {
                                guard let m2 = s.digits(2), m2 < 60 else { return nil }
                                om = m2
                            } else if let m2 = s.digits(2) {
                                guard m2 < 60 else { return nil }
                                om = m2
                            }
                            let sign = c == UInt8(ascii: "-") ? -1 : 1
                            date.utcOffsetSeconds = sign * (oh * 3600 + om * 60)
                        }
                    }
                }
            }
        }
        guard s.atEnd else { return nil }
        self = date
    }

    /// Seconds since 1970-01-01T00:00:00Z; a date without a zone is taken as UTC.
    public var secondsSince1970: Double {
        let days = Self.days(fromCivil: year, month, day)
        let local = days * 86400 + hour * 3600 + minute * 60 + second
        return Double(local - (utcOffsetSeconds ?? 0)) + Double(nanosecond) / 1_000_000_000
    }

    /// `yyyy-mm-ddThh:mm:ss.mmm+hh:mm` — the form to send (milliseconds, offset with a colon).
    /// Without a zone the offset is left out (the server then uses its own zone).
    public var formatted: String {
        var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        out += "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        out += "." + pad(nanosecond / 1_000_000, 3)
        if let off = utcOffsetSeconds {
            if off == 0 {
                out += "+00:00"
            } else {
                let a = abs(off)
                out += (off < 0 ? "-" : "+") + pad(a / 3600, 2) + ":" + pad(a % 3600 / 60, 2)
            }
        }
        return out
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

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (negative before
    /// 1970); `month` is 1–12. Howard Hinnant's `days_from_civil`, with no dependency on the
    /// machine's zone or calendar.
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

    private struct Scanner {
        let bytes: [UInt8]
        var pos = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { pos == bytes.count }
        var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }
        mutating func eat(_ b: UInt8) -> Bool {
            if peek == b {
                pos += 1
                return true
            }
            return false
        }
        mutating func digits(_ n: Int) -> Int? {
            guard pos + n <= bytes.count else { return nil }
            var v = 0
            for i in pos..<(pos + n) {
                let c = bytes[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            pos += n
            return v
        }
    }
}
