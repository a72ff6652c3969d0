/// What the output layer needs to know about where standard output goes.
public struct TerminalInfo: Sendable, Hashable {
    /// Standard output is a terminal (tables and plain scalars by default; JSON otherwise).
    public var isTerminal: Bool
    /// Colour escapes are allowed.
    public var color: Bool
    /// Columns available for a table line.
    public var width: Int

    /// Values given directly (tests, or a caller that knows better).
    public init(isTerminal: Bool, color: Bool, width: Int) {
        self.isTerminal = isTerminal
        self.color = color
        self.width = max(width, TerminalInfo.minimumWidth)
    }

    /// Where nothing is known: a pipe, no colour, 80 columns.
    public static let pipe = TerminalInfo(isTerminal: false, color: false, width: defaultWidth)

    /// The width used when neither the terminal nor `COLUMNS` tells one.
    public static let defaultWidth = 80
    /// Narrower settings are raised to this.
    public static let minimumWidth = 20

    /// The facts for an output, from what the caller measured (nothing here touches the system).
    ///
    /// - Width: `measuredWidth` (from `ioctl(TIOCGWINSZ)` on a terminal), else `COLUMNS`, else 80.
    /// - Colour: as `allowsColor` says.
    public static func resolve(
        isTerminal: Bool, measuredWidth: Int?, environment: [String: String], noColorOption: Bool
    ) -> TerminalInfo {
        var width = defaultWidth
        if let measured = measuredWidth, measured > 0 {
            width = measured
        } else if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 {
            width = columns
        }
        let color = allowsColor(isTerminal: isTerminal, environment: environment, noColorOption: noColorOption)
        return TerminalInfo(isTerminal: isTerminal, color: color, width: width)
    }

    /// Colour is used only on a terminal, and not when `noColorOption` (`--no-color`) is
    /// given, `NO_COLOR` is set to a non-empty value (no-color.org), or `TERM` is `dumb`.
    public static func allowsColor(isTerminal: Bool, environment: [String: String], noColorOption: Bool) -> Bool {
        isTerminal && !noColorOption && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
