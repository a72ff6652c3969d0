import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which statements may be written to the history (spec §4: "lines that hold a password are
/// never written to it"). The rule, also in `docs/repl.md`: a statement is kept out of the
/// history file, the in-memory history and `:save` when, ignoring case, it contains
/// `password` (this covers `--password`, `--ask-password`, `--password-env` and
/// `ATS_PASSWORD=`), `secret(`, `authorization`, `hsso` or `token=`; or when it starts with a
/// space (as with bash's `HISTCONTROL=ignorespace`). Input typed at a password prompt is read
/// by the shell, not by the line editor, and so never reaches the history at all.
public enum HistoryPolicy {
    /// The case-insensitive fragments that mark a statement as carrying a secret.
    public static let secretMarkers = ["password", "secret(", "authorization", "hsso", "token="]

    /// True when `statement` may be remembered.
    /// Scalars, not Swift `Character`s: `token=` followed by a combining mark still
    /// contains `token=`.
    public static func mayRecord(_ statement: String) -> Bool {
        if let first = statement.unicodeScalars.first, first == " " || first == "\t" { return false }
        let lowered = statement.lowercased().unicodeScalars
        return !secretMarkers.contains { lowered.contains($0.unicodeScalars) }
    }
}

/// The history file shared by every REPL session of a user: `$XDG_STATE_HOME/ats/history`
/// (default `~/.local/state/ats/history`).
///
/// Format: UTF-8, one statement per line; a multi-line statement is one record, its newlines
/// written as `\n` and backslashes as `\\`, so it comes back whole. Each statement is appended
/// as it is entered (open with `O_APPEND`, one `write`, close), so a crash loses nothing.
/// Appends and trims take an exclusive `flock` on `history.lock` beside the file; a trim
/// rewrites the newest `limit` records into a temporary file and renames it over the history,
/// so concurrent sessions never see a half-written file and never append to a replaced one.
public final class HistoryFile: @unchecked Sendable {
    /// The file's path.
    public let path: String
    /// The most records kept; older ones are dropped when the file grows past it.
    public let limit: Int
    private var appendsSinceTrim = 0

    /// A history file at `path` keeping at most `limit` records.
    public init(path: String, limit: Int = 10_000) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// The default location from the environment: `$XDG_STATE_HOME/ats/history`, else
    /// `$HOME/.local/state/ats/history`; nil when neither variable is set.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/ats/history"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.local/state/ats/history"
        }
        return nil
    }

    /// Encodes one statement as one line of the file (without the newline).
    public static func encode(_ statement: String) -> String {
        var out = ""
        out.reserveCapacity(statement.utf8.count)
        for scalar in statement.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Decodes one line of the file back into the statement.
    public static func decode(_ line: Substring) -> String {
        var out = ""
        var escaped = false
        for scalar in line.unicodeScalars {
            if escaped {
                switch scalar {
                case "n": out.unicodeScalars.append("\n")
                case "r": out.unicodeScalars.append("\r")
                default: out.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The records in the file, oldest first (empty when there is no file). Trims the file when
    /// it holds more than `limit` records.
    public func load() -> [String] {
        let entries = withLock { readEntries() }
        if entries.count > limit {
            trim()
            return Array(entries.suffix(limit))
        }
        return entries
    }

    /// Appends one statement; returns false when it could not be written (the REPL goes on).
    @discardableResult
    public func append(_ statement: String) -> Bool {
        guard ensureDirectory() else { return false }
        let record = Array((HistoryFile.encode(statement) + "\n").utf8)
        let written: Bool = withLock {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            return writeAll(fd, bytes: record)
        }
        appendsSinceTrim += 1
        if appendsSinceTrim >= max(1, limit / 10) {
            appendsSinceTrim = 0
            trim()
        }
        return written
    }

    /// Keeps only the newest `limit` records: an atomic rewrite under the lock.
    public func trim() {
        withLock {
            let entries = readEntries()
            guard entries.count > limit else { return }
            let kept = entries.suffix(limit).map { HistoryFile.encode($0) + "\n" }.joined()
            let temporary = path + ".tmp.\(getpid())"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            let bytes = Array(kept.utf8)
            let ok = writeAll(fd, bytes: bytes)
            _ = fsync(fd)
            close(fd)
            if ok {
                _ = rename(temporary, path)
            } else {
                _ = unlink(temporary)
            }
        }
    }

    private func readEntries() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(HistoryFile.decode)
    }

    private func ensureDirectory() -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: directory) { return true }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return true
        } catch {
            return false
        }
    }

    /// Runs `body` holding an exclusive `flock` on the lock file (or without it when the lock
    /// file cannot be created: a read-only directory still gives its history).
    private func withLock<T>(_ body: () -> T) -> T {
        _ = ensureDirectory()
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { _ = flock(fd, LOCK_UN) }
        return body()
    }
}

/// Writes all of `bytes` to `fd`, retrying short and interrupted writes; false on an error.
func writeAll(_ fd: Int32, bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}
