#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time and the process's locale and time zone, read from the C library (the
/// only place this module asks the operating system for them).
enum SystemEnvironment {
    /// Now, as ISO 8601 in UTC with milliseconds: `2026-11-29T03:00:14.123Z`.
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return timestamp(seconds: Int(ts.tv_sec), milliseconds: Int(ts.tv_nsec) / 1_000_000)
    }

    /// A UTC time as ISO 8601 with milliseconds.
    static func timestamp(seconds: Int, milliseconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(milliseconds), 3))Z"
    }

    /// The value of an environment variable, if set and not empty.
    static func variable(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }

    /// The message locale as POSIX sees it (`LC_ALL`, `LC_MESSAGES`, `LANG`), or `C`.
    static func locale() -> String {
        variable("LC_ALL") ?? variable("LC_MESSAGES") ?? variable("LANG") ?? "C"
    }

    /// The time zone: its name (from `TZ` or the `/etc/localtime` link) and the current UTC
    /// offset, e.g. `Asia/Tokyo (+09:00)`.
    static func timeZone() -> String {
        var name = variable("TZ")
        if name == nil {
            var buffer = [CChar](repeating: 0, count: 512)
            let n = readlink("/etc/localtime", &buffer, buffer.count - 1)
            if n > 0 {
                let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if let r = target.firstRange(of: "zoneinfo/") { name = String(target[r.upperBound...]) }
            }
        }
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        let offset = Int(parts.tm_gmtoff)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        let shown = "\(sign)\(hours < 10 ? "0" : "")\(hours):\(minutes < 10 ? "0" : "")\(minutes)"
        return name.map { "\($0) (\(shown))" } ?? shown
    }

    /// True when file descriptor `fd` is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Writes all of `bytes` to `fd`, retrying after a short write or `EINTR`; `false` (with
    /// `errno` set) when a write fails.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var rest = bytes[...]
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return false }
            if n == 0 {
                errno = EIO
                return false
            }
            rest = rest.dropFirst(n)
        }
        return true
    }
}
