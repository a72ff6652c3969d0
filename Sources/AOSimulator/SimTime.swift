import AOClient
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
        let c = components(ms, offsetSeconds: offsetSeconds)
        let sign = offsetSeconds < 0 ? "-" : "+"
        let off = abs(offsetSeconds) / 60
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
            + ".\(pad(c.millisecond, 3))\(sign)\(pad(Int64(off / 60), 2))\(pad(Int64(off % 60), 2))"
    }

    /// The RFC 1123 date of the `Date` header: `Fri, 07 Aug 2015 01:00:39 GMT`.
    public static func rfc1123(_ ms: Int64) -> String {
        let c = components(ms, offsetSeconds: 0)
        let weekday = Int(((floorDiv(ms, 86_400_000) % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[weekday]), \(pad(c.day, 2)) \(months[Int(c.month) - 1]) \(pad(c.year, 4)) "
            + "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
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
        // month, day, hour, minute, second: each optional, each after its separator.
        var fields: [Int64] = [year, 1, 1, 0, 0, 0]
        let separators: [Character] = ["-", "-", "T", ":", ":"]
        var parts = 1
        while parts < fields.count, peek(separators[parts - 1]) {
            i += 1
            guard let v = digits(2) else { return .failure(.malformed) }
            fields[parts] = v
            parts += 1
        }
        var milli: Int64 = 0
        if parts == fields.count, peek(".") {
            i += 1
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            let frac = bytes[start..<i]
            guard !frac.isEmpty else { return .failure(.malformed) }
            for (k, b) in frac.prefix(3).enumerated() {
                milli += Int64(b - 0x30) * [100, 10, 1][k]
            }
            parts = 7
        }
        let (month, day, hour, minute, second) = (fields[1], fields[2], fields[3], fields[4], fields[5])
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
        let days = Int64(APIDate.days(fromCivil: Int(year), Int(month), Int(day)))
        let local = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
        return .success(local - offset * 1000)
    }

    /// The local calendar date and time of `ms` (year, month, day, hour, minute, second, millisecond).
    static func components(_ ms: Int64, offsetSeconds: Int) -> (
        year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, millisecond: Int64
    ) {
        let local = ms + Int64(offsetSeconds) * 1000
        let days = floorDiv(local, 86_400_000)
        let msOfDay = local - days * 86_400_000
        let date = APIDate.civil(fromDays: Int(days))
        return (
            Int64(date.year), Int64(date.month), Int64(date.day),
            msOfDay / 3_600_000, (msOfDay / 60_000) % 60, (msOfDay / 1000) % 60, msOfDay % 1000
        )
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
