/// Everything about the API that the manual leaves uncertain ([U]/[I] in the reference),
/// in one configurable value: task status strings and their aliases (§4.1), the status
/// categories, which statuses each action accepts (§5.2), and the name of the paging
/// parameter. Use `APIConventions.default`, or a corrected copy once a real server is seen.
public struct APIConventions: Sendable {
    /// The task statuses, in life-cycle order.
    public var taskStatuses: [TaskStatusInfo]
    /// Which task statuses each task action accepts.
    public var taskActionRules: [TaskAction: StatusRule]
    /// Which task statuses (of the schedule's pending task) each schedule action accepts.
    public var scheduleActionRules: [ScheduleAction: StatusRule]
    /// The query parameter for the maximum number of items (reference §1.8, [U]).
    public var limitParameter: String

    /// A set of conventions; start from `.default` and change what a real server shows.
    public init(
        taskStatuses: [TaskStatusInfo], taskActionRules: [TaskAction: StatusRule],
        scheduleActionRules: [ScheduleAction: StatusRule], limitParameter: String
    ) {
        self.taskStatuses = taskStatuses
        self.taskActionRules = taskActionRules
        self.scheduleActionRules = scheduleActionRules
        self.limitParameter = limitParameter
    }

    /// The table of reference §4.1 and §5.2 as currently understood.
    public static let `default` = APIConventions(
        taskStatuses: [
            TaskStatusInfo("waiting", "Waiting", v10: "Waiting", .scheduled),
            TaskStatusInfo("holding", "Suspended", v10: "Holding", .scheduled, aliases: ["suspended"]),
            TaskStatusInfo("inProgress", "In Progress", v10: "Now running", .active, aliases: ["running"]),
            TaskStatusInfo(
                "waitingResponse", "Waiting for Input", v10: "Waiting for Response", .active,
                aliases: ["waitingForResponse", "waitingInput", "waitingForInput", "WAITING_RESPONSE"]),
            TaskStatusInfo(
                "abnormalDetected", "In Progress (with Error)", v10: "Abnormal Detection", .active,
                aliases: ["abnormalDetection", "inProgressWithError", "Abnormality detected"]),
            TaskStatusInfo(
                "terminating", "In Progress (Terminating)", v10: nil, .active, aliases: ["stopping", "terminated"]),
            TaskStatusInfo("longRunning", "Long Running", v10: nil, .active),
            TaskStatusInfo("completed", "Completed", v10: "Completed", .finished),
            TaskStatusInfo("failed", "Failed", v10: "Failed", .finished),
            TaskStatusInfo("canceled", "Canceled", v10: "Canceled", .finished, aliases: ["cancelled"]),
        ],
        taskActionRules: [
            .stop: StatusRule(
                documented: ["inProgress", "waitingResponse", "abnormalDetected"], alsoAllowed: ["longRunning"]),
            .forceStop: StatusRule(
                documented: ["inProgress", "waitingResponse", "abnormalDetected"],
                alsoAllowed: ["terminating", "longRunning"]),
            .response: StatusRule(documented: ["waitingResponse"]),
            .rerunStart: StatusRule(documented: ["failed"]),
            .rerunStepStart: StatusRule(documented: ["failed"]),
            .resubmit: StatusRule(documented: ["completed", "failed", "canceled"]),
            .archive: StatusRule(documented: ["completed", "failed", "canceled"]),
        ],
        scheduleActionRules: [
            .cancel: StatusRule(documented: ["waiting", "holding"], alsoAllowed: ["canceled"]),
            .suspend: StatusRule(documented: ["waiting"], alsoAllowed: ["holding"]),
            .resume: StatusRule(documented: ["holding"], alsoAllowed: ["waiting"]),
        ],
        limitParameter: "HQL::limit")

    /// The status that `name` denotes: an API string, a display name ("Waiting for Input"),
    /// a V10 name or an alias; case, spaces, `_`, `-` and parentheses are ignored.
    public func taskStatus(named name: String) -> TaskStatusInfo? {
        let key = Self.normalise(name)
        if key.isEmpty { return nil }
        return taskStatuses.first { $0.matchKeys.contains(key) }
    }

    /// The API string for `name`, or `name` unchanged when it is not a known status.
    public func canonicalStatus(_ name: String) -> String {
        taskStatus(named: name)?.apiName ?? name
    }

    /// The display name for a status string, or the string unchanged when unknown.
    public func displayName(ofStatus name: String) -> String {
        taskStatus(named: name)?.displayName ?? name
    }

    /// The category of a status string (for colouring); `nil` when unknown.
    public func category(ofStatus name: String) -> StatusCategory? {
        taskStatus(named: name)?.category
    }

    /// Whether `action` is expected to be accepted for a task in `status`; `nil` when the
    /// status is unknown. Advisory only: the server's 409 is the final word.
    public func accepts(_ action: TaskAction, status: String) -> Bool? {
        guard let info = taskStatus(named: status), let rule = taskActionRules[action] else { return nil }
        return rule.allows(info.apiName)
    }

