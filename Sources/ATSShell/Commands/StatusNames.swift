import ATSJSON
import AOClient

/// Task status names for the shell, read from the client's table (`APIConventions`): API
/// strings, display names, V10 names and aliases, in any case.
enum StatusNames {
    static let conventions = APIConventions.default

    /// The API strings, for completion.
    static var apiNames: [String] { conventions.taskStatuses.map(\.apiName) }

    /// The API string for a name in any accepted spelling, or nil.
    static func resolve(_ name: String) -> String? {
        conventions.taskStatus(named: name)?.apiName
    }

    /// Resolves `a,b,c` (or several such) into API strings; an unknown name is an error.
    static func resolveList(_ names: [String]) throws(ShellError) -> [String] {
        var result: [String] = []
        for raw in names.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let name = raw.trimmed()
            if name.isEmpty { continue }
            guard let api = resolve(name) else {
                let key = name.lowercased()
                let suggestion = NearMiss.nearest(key, among: apiNames, maximum: 3)
                throw .unknownStatus(name, suggestion: suggestion)
            }
            if !result.contains(api) { result.append(api) }
        }
        return result
    }

    /// The finished statuses (the default of `wait`).
    static var finished: [String] { conventions.taskStatuses.filter { $0.category == .finished }.map(\.apiName) }

    /// The display names of the statuses in which the server accepts a task action (§5.2).
    static func statusesAllowing(_ action: String) -> [String] {
        TaskAction(rawValue: action).map(conventions.documentedStatuses(for:)) ?? []
    }
}
