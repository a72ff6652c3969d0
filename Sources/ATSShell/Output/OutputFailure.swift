import ATSLanguage

/// What can go wrong in the output layer. Messages are written here and nowhere else.
public enum OutputFailure: Sendable, Hashable {
    /// `--output xml`, `format yaml`.
    case unknownFormat(String)
    /// An output stage used without a value before it (`csv` alone).
    case missingInput(stage: String)
    /// `--columns` given something that is not a list of names (`--columns 3`, `--columns ""`).
    case badColumns(stage: String, given: String)
    /// `OutputStages.run` was handed a command that is not an output stage (a wiring mistake).
    case notAnOutputStage(String)

    /// The script-visible error (kind `script`).
    public func errorValue(command: String?, location: SourceLocation? = nil) -> ErrorValue {
        var fields = ValueObject()
        switch self {
        case .unknownFormat(let name):
            let names = OutputFormat.names + [OutputFormat.autoName]
            var details = ["the formats are: " + names.joined(separator: ", ")]
            if let near = nearest(name, among: names) {
                details.insert("did you mean `\(near)`?", at: 0)
            }
            fields["format"] = .string(name)
            return ErrorValue(
                kind: "script", summary: "unknown output format \"\(name)\"", details: details,
                command: command, fields: fields, location: location)
        case .missingInput(let stage):
            return ErrorValue(
                kind: "script", summary: "`\(stage)` needs a value to render",
                details: ["use it after a pipe: `tasks | \(stage)`"],
                command: command, fields: fields, location: location)
        case .badColumns(let stage, let given):
            fields["columns"] = .string(given)
            return ErrorValue(
                kind: "script", summary: "`\(stage) --columns` expects member names, got \(given)",
                details: ["write them separated by commas: `\(stage) --columns instanceID,name,status`"],
                command: command, fields: fields, location: location)
        case .notAnOutputStage(let name):
            return ErrorValue(
                kind: "script", summary: "`\(name)` is not an output stage",
                details: ["the output stages are: " + OutputStages.names.joined(separator: ", ")],
                command: command, fields: fields, location: location)
        }
    }
}

/// The candidate within edit distance 2 of `word` (case-insensitive), if exactly one is closest.
private func nearest(_ word: String, among candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let c = Array(candidate)
        if !w.isEmpty, c.starts(with: w) { return candidate }
        var previous = Array(0...c.count)
        for i in 1...max(w.count, 1) where !w.isEmpty {
            var current = [i] + Array(repeating: 0, count: c.count)
            for j in 1...max(c.count, 1) where !c.isEmpty {
                let cost = w[i - 1] == c[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        let distance = previous[c.count]
        if distance <= 2, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    return best?.0
}
