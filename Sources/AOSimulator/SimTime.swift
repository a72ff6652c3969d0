import AOClient
import ATSJSON
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
        ISODate.format(millisecondsSinceEpoch: ms, offsetSeconds: offsetSeconds, colonInOffset: false)
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
        // Stricter than what the client reads: `T` and `.` only, and the offset needs its colon.
        guard let scan = ISODateScan(text), scan.timeSeparator ?? UInt8(ascii: "T") == UInt8(ascii: "T"),
            scan.decimalSeparator ?? UInt8(ascii: ".") == UInt8(ascii: ".")
        else { return .failure(.malformed) }
        if scan.zone == .utc, !text.hasSuffix("Z") { return .failure(.malformed) }
        if case .offset(_, _, _, false, _) = scan.zone { return .failure(.offsetWithoutColon) }
        guard scan.zoneInRange else { return .failure(.outOfRange) }
        if requireComplete && (scan.precision < .second || scan.zone == nil) { return .failure(.incomplete) }
        guard scan.fieldsInRange(daysOfTheMonth: false) else { return .failure(.outOfRange) }
        return .success(scan.millisecondsSinceEpoch(defaultOffsetSeconds: defaultOffsetSeconds))
    }

    /// The local calendar date and time of `ms` (year, month, day, hour, minute, second, millisecond).
    static func components(_ ms: Int64, offsetSeconds: Int) -> (
        year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, millisecond: Int64
    ) {
        let local = ms + Int64(offsetSeconds) * 1000
        let days = floorDiv(local, 86_400_000)
        let msOfDay = local - days * 86_400_000
        let date = ISODate.civil(fromDays: Int(days))
        return (
            Int64(date.year), Int64(date.month), Int64(date.day),
            msOfDay / 3_600_000, (msOfDay / 60_000) % 60, (msOfDay / 1000) % 60, msOfDay % 1000
        )
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { ISODate.floorDivide(a, b) }

    static func pad(_ v: Int64, _ width: Int) -> String { ISODate.pad(v, width) }
}
