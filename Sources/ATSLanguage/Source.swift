/// A script's text and the name it is shown under in messages (`cleanup.ats`, `<repl>`).
public struct Source: Sendable {
    /// The file name as given on the command line, or a label such as `<repl>`.
    public let name: String
    /// The whole text.
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// A half-open range of UTF-8 byte offsets into a `Source`'s text.
public struct SourceRange: Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }
}

/// Turns byte offsets into lines and columns (computed once per source).
public struct LineMap: Sendable {
    let bytes: [UInt8]
    let lineStarts: [Int]

    public init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 1-based line number of `offset`.
    public func line(of offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// 1-based column of `offset`, counted in Unicode scalars.
    public func column(of offset: Int) -> Int {
        let start = lineStarts[line(of: offset) - 1]
        let end = min(max(offset, start), bytes.count)
        var column = 1
        for b in bytes[start..<end] where b & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// The text of line `line` (1-based), without its newline.
    public func text(ofLine line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// `file:line:col` of an offset.
    public func location(_ offset: Int, file: String) -> SourceLocation {
        SourceLocation(file: file, line: line(of: offset), column: column(of: offset))
    }
}
