import ATSJSON

/// Why a case file could not be opened, read or written. Messages: `SupportMessages.swift`.
public enum CaseFileError: Error, Sendable, Hashable {
    /// `open(2)` failed; `reason` is the system's text (`No such file or directory`).
    case cannotOpen(path: String, reason: String)
    /// Reading failed after the file was opened.
    case cannotRead(path: String, reason: String)
    /// Writing an exchange failed (disk full, file removed); later exchanges are not recorded.
    case cannotWrite(path: String, reason: String)
}

/// Why one line of a case file was skipped by `CaseFileReader`.
public enum CaseFileLineError: Error, Sendable, Equatable {
    /// The line is not JSON.
    case notJSON(JSONParseError)
    /// The line is JSON but not an object.
    case notAnObject
    /// The `type` member is missing or not one of `header`, `server`, `exchange`.
    case unknownType(String?)
    /// A required member is missing.
    case missingMember(String)
    /// A member has the wrong JSON type.
    case wrongType(member: String, expected: String)
}

/// One skipped line of a case file.
public struct CaseFileProblem: Sendable, Equatable {
    /// 1-based line number in the file.
    public var line: Int
    /// What is wrong with it.
    public var error: CaseFileLineError

    /// A problem at a line.
    public init(line: Int, error: CaseFileLineError) {
        self.line = line
        self.error = error
    }
}

