// The repository's own files, for tests that check the documentation against the code.
import Foundation

/// The root of the repository (this file is `Tests/TestSupport/RepositoryFiles.swift`).
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fenced code block of a Markdown text.
public struct Fence: Sendable {
    /// What follows the opening ```: `ats`, `json output-example format=json …`, or empty.
    public var info: String
    /// The lines between the fences.
    public var lines: [String]
    /// The line number (from 1) of the opening fence.
    public var line: Int
    /// True when only blank lines (or none) separate this block from the one before it.
    public var followsPrevious: Bool

    /// The lines, each ending in a newline.
    public var body: String { lines.map { $0 + "\n" }.joined() }
}

/// The fenced code blocks of a Markdown text, in order: a line beginning with ``` opens a
/// block, a line that is exactly ``` closes it (an unclosed block runs to the end).
public func fences(in text: String) -> [Fence] {
    var fences: [Fence] = []
    var open: Fence?
    var onlyBlankSinceLast = false
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if let fence = open, line == "```" {
            fences.append(fence)
            open = nil
            onlyBlankSinceLast = true
        } else if open != nil {
            open?.lines.append(String(line))
        } else if line.hasPrefix("```") {
            open = Fence(info: String(line.dropFirst(3)), lines: [], line: index + 1, followsPrevious: onlyBlankSinceLast)
        } else if !line.allSatisfy({ $0 == " " || $0 == "\t" }) {
            onlyBlankSinceLast = false
        }
    }
    if let open { fences.append(open) }
    return fences
}
