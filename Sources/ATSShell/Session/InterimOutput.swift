import ATSJSON
import ATSLanguage
import Foundation

// A minimal output sink, used until the Output/ module lands on main; delete then.

/// Writes values as JSON (pretty on a terminal, compact JSON Lines formats when asked).
final class InterimSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    let state: SessionState
    let quiet: Bool

    init(state: SessionState, quiet: Bool) {
        self.state = state
        self.quiet = quiet
    }

    func emit(_ value: Value) {
        if quiet { return }
        if case .null = value { return }
        write(Self.render(value, format: state.format ?? .pretty))
    }

    func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func writeError(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func render(_ value: Value, format: OutputFormat) -> String {
        switch format {
        case .pretty, .table, .json:
            return JSONWriter.pretty.string(value.toJSON()) + "\n"
        case .jsonl:
            if case .list(let items) = value { return items.map { JSONWriter.compact.string($0.toJSON()) + "\n" }.joined() }
            return JSONWriter.compact.string(value.toJSON()) + "\n"
        case .raw:
            if case .string(let s) = value { return s + "\n" }
            if case .list(let items) = value {
                return items.map { item -> String in
                    if case .string(let s) = item { return s + "\n" }
                    return JSONWriter.compact.string(item.toJSON()) + "\n"
                }.joined()
            }
            return JSONWriter.compact.string(value.toJSON()) + "\n"
        case .csv:
            guard case .list(let items) = value else { return JSONWriter.compact.string(value.toJSON()) + "\n" }
            var columns: [String] = []
            for case .object(let o) in items { for k in o.keys where !columns.contains(k) { columns.append(k) } }
            func cell(_ v: Value?) -> String {
                let text: String
                switch v {
                case nil, .null?: text = ""
                case .string(let s)?: text = s
                case let v?: text = JSONWriter.compact.string(v.toJSON())
                }
                return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            var out = columns.map { cell(.string($0)) }.joined(separator: ",") + "\n"
            for case .object(let o) in items { out += columns.map { cell(o[$0]) }.joined(separator: ",") + "\n" }
            return out
        }
    }
}
