// Helpers for tests of case files (record, replay, diff), on top of `TemporaryDirectory`.
import Foundation

extension TemporaryDirectory {
    /// The path of `name` inside the directory (the file need not exist).
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// The bytes of the file at `path`; empty when it cannot be read.
public func caseFileBytes(_ path: String) -> [UInt8] {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
}

/// The text of the file at `path` (invalid UTF-8 replaced); empty when it cannot be read.
public func caseFileText(_ path: String) -> String { String(decoding: caseFileBytes(path), as: UTF8.self) }
