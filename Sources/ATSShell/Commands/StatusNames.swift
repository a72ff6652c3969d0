/// Task status names: the API strings, display names and aliases (reference §4.1, §5.2).
enum StatusNames {
    struct Entry {
        var api: String
        var display: String
        var aliases: [String]
    }

    static let entries: [Entry] = [
        Entry(api: "waiting", display: "Waiting", aliases: []),
        Entry(api: "holding", display: "Suspended", aliases: ["suspended"]),
        Entry(api: "inProgress", display: "In Progress", aliases: ["running", "now running"]),
        Entry(api: "waitingResponse", display: "Waiting for Input",
              aliases: ["waitingForResponse", "waitingInput", "WAITING_RESPONSE", "Waiting for Response"]),
        Entry(api: "abnormalDetected", display: "In Progress (with Error)",
              aliases: ["abnormalDetection", "inProgressWithError", "Abnormal Detection", "Abnormality detected"]),
        Entry(api: "terminating", display: "In Progress (Terminating)", aliases: ["stopping", "terminated"]),
        Entry(api: "longRunning", display: "Long Running", aliases: []),
        Entry(api: "completed", display: "Completed", aliases: []),
        Entry(api: "failed", display: "Failed", aliases: []),
        Entry(api: "canceled", display: "Canceled", aliases: ["cancelled"]),
    ]

    /// The API strings, for completion.
    static var apiNames: [String] { entries.map(\.api) }

    private static func key(_ s: String) -> String {
        String(s.lowercased().filter { $0.isLetter })
    }

    /// The API string for a name in any accepted spelling, or nil.
    static func resolve(_ name: String) -> String? {
        let k = key(name)
        return entries.first { e in key(e.api) == k || key(e.display) == k || e.aliases.contains { key($0) == k } }?.api
    }

    /// Resolves `a,b,c` (or a list) into API strings; an unknown name is an error.
    static func resolveList(_ names: [String]) throws(ShellError) -> [String] {
        var result: [String] = []
        for raw in names.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let name = raw.trimmingCharacters(in: " ")
            if name.isEmpty { continue }
            guard let api = resolve(name) else {
                let close = entries.map(\.api).min { editDistance(key($0), key(name)) < editDistance(key($1), key(name)) }
                let suggestion = close.flatMap { editDistance(key($0), key(name)) <= 3 ? $0 : nil }
                throw .unknownStatus(name, suggestion: suggestion)
            }
            if !result.contains(api) { result.append(api) }
        }
        return result
    }

    /// The display name of an API string (unknown strings as they are).
    static func displayName(_ api: String) -> String {
        entries.first { $0.api == api }?.display ?? api
    }

    /// The finished statuses (the default of `wait`).
    static let finished = ["completed", "failed", "canceled"]

    /// The statuses in which the server accepts a task action (reference §5.2).
    static func statusesAllowing(_ action: String) -> [String] {
        switch action {
        case "stop": return ["inProgress", "waitingResponse", "abnormalDetected", "longRunning"]
        case "forceStop": return ["inProgress", "waitingResponse", "abnormalDetected"]
        case "response": return ["waitingResponse"]
        case "rerunStart", "rerunStepStart": return ["failed"]
        case "resubmit", "archive": return ["completed", "failed", "canceled"]
        default: return []
        }
    }

    /// How an action is named in messages.
    static func actionPhrase(_ action: String) -> String {
        switch action {
        case "forceStop": return "force stop"
        case "rerunStart": return "retry"
        case "rerunStepStart": return "retry from the next step"
        case "response": return "respond"
        default: return action
        }
    }
}
