import Foundation

/// Where the simulator reads the time: milliseconds since 1970-01-01T00:00:00Z.
///
/// The engine never runs timers; it advances lazily to `now()` on each request, so a test
/// that uses a `ManualClock` is fully deterministic.
public protocol SimulatorClock: Sendable {
    /// The current time in milliseconds since the Unix epoch.
    func now() -> Int64
}

/// The machine's wall clock.
public struct SystemClock: SimulatorClock {
    public init() {}
    public func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A clock that moves only when told to. Thread-safe.
public final class ManualClock: SimulatorClock, @unchecked Sendable {
    /// 2015-08-07T10:00:00.000+0900, the day of the manual's force-stop example.
    public static let defaultStart: Int64 = 1_438_909_200_000

    private let lock = NSLock()
    private var current: Int64

    /// A clock that starts at `start` (milliseconds since the epoch).
    public init(start: Int64 = ManualClock.defaultStart) { current = start }

    public func now() -> Int64 { lock.withLock { current } }

    /// Moves the clock forward (or back, for a negative duration).
    public func advance(by duration: Duration) {
        lock.withLock { current += SimTime.milliseconds(duration) }
    }

    /// Sets the clock to `milliseconds` since the epoch.
    public func set(_ milliseconds: Int64) { lock.withLock { current = milliseconds } }
}

/// Why an input date was refused (reference §1.7).
public enum DateInputError: Error, Sendable, Equatable {
    /// Not an ISO 8601 date of an accepted shape.
    case malformed
    /// The zone offset has no colon (`+0900`): the server refuses it; `+09:00` is required.
    case offsetWithoutColon
    /// A field is out of range (month 13, hour 25, …).
    case outOfRange
    /// Inside `HQL::filter` dates must be complete (`yyyy-mm-ddThh:mm:ss.mmm+hh:mm`).
    case incomplete
}

/// Date arithmetic and the API's date formats, with no dependency on the machine's zone.
public enum SimTime {
    /// Whole milliseconds of `duration` (rounded toward zero).
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let c = duration.components
        return c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
    }

    /// `yyyy-mm-ddThh:mm:ss.mmm+hhmm` as JP1/AO writes dates in JSON (no colon in the offset).
    public static func format(_ ms: Int64, offsetSeconds: Int) -> String {
        let local = ms + Int64(offsetSeconds) * 1000
        let days = floorDiv(local, 86_400_000)
        let msOfDay = local - days * 86_400_000
        let (y, m, d) = civil(fromDays: days)
        let h = msOfDay / 3_600_000
        let mi = (msOfDay / 60_000) % 60
        let s = (msOfDay / 1000) % 60
        let milli = msOfDay % 1000
        let sign = offsetSeconds < 0 ? "-" : "+"
        let off = abs(offsetSeconds) / 60
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(milli, 3))"
            + "\(sign)\(pad(Int64(off / 60), 2))\(pad(Int64(off % 60), 2))"
    }

    /// The RFC 1123 date of the `Date` header: `Fri, 07 Aug 2015 01:00:39 GMT`.
    public static func rfc1123(_ ms: Int64) -> String {
        let days = floorDiv(ms, 86_400_000)
        let msOfDay = ms - days * 86_400_000
        let (y, m, d) = civil(fromDays: days)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[weekday]), \(pad(d, 2)) \(months[Int(m) - 1]) \(pad(y, 4)) "
            + "\(pad(msOfDay / 3_600_000, 2)):\(pad((msOfDay / 60_000) % 60, 2)):\(pad((msOfDay / 1000) % 60, 2)) GMT"
    }

    /// Parses an input date (reference §1.7): ISO 8601, truncated down to the year, the zone
    /// written `+hh:mm`, `-hh:mm` or `Z`; an omitted zone means the server's zone
    /// (`defaultOffsetSeconds`). An offset without a colon is refused.
    public static func parseInput(
        _ text: String, defaultOffsetSeconds: Int, requireComplete: Bool = false
    ) -> Result<Int64, DateInputError> {
        let bytes = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= bytes.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let b = bytes[i + k]
                guard b >= 0x30, b <= 0x39 else { return nil }
                v = v * 10 + Int64(b - 0x30)
            }
            i += n
            return v
        }
        func peek(_ c: Character) -> Bool { i < bytes.count && bytes[i] == c.asciiValue! }
        guard let year = digits(4) else { return .failure(.malformed) }
        var month: Int64 = 1, day: Int64 = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, milli: Int64 = 0
        var parts = 1
        if peek("-") {
            i += 1
            guard let v = digits(2) else { return .failure(.malformed) }
            month = v
            parts = 2
            if peek("-") {
                i += 1
                guard let v = digits(2) else { return .failure(.malformed) }
                day = v
                parts = 3
                if peek("T") {
                    i += 1
                    guard let v = digits(2) else { return .failure(.malformed) }
                    hour = v
                    parts = 4
                    if peek(":") {
                        i += 1
                        guard let v = digits(2) else { return .failure(.malformed) }
                        minute = v
                        parts = 5
                        if peek(":") {
                            i += 1
                            guard let v = digits(2) else { return .failure(.malformed) }
                            second = v
                            parts = 6
                            if peek(".") {
                                i += 1
                                let start = i
                                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                                let frac = bytes[start..<i]
                                guard !frac.isEmpty else { return .failure(.malformed) }
                                var v: Int64 = 0
                                for (k, b) in frac.prefix(3).enumerated() {
                                    v += Int64(b - 0x30) * [100, 10, 1][k]
                                }
                                milli = v
                                parts = 7
                            }
                        }
                    }
                }
            }
        }
        var offset = Int64(defaultOffsetSeconds)
        var hasZone = false
        if i < bytes.count {
            if peek("Z") {
                i += 1
                offset = 0
                hasZone = true
            } else if peek("+") || peek("-") {
                let negative = peek("-")
                i += 1
                guard let oh = digits(2) else { return .failure(.malformed) }
                guard peek(":") else { return .failure(.offsetWithoutColon) }
                i += 1
                guard let om = digits(2) else { return .failure(.malformed) }
                guard oh <= 23, om <= 59 else { return .failure(.outOfRange) }
                offset = (oh * 3600 + om * 60) * (negative ? -1 : 1)
                hasZone = true
            } else {
                return .failure(.malformed)
            }
        }
        guard i == bytes.count else { return .failure(.malformed) }
        if requireComplete && (parts < 6 || !hasZone) { return .failure(.incomplete) }
        guard (1...12).contains(month), (1...31).contains(day), hour <= 23, minute <= 59, second <= 60 else {
            return .failure(.outOfRange)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
        return .success(local - offset * 1000)
    }

    /// The zone offset `+09:00` style for `seconds`.
    public static func offsetText(_ seconds: Int) -> String {
        let m = abs(seconds) / 60
        return "\(seconds < 0 ? "-" : "+")\(pad(Int64(m / 60), 2)):\(pad(Int64(m % 60), 2))"
    }

    /// The local calendar date and time of `ms` (year, month, day, hour, minute).
    static func components(_ ms: Int64, offsetSeconds: Int) -> (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        let local = ms + Int64(offsetSeconds) * 1000
        let days = floorDiv(local, 86_400_000)
        let msOfDay = local - days * 86_400_000
        let (y, m, d) = civil(fromDays: days)
        return (y, m, d, msOfDay / 3_600_000, (msOfDay / 60_000) % 60, (msOfDay / 1000) % 60)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(year y0: Int64, month m: Int64, day d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
