#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The machine's clock and file system (POSIX), which `main` wires into the world. Nothing in
// the language or the shell reaches for them; they are given.

/// The machine's real-time clock and `nanosleep`.
public struct MachineClock: WallClock {
    public init() {}

    public func now() -> TimeValue {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let ms = Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
        var t = time_t(ts.tv_sec)
        var parts = tm()
        localtime_r(&t, &parts)
        return TimeValue(millisecondsSinceEpoch: ms, utcOffsetSeconds: Int(parts.tm_gmtoff))
    }

    /// Sleeps in slices of at most 100 ms, watching `interrupt` between them.
    public func sleep(milliseconds: Int64, interrupt: InterruptFlag) -> Bool {
        var remaining = milliseconds
        while remaining > 0 {
            if interrupt.isRaised { return false }
            let slice = min(remaining, 100)
            var ts = timespec(tv_sec: 0, tv_nsec: Int(slice) * 1_000_000)
            nanosleep(&ts, nil)
            remaining -= slice
        }
        return !interrupt.isRaised
    }
}

/// The machine's files; relative paths are resolved against `workingDirectory` when one is
/// given (tests give each case its own directory), else against the process's.
public struct LocalFileSystem: FileSystem {
    /// The directory relative paths start from; nil for the process's working directory.
    public var workingDirectory: String?

    public init(workingDirectory: String? = nil) {
        self.workingDirectory = workingDirectory
    }

    /// `path` as the system should see it.
    public func resolve(_ path: String) -> String {
        guard let workingDirectory, !path.hasPrefix("/") else { return path }
        return workingDirectory.hasSuffix("/") ? workingDirectory + path : workingDirectory + "/" + path
    }

    public func exists(_ path: String) -> Bool { access(resolve(path), F_OK) == 0 }

    public func read(_ path: String) throws(FileError) -> [UInt8] {
        guard let f = fopen(resolve(path), "rb") else { throw failure(path) }
        defer { fclose(f) }
        return try rest(of: f, path: path)
    }

    /// A regular file is read straight into the string's storage, so a large file is in
    /// memory once, not twice.
    public func readText(_ path: String) throws(FileError) -> String {
        guard let f = fopen(resolve(path), "rb") else { throw failure(path) }
        defer { fclose(f) }
        var info = stat()
        var text = ""
        if fstat(fileno(f), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
            text = String(unsafeUninitializedCapacity: Int(info.st_size)) { buffer in
                fread(buffer.baseAddress, 1, buffer.count, f)
            }
            if ferror(f) != 0 { throw failure(path) }
        }
        // The rest: a pipe, a device, or a file that grew since `fstat`.
        let remainder = try rest(of: f, path: path)
        if remainder.isEmpty { return text }
        return String(decoding: Array(text.utf8) + remainder, as: UTF8.self)
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws(FileError) {
        guard let f = fopen(resolve(path), "wb") else { throw failure(path) }
        try put(bytes, into: f, reportingAs: path)
    }

    /// Writes a temporary file beside `path` (same directory, so same file system) and
    /// renames it over `path`, as `mv` does; the temporary file is removed if anything fails.
    /// A file that was there keeps its permission bits; a new one gets 0666 less the umask.
    public func replace(_ path: String, _ bytes: [UInt8]) throws(FileError) {
        let target = resolve(path)
        let name = target.lastIndex(of: "/").map(target.index(after:)) ?? target.startIndex
        let temporary = "\(target[..<name]).\(target[name...]).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let kept = permissions(path)
        // "x": the temporary file is new, so removing it below removes nothing of anyone's.
        guard let f = fopen(temporary, "wbxe") else { throw failure(path) }
        do throws(FileError) {
            try put(bytes, into: f, reportingAs: path) { fd in
                (kept.map { fchmod(fd, mode_t($0)) == 0 } ?? true) && fsync(fd) == 0
            }
            if rename(temporary, target) != 0 { throw failure(path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    public func permissions(_ path: String) -> Int? {
        var info = stat()
        guard stat(resolve(path), &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o7777
    }

    public func remove(_ path: String) { _ = unlink(resolve(path)) }

    public func entries(_ directory: String) -> [String]? {
        let folder = resolve(directory.isEmpty ? "." : directory)
        guard let stream = opendir(folder) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            let isDirectory = stat(folder + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            names.append(isDirectory ? name + "/" : name)
        }
        return names
    }

    /// Writes `bytes` to `f`, flushes them, lets `finish` act on the descriptor (false when
    /// it failed) and closes `f`; a failure is reported for `path` with the system's reason.
    private func put(
        _ bytes: [UInt8], into f: UnsafeMutablePointer<FILE>, reportingAs path: String,
        finish: (Int32) -> Bool = { _ in true }
    ) throws(FileError) {
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        let failed = written != bytes.count || fflush(f) != 0 || !finish(fileno(f)) ? failure(path) : nil
        if fclose(f) != 0 || failed != nil { throw failed ?? failure(path) }
    }

    /// The bytes from `f`'s position to its end.
    private func rest(of f: UnsafeMutablePointer<FILE>, path: String) throws(FileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count {
                if ferror(f) != 0 { throw failure(path) }
                return bytes
            }
        }
    }

    private func failure(_ path: String) -> FileError {
        FileError(path: path, reason: String(cString: strerror(errno)))
    }
}
