import ATSJSON
import ATSLanguage

/// A position as the protocol counts it: a 0-based line and a 0-based column in UTF-16 code units.
struct Position: Equatable {
    var line: Int
    var character: Int

    var json: JSON { ["line": .int(line), "character": .int(character)] }

    init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    init?(_ json: JSON?) {
        guard let line = json?["line"]?.intValue, let character = json?["character"]?.intValue, line >= 0, character >= 0 else {
            return nil
        }
        self.init(line: line, character: character)
    }
}

/// An open document: its text, and the map between byte offsets (what the parser gives) and
/// protocol positions (UTF-16 code units, what editors send).
struct TextDocument {
    let uri: String
    let version: Int
    let text: String
    let bytes: [UInt8]
    /// Byte offset of the start of each line (lines end at `\n`).
    let lineStarts: [Int]

    init(uri: String, version: Int, text: String) {
        self.uri = uri
        self.version = version
        self.text = text
        bytes = Array(text.utf8)
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The 0-based line holding byte `offset`.
    func line(ofByte offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The protocol position of byte `offset`.
    func position(ofByte offset: Int) -> Position {
        let offset = min(max(0, offset), bytes.count)
        let line = line(ofByte: offset)
        var units = 0
        var i = lineStarts[line]
        while i < offset {
            let b = bytes[i]
            if b & 0xC0 != 0x80 { units += b >= 0xF0 ? 2 : 1 }
            i += 1
        }
        return Position(line: line, character: units)
    }

    /// The byte offset of a protocol position (clamped to its line; a position inside a
    /// surrogate pair moves after the character).
    func offset(of position: Position) -> Int {
        guard position.line < lineStarts.count else { return bytes.count }
        var i = lineStarts[position.line]
        let end = position.line + 1 < lineStarts.count ? lineStarts[position.line + 1] - 1 : bytes.count
        var units = 0
        while i < end, units < position.character {
            let b = bytes[i]
            units += b >= 0xF0 ? 2 : 1
            i += 1
            while i < end, bytes[i] & 0xC0 == 0x80 { i += 1 }
        }
        return i
    }

    /// A protocol range of a byte range.
    func range(_ r: SourceRange) -> JSON {
        ["start": position(ofByte: r.start).json, "end": position(ofByte: r.end).json]
    }

    /// The byte range of a protocol range.
    func sourceRange(_ json: JSON?) -> SourceRange? {
        guard let start = Position(json?["start"]), let end = Position(json?["end"]) else { return nil }
        return SourceRange(offset(of: start), offset(of: end))
    }

    /// The text of a byte range.
    func text(_ r: SourceRange) -> String {
        String(decoding: bytes[min(r.start, bytes.count)..<min(r.end, bytes.count)], as: UTF8.self)
    }

    /// The whole document's range.
    var fullRange: JSON { range(SourceRange(0, bytes.count)) }

    /// The document with `edit` (a range and its new text) applied.
    func applying(_ range: SourceRange, _ newText: String, version: Int) -> TextDocument {
        let updated = Array(bytes[0..<range.start]) + Array(newText.utf8) + Array(bytes[range.end...])
        return TextDocument(uri: uri, version: version, text: String(decoding: updated, as: UTF8.self))
    }

    /// The source the language reads: named by its path, as `ats check` names a file.
    var source: Source { Source(name: DocumentURI.path(uri) ?? uri, text: text) }
}

/// `file://` URIs and paths.
enum DocumentURI {
    /// The path of a `file:` URI (percent-decoded), or nil for another scheme.
    static func path(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = Substring(uri.dropFirst("file://".count))
        // `file://host/path`: only the local host is meaningful.
        if !rest.hasPrefix("/"), let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
        return percentDecoded(rest)
    }

    /// The `file:` URI of an absolute path.
    static func uri(ofPath path: String) -> String {
        var out = "file://"
        for b in path.utf8 {
            let safe = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2F || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
            if safe {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func percentDecoded(_ s: Substring) -> String {
        var out: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 0x25, i + 2 < u.count, let v = UInt8(String(decoding: u[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The directory part of a path, with its trailing slash ("" when none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
