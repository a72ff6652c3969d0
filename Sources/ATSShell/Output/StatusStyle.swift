/// The category of a task status (REFERENCE §4.1): what the colour of a `status` cell says.
///
/// Kept here until the client's `APIConventions` table lands on main; the spellings accepted
/// are the reference's "likely API string" and "alternatives" columns and the display names.
enum TaskStatusCategory: String, Sendable, Hashable, CaseIterable {
    /// Waiting, Suspended (Holding): not started yet.
    case scheduled
    /// In Progress, Waiting for Input, In Progress (with Error), Terminating, Long Running.
    case active
    /// Completed, Failed, Canceled.
    case finished
}

/// Status colours for tables.
public enum StatusStyle {
    /// The canonical API string of `status` (any accepted spelling, case-insensitive), or `nil`.
    static func canonical(_ status: String) -> String? {
        aliases[normalise(status)]
    }

    /// The category of `status`, or `nil` for a status the shell does not know.
    static func category(of status: String) -> TaskStatusCategory? {
        canonical(status).flatMap { categories[$0] }
    }

    /// The SGR parameters for `status`: scheduled blue; active cyan, with Waiting for Input
    /// bold magenta and In Progress (with Error) bold yellow (they want attention); completed
    /// green, failed red, canceled grey. Unknown statuses are not coloured.
    public static func sgr(for status: String) -> String? {
        guard let canonical = canonical(status) else { return nil }
        switch canonical {
        case "waitingResponse": return "1;35"
        case "abnormalDetected": return "1;33"
        case "completed": return "32"
        case "failed": return "31"
        case "canceled": return "90"
        default:
            switch categories[canonical] {
            case .scheduled?: return "34"
            case .active?: return "36"
            case .finished?, nil: return nil
            }
        }
    }

    private static func normalise(_ s: String) -> String {
        String(s.lowercased().filter { $0.isLetter })
    }

    /// Canonical API string → category (REFERENCE §4.1).
    private static let categories: [String: TaskStatusCategory] = [
        "waiting": .scheduled, "holding": .scheduled,
        "inProgress": .active, "waitingResponse": .active, "abnormalDetected": .active,
        "terminating": .active, "longRunning": .active,
        "completed": .finished, "failed": .finished, "canceled": .finished,
    ]

    /// Every accepted spelling, normalised (lower case, letters only) → canonical API string.
    private static let aliases: [String: String] = {
        let spellings: [String: [String]] = [
            "waiting": ["Waiting"],
            "holding": ["suspended", "Holding"],
            "inProgress": ["running", "In Progress", "Now running"],
            "waitingResponse": [
                "waitingForResponse", "waitingInput", "WAITING_RESPONSE", "Waiting for Input",
                "Waiting for Response",
            ],
            "abnormalDetected": [
                "abnormalDetection", "inProgressWithError", "In Progress (with Error)", "Abnormality detected",
            ],
            "terminating": ["stopping", "terminated", "In Progress (Terminating)"],
            "longRunning": ["Long Running"],
            "completed": ["Completed"],
            "failed": ["Failed"],
            "canceled": ["cancelled", "Canceled"],
        ]
        var table: [String: String] = [:]
        for (canonical, others) in spellings {
            table[normalise(canonical)] = canonical
            for other in others { table[normalise(other)] = canonical }
        }
        return table
    }()
}
