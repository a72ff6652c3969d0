import ATSLanguage

/// One cell of a table: its text (one line, no control characters) and an optional colour.
struct TableCell: Sendable, Hashable {
    var text: String
    /// SGR parameters (`"32"`, `"1;35"`), applied only when colour is on.
    var sgr: String?
    /// A number (numeric columns are right-aligned).
    var isNumber: Bool

    init(text: String, sgr: String? = nil, isNumber: Bool = false) {
        self.text = text
        self.sgr = sgr
        self.isNumber = isNumber
    }
}

/// Lays out a table PowerShell-style: a header line, a line of dashes under each header,
/// then one line per row; columns two spaces apart; numeric columns right-aligned; no
/// trailing spaces. With a width, the widest columns shrink (cells end in `…`) until each
/// line fits; rows never wrap.
struct TableRenderer {
    var headers: [String]
    var rows: [[TableCell]]

    /// Spaces between columns.
    static let gap = 2
    /// A column is never shrunk below this many columns (or its natural width, if smaller);
    /// a column of numbers never below its widest number.
    static let minimumColumnWidth = 5

    func render(width: Int?, color: Bool) -> String {
        guard !headers.isEmpty else { return "" }
        var headers = headers
        var rows = rows
        var natural = headers.indices.map { column in
            rows.reduce(DisplayWidth.of(headers[column])) { max($0, DisplayWidth.of($1[column].text)) }
        }
        var rightAligned = headers.indices.map { column in
            let values = rows.map { $0[column] }.filter { !$0.text.isEmpty }
            return !values.isEmpty && values.allSatisfy(\.isNumber)
        }
        // Numbers are never cut; other columns not below the minimum.
        var floors = headers.indices.map { column in
            rightAligned[column]
                ? rows.reduce(1) { max($0, DisplayWidth.of($1[column].text)) }
                : min(natural[column], Self.minimumColumnWidth)
        }
        if let width {
            // Leave out columns from the right while even their minimum widths do not fit.
            while natural.count > 1 && floors.reduce(0, +) + Self.gap * (natural.count - 1) > width {
                natural.removeLast()
                floors.removeLast()
                rightAligned.removeLast()
                headers.removeLast()
                rows = rows.map { Array($0.dropLast()) }
            }
        }
        let widths = width.map { fit(natural, floors: floors, into: $0) } ?? natural

        var out = ""
        func line(_ cells: [TableCell], style: String?) {
            var text = ""
            var pendingSpaces = 0
            for (column, cell) in cells.enumerated() {
                let shown = DisplayWidth.truncate(cell.text, to: widths[column])
                let padding = widths[column] - DisplayWidth.of(shown)
                if column > 0 { pendingSpaces += Self.gap }
                if rightAligned[column] { pendingSpaces += padding }
                if !shown.isEmpty {
                    text += String(repeating: " ", count: pendingSpaces)
                    pendingSpaces = 0
                    if color, let sgr = style ?? cell.sgr {
                        text += "\u{1B}[\(sgr)m\(shown)\u{1B}[0m"
                    } else {
                        text += shown
                    }
                }
                if !rightAligned[column] { pendingSpaces += padding }
            }
            out += text + "\n"
        }
        line(headers.map { TableCell(text: $0) }, style: "1")
        line(headers.indices.map { TableCell(text: String(repeating: "-", count: min(widths[$0], DisplayWidth.of(headers[$0])))) }, style: "2")
        for row in rows { line(row, style: nil) }
        return out
    }

    /// Column widths that fit `width`: the widest columns are cut down to a common cap (never
    /// below the minimum); what the cap leaves over goes to the leftmost capped columns.
    private func fit(_ natural: [Int], floors: [Int], into width: Int) -> [Int] {
        let budget = width - Self.gap * (natural.count - 1)
        if natural.reduce(0, +) <= budget { return natural }
        func total(cap: Int) -> Int {
            zip(natural, floors).reduce(0) { $0 + min($1.0, max(cap, $1.1)) }
        }
        var cap = natural.max() ?? 0
        while cap > 0 && total(cap: cap) > budget { cap -= 1 }
        var widths = zip(natural, floors).map { min($0.0, max(cap, $0.1)) }
        var spare = budget - widths.reduce(0, +)
        for column in widths.indices where spare > 0 && widths[column] < natural[column] {
            widths[column] += 1
            spare -= 1
        }
        return widths
    }
}
