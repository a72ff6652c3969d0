import AOClient

/// Status colours for tables, by the category of the status in the client's conventions
/// (`APIConventions.taskStatuses`, REFERENCE §4.1).
public enum StatusStyle {
    /// The SGR parameters for `status` (any spelling the conventions accept): scheduled blue;
    /// active cyan, with Waiting for Input bold magenta and In Progress (with Error) bold
    /// yellow (they want attention); completed green, failed red, canceled grey. A status the
    /// conventions do not know is not coloured.
    public static func sgr(for status: String, conventions: APIConventions = .default) -> String? {
        guard let info = conventions.taskStatus(named: status) else { return nil }
        switch info.apiName {
        case "waitingResponse": return "1;35"
        case "abnormalDetected": return "1;33"
        case "completed": return "32"
        case "failed": return "31"
        case "canceled": return "90"
        default:
            switch info.category {
            case .scheduled: return "34"
            case .active: return "36"
            case .finished: return nil
            }
        }
    }
}

/// Looks statuses up once per rendering (a table repeats the same few statuses).
struct StatusColours {
    private var known: [String: String?] = [:]

    mutating func sgr(for status: String) -> String? {
        if let cached = known[status] { return cached }
        let sgr = StatusStyle.sgr(for: status)
        known[status] = .some(sgr)
        return sgr
    }
}
