import ATSJSON

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

/// The candidates close to `name`, best first (see `NearMiss.suggestions`).
func suggestions(for name: String, among candidates: some Sequence<String>) -> [String] {
    NearMiss.suggestions(for: name, among: candidates)
}
