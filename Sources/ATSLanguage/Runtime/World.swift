// What the language needs from the world outside it: the time, sleeping, and files. The
// interpreter is given them (`Interpreter.init(clock:files:)`); `main` wires the machine's
// (`MachineClock`, `LocalFileSystem`, in Machine.swift), tests a manual clock.

/// The current time and sleeping. `now()` and `sleep` see the same time: a manual clock's
/// `sleep` moves its `now()` forward at once, so a script that waits ten minutes runs in
/// microseconds against the simulator.
public protocol WallClock: Sendable {
    /// The current time, with the local zone's UTC offset.
    func now() -> TimeValue
    /// Sleeps for `milliseconds` unless `interrupt` is raised first; false when interrupted.
    func sleep(milliseconds: Int64, interrupt: InterruptFlag) -> Bool
}

/// Why a file could not be read or written: the path and the system's reason.
public struct FileError: Error, Sendable, Hashable {
    /// The path as given.
    public var path: String
    /// The system's reason (`No such file or directory`).
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The files that scripts and commands read and write. Relative paths are relative to the
/// file system's working directory.
public protocol FileSystem: Sendable {
    /// True when something exists at `path`.
    func exists(_ path: String) -> Bool
    /// The bytes of a file.
    func read(_ path: String) throws(FileError) -> [UInt8]
    /// The text of a file (invalid UTF-8 repaired with U+FFFD).
    func readText(_ path: String) throws(FileError) -> String
    /// Creates or replaces a file with `bytes`.
    func write(_ path: String, _ bytes: [UInt8]) throws(FileError)
    /// Creates or replaces a file with `bytes` all at once: a reader sees the old file or the
    /// new one, and a write that fails leaves the old file whole (the REPL's `:save`).
    func replace(_ path: String, _ bytes: [UInt8]) throws(FileError)
    /// The permission bits of a file (`0o600`), or nil when it cannot be read.
    func permissions(_ path: String) -> Int?
    /// Removes a file if it is there (the REPL's `:edit` file when the editor is done).
    func remove(_ path: String)
    /// The names in a directory, each directory's with a `/` after it, in no set order; nil
    /// when it cannot be read (the REPL's Tab on a file name).
    func entries(_ directory: String) -> [String]?
}

extension FileSystem {
    public func readText(_ path: String) throws(FileError) -> String {
        String(decoding: try read(path), as: UTF8.self)
    }
}
