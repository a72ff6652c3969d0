// Compile-time scopes: every variable is resolved to (frame depth, slot) before running.

/// A variable known to the compiler.
struct Binding {
    let slot: Int
    /// Parameter names when the variable is a `fn`.
    var function: [String]?
    var range: SourceRange?
    /// Created by a read before any declaration (a global defined later, or by `source`).
    var lazy: Bool
}

/// The variables of one runtime frame: the global scope, a function, or a stage's item scope.
final class Scope {
    enum Kind { case global, function, stage(parallel: Bool) }

    let parent: Scope?
    let kind: Kind
    var blocks: [[String: Binding]]
    var slotCount: Int
    var loopDepth = 0

    init(parent: Scope?, kind: Kind, slotCount: Int = 0) {
        self.parent = parent
        self.kind = kind
        self.blocks = [[:]]
        self.slotCount = slotCount
    }

    var isGlobal: Bool {
        if case .global = kind { return true }
        return false
    }

    var isParallelStage: Bool {
        if case .stage(true) = kind { return true }
        return false
    }

    var isFunction: Bool {
        if case .function = kind { return true }
        return false
    }

    /// A new slot in the innermost block.
    func declare(_ name: String, range: SourceRange?, function: [String]? = nil) -> Binding {
        if let existing = blocks[blocks.count - 1][name], isGlobal && blocks.count == 1 {
            var b = existing
            b.lazy = false
            if function != nil { b.function = function }
            b.range = range ?? b.range
            blocks[blocks.count - 1][name] = b
            return b
        }
        let b = Binding(slot: slotCount, function: function, range: range, lazy: false)
        slotCount += 1
        blocks[blocks.count - 1][name] = b
        return b
    }

    func lookupLocal(_ name: String) -> Binding? {
        for block in blocks.reversed() {
            if let b = block[name] { return b }
        }
        return nil
    }
}

/// Where a name was found.
struct Resolved {
    let depth: Int
    let binding: Binding
    let scope: Scope
    /// Found outside an enclosing `each --parallel` block.
    let crossesParallel: Bool
}

/// Edit distance, for did-you-mean suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars)
    let y = Array(b.lowercased().unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    // Optimal string alignment: insertions, deletions, substitutions and adjacent swaps.
    var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { d[i][0] = i }
    for j in 0...y.count { d[0][j] = j }
    for i in 1...x.count {
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
        }
    }
    return d[x.count][y.count]
}

/// The candidates close to `name`, best first.
func suggestions(for name: String, among candidates: some Sequence<String>) -> [String] {
    let limit = max(1, min(3, (name.count + 1) / 3))
    if name.count > 64 { return [] }
    var scored: [(Int, String)] = []
    for c in candidates where c != name {
        let d = editDistance(name, c)
        if d <= limit || (c.lowercased().hasPrefix(name.lowercased()) && name.count >= 3) { scored.append((d, c)) }
    }
    return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(3).map(\.1)
}