    /// Whether a schedule action is expected to be accepted while its task is in `status`.
    public func accepts(_ action: ScheduleAction, status: String) -> Bool? {
        guard let info = taskStatus(named: status), let rule = scheduleActionRules[action] else { return nil }
        return rule.allows(info.apiName)
    }

    /// The display names of the statuses the manual documents for a task action.
    public func documentedStatuses(for action: TaskAction) -> [String] {
        (taskActionRules[action]?.documented ?? []).map(displayName(ofStatus:))
    }

    /// The display names of the statuses the manual documents for a schedule action.
    public func documentedStatuses(for action: ScheduleAction) -> [String] {
        (scheduleActionRules[action]?.documented ?? []).map(displayName(ofStatus:))
    }

    static func normalise(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() where ch.isLetter || ch.isNumber { out.append(ch) }
        return out
    }
}

/// One task status with all the names it goes by.
public struct TaskStatusInfo: Sendable, Hashable {
    /// The API string (`inProgress`).
    public var apiName: String
    /// The V11+ GUI name (`In Progress`).
    public var displayName: String
    /// The V10 GUI name, where different releases used one.
    public var v10Name: String?
    /// Other spellings accepted on input and from servers.
    public var aliases: [String]
    /// Scheduled, active or finished.
    public var category: StatusCategory

    /// One status: API string, GUI name, V10 name, category, further aliases.
    public init(_ apiName: String, _ displayName: String, v10: String?, _ category: StatusCategory, aliases: [String] = []) {
        self.apiName = apiName
        self.displayName = displayName
        self.v10Name = v10
        self.aliases = aliases
        self.category = category
    }

    var matchKeys: Set<String> {
        var keys: Set<String> = [APIConventions.normalise(apiName), APIConventions.normalise(displayName)]
        if let v10Name { keys.insert(APIConventions.normalise(v10Name)) }
        for a in aliases { keys.insert(APIConventions.normalise(a)) }
        return keys
    }
}

/// The three groups of task statuses (reference §4.1), e.g. for colouring.
public enum StatusCategory: String, Sendable, Hashable, CaseIterable {
    /// Waiting or suspended: not started yet.
    case scheduled
    /// Running in some form.
    case active
    /// Completed, failed or canceled: can be archived.
    case finished
}

/// Which statuses an action accepts: those the manual names (used in messages) and those
/// the GUI also allows (accepted, not advertised).
public struct StatusRule: Sendable, Hashable {
    /// API strings named by the manual's 409 text.
    public var documented: [String]
    /// Further API strings that are expected to work.
    public var alsoAllowed: [String]

    /// A rule: the statuses the manual names, plus those also expected to work.
    public init(documented: [String], alsoAllowed: [String] = []) {
        self.documented = documented
        self.alsoAllowed = alsoAllowed
    }

    /// True when `apiName` is documented or also allowed.
    public func allows(_ apiName: String) -> Bool {
        documented.contains(apiName) || alsoAllowed.contains(apiName)
    }
}

/// The actions of a task (reference §2.4).
public enum TaskAction: String, Sendable, Hashable, CaseIterable {
    case stop, forceStop, resubmit, response, rerunStart, rerunStepStart, archive

    /// Words for messages: "force stop".
    public var displayName: String {
        switch self {
        case .stop: return "stop"
        case .forceStop: return "force stop"
        case .resubmit: return "resubmit"
        case .response: return "respond"
        case .rerunStart: return "retry from the failed step"
        case .rerunStepStart: return "retry from the next step"
        case .archive: return "archive"
        }
    }
}

/// The actions of a schedule (reference §2.3).
public enum ScheduleAction: String, Sendable, Hashable, CaseIterable {
    case cancel, suspend, resume

    /// Words for messages.
    public var displayName: String {
        switch self {
        case .cancel: return "cancel"
        case .suspend: return "suspend"
        case .resume: return "resume"
        }
    }
}

/// The actions of a service (reference §2.2).
public enum ServiceAction: String, Sendable, Hashable, CaseIterable {
    case submit, reset, release, maintenance, disable, detailhelp, applyTemplate

    /// Words for messages.
    public var displayName: String {
        switch self {
        case .applyTemplate: return "change the template version of"
        case .submit: return "submit"
        case .reset: return "reset the counters of"
        case .release: return "release"
        case .maintenance: return "put into maintenance"
        case .disable: return "disable"
        case .detailhelp: return "get the help URL of"
        }
    }
}

/// The actions of a service template (reference §2.1).
public enum ServiceTemplateAction: String, Sendable, Hashable, CaseIterable {
    case export, detailhelp, bind

    /// Words for messages.
    public var displayName: String {
        switch self {
        case .export: return "export"
        case .detailhelp: return "get the help URL of"
        case .bind: return "create a service from"
        }
    }
}
