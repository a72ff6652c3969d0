import AOClient
import Foundation
import ATSJSON

/// One member value of a resource, as the list options (filter, sort, fields) see it.
enum FieldValue: Sendable {
    case null
    case string(String)
    case int(Int)
    case bool(Bool)
    /// An ISO8601String member: milliseconds since the epoch.
    case date(Int64)

    init(_ s: String?) { self = s.map { .string($0) } ?? .null }
    init(_ i: Int?) { self = i.map { .int($0) } ?? .null }
    init(date: Int64?) { self = date.map { .date($0) } ?? .null }
}

/// What rendering needs besides the object: the server's zone, the status strings, the
/// base URL of hrefs (taken from the request), the quirks, the actions each status allows.
struct RenderContext {
    var offsetSeconds: Int
    var statusStrings: TaskStatusStrings
    var baseURL: String
    var quirks: Set<SimulatorQuirk>
    /// `supportedActionType` of a task, indexed by its status's raw value.
    var supportedActions: [String]

    func json(_ v: FieldValue) -> JSON {
        switch v {
        case .null: return .null
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .bool(let b): return .bool(b)
        case .date(let ms): return .string(SimTime.format(ms, offsetSeconds: offsetSeconds))
        }
    }

    /// `http://host:port/Automation/v1` + `path`.
    func url(_ path: String) -> String { baseURL + "/Automation/v1" + path }
}

/// A listable resource: its members in output order, and one accessor used for rendering,
/// filtering and sorting alike.
protocol SimResource {
    associatedtype Member: RawRepresentable<String>, CaseIterable, Hashable
    func value(_ member: Member, _ ctx: RenderContext) -> FieldValue
    /// Texts that `q` searches (case-insensitively).
    func searchTexts(_ ctx: RenderContext) -> [String]
}

extension SimResource {
    func render(_ ctx: RenderContext, fields: [Member]? = nil) -> JSON {
        var o = JSONObject()
        for m in fields ?? Array(Member.allCases) { o.appendUnchecked(key: m.rawValue, value: ctx.json(value(m, ctx))) }
        return .object(o)
    }
}

/// How a service runs: deterministic steps (reference §7.2 "task engine").
public struct TaskScript: Sendable, Hashable {
    /// Length of each step in milliseconds (at speed 1).
    public var stepMilliseconds: [Int64]
    /// The step (0-based) at which the task waits for a response, if any.
    public var waitForInputAtStep: Int?
    /// The step (0-based) that fails: the task shows In Progress (with Error) during it and
    /// ends Failed after it. A retry clears the failure.
    public var failAtStep: Int?
    /// Past this running time the task shows Long Running.
    public var expectedMilliseconds: Int64?
    /// The question asked at the waiting step and its answer buttons (1 continues, others fail the step).
    public var question: String
    public var buttons: [String]

    public init(
        stepMilliseconds: [Int64], waitForInputAtStep: Int? = nil, failAtStep: Int? = nil,
        expectedMilliseconds: Int64? = nil, question: String = "Continue?", buttons: [String] = ["Continue", "Cancel"]
    ) {
        self.stepMilliseconds = stepMilliseconds
        self.waitForInputAtStep = waitForInputAtStep
        self.failAtStep = failAtStep
        self.expectedMilliseconds = expectedMilliseconds
        self.question = question
        self.buttons = buttons
    }

    /// The same script with every length divided by `speed`.
    func scaled(_ speed: Double) -> TaskScript {
        guard speed > 0, speed != 1 else { return self }
        var s = self
        s.stepMilliseconds = stepMilliseconds.map { max(1, Int64((Double($0) / speed).rounded())) }
        s.expectedMilliseconds = expectedMilliseconds.map { max(1, Int64((Double($0) / speed).rounded())) }
        return s
    }
}

struct SimServiceGroup: SimResource {
    var id: Int
    var objectID: String
    var name: String
    var description: String

    enum Member: String, CaseIterable { case instanceID, objectID, name, description }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .objectID: return .string(objectID)
        case .name: return .string(name)
        case .description: return .string(description)
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [name, description] }
}

struct SimTagGroup: SimResource {
    var id: Int
    var name: String
    var tags: [String]

    enum Member: String, CaseIterable { case instanceID, name, tags }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .name: return .string(name)
        case .tags: return .string(tags.joined(separator: ","))
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [name] + tags }
}

struct SimTag: SimResource {
    var id: Int
    var name: String
    var tagGroupName: String

    enum Member: String, CaseIterable { case instanceID, name, tagGroupName }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .name: return .string(name)
        case .tagGroupName: return .string(tagGroupName)
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [name, tagGroupName] }
}

struct SimTemplate: SimResource {
    var id: Int
    var keyName: String
    var displayName: String
    var vendorID: String
    var version: String
    var vendorName: String
    var tags: String
    var createTime: Int64
    var modifyTime: Int64
    var description: String
    var releaseState: String
    var latest: Bool
    var supportedScheduleType: String
    var script: TaskScript
    var usedServices: Int = 0
    var usedTemplates: Int = 0

    enum Member: String, CaseIterable {
        case instanceID, keyName, displayName, iconURL, vendorID, version, vendorName, tags, createTime, modifyTime
        case description, releaseState, latest, imageURL, supportedScheduleType, needVUP, componentOutdated
        case usedServices, usedTemplates, disableFeatures, supportedActionType
    }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .keyName: return .string(keyName)
        case .displayName: return .string(displayName)
        case .iconURL: return .string(ctx.baseURL + "/Automation/icons/\(keyName).png")
        case .vendorID: return .string(vendorID)
        case .version: return .string(version)
        case .vendorName: return .string(vendorName)
        case .tags: return .string(tags)
        case .createTime: return .date(createTime)
        case .modifyTime: return .date(modifyTime)
        case .description: return .string(description)
        case .releaseState: return .string(releaseState)
        case .latest: return .bool(latest)
        case .imageURL: return .string(ctx.baseURL + "/Automation/images/\(keyName).png")
        case .supportedScheduleType: return .string(supportedScheduleType)
        case .needVUP: return .bool(false)
        case .componentOutdated: return .bool(false)
        case .usedServices: return .int(usedServices)
        case .usedTemplates: return .int(usedTemplates)
        case .disableFeatures: return .string("")
        case .supportedActionType: return .string("delete,export,detailhelp,bind")
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [displayName, keyName, description, tags, vendorName] }
}

/// Service states (reference §4.2); V11+ writes `test` for the V10 `debug`.
enum ServiceState: String, CaseIterable {
    case release, test, maintenance, disabled
}

struct SimService: SimResource {
    var id: Int
    var name: String
    var description: String
    var tags: String
    var templateID: Int
    var templateName: String
    var vendorName: String
    var version: String
    var createTime: Int64
    var modifyTime: Int64
    var state: ServiceState
    var groupID: Int
    var groupName: String
    var lastSubmitTime: Int64?
    var favorite: Bool = false
    var failedCount = 0, completedCount = 0, executedCount = 0, submitCount = 0
    var lastFailedTime: Int64?
    var resetTime: Int64?
    var supportedScheduleType: String
    var script: TaskScript
    /// The service's current input values (ids of PropertyValue records).
    var propertyValueIDs: [Int] = []

    enum Member: String, CaseIterable {
        case instanceID, name, description, tags, serviceTemplateName, createTime, modifyTime, serviceState
        case serviceGroupName, iconURL, vendorName, version, lastSubmitTime, favorite, failedCount, completedCount
        case executedCount, submitCount, lastFailedTime, resetTime, latest, imageURL, supportedScheduleType
        case serviceTemplateID, serviceGroupID, supportedActionType
    }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .name: return .string(name)
        case .description: return .string(description)
        case .tags: return .string(tags)
        case .serviceTemplateName: return .string(templateName)
        case .createTime: return .date(createTime)
        case .modifyTime: return .date(modifyTime)
        case .serviceState: return .string(state.rawValue)
        case .serviceGroupName: return .string(groupName)
        case .iconURL: return .string(ctx.baseURL + "/Automation/icons/service\(templateID).png")
        case .vendorName: return .string(vendorName)
        case .version: return .string(version)
        case .lastSubmitTime: return FieldValue(date: lastSubmitTime)
        case .favorite: return .bool(favorite)
        case .failedCount: return .int(failedCount)
        case .completedCount: return .int(completedCount)
        case .executedCount: return .int(executedCount)
        case .submitCount: return .int(submitCount)
        case .lastFailedTime: return FieldValue(date: lastFailedTime)
        case .resetTime: return FieldValue(date: resetTime)
        case .latest: return .bool(true)
        case .imageURL: return .string(ctx.baseURL + "/Automation/images/service\(templateID).png")
        case .supportedScheduleType: return .string(supportedScheduleType)
        case .serviceTemplateID: return .int(templateID)
        case .serviceGroupID: return .int(groupID)
        case .supportedActionType:
            return .string("update,submit,detailhelp,delete,reset,release,maintenance,disable")
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [name, description, tags, templateName, vendorName] }
}

/// Schedule kinds (reference §4.3).
enum ScheduleType: String {
    case immediate, schedule, recurrence
}

/// Recurrence settings of a schedule (simulator choice of §4.3).
struct Recurrence: Hashable {
    var interval: String  // daily | weekly | monthly
    var minutes: Int?  // hourly step for daily
    var dayOfWeek: String?
    var dayOfMonth: String?
    var lastDayOfMonth: Bool
    var startDate: String?
    var time: String?

    /// The time between two runs (monthly is approximated as 30 days).
    var periodMilliseconds: Int64 {
        switch interval {
        case "weekly": return 7 * 86_400_000
        case "monthly": return 30 * 86_400_000
        default:
            if let m = minutes, m > 0 { return Int64(m) * 60_000 }
            return 86_400_000
        }
    }
}

struct SimSchedule: SimResource {
    var id: Int
    var name: String
    var submitter: String
    var type: ScheduleType
    var createTime: Int64
    var modifyTime: Int64
    var description: String
    var scheduledStartTime: Int64?
    var recurrence: Recurrence?
    var serviceID: Int
    var serviceState: ServiceState
    var groupID: Int
    var templateID: Int
    /// The task waiting for this schedule's next run, if any.
    var pendingTaskID: Int?
    /// The status string of the schedule (mirrors the pending task; `completed` when none).
    var statusText: String = "completed"

    enum Member: String, CaseIterable {
        case instanceID, name, submitter, status, scheduleType, createTime, modifyTime, description
        case scheduledStartTime, recurrenceInterval, recurrenceDayOfWeek, recurrenceDayOfMonth
        case recurrenceLastDayOfMonth, recurrenceStartDate, recurrenceTime, serviceState, serviceID
    }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .name: return .string(name)
        case .submitter: return .string(submitter)
        case .status: return .string(statusText)
        case .scheduleType: return .string(type.rawValue)
        case .createTime: return .date(createTime)
        case .modifyTime: return .date(modifyTime)
        case .description: return .string(description)
        case .scheduledStartTime: return FieldValue(date: scheduledStartTime)
        case .recurrenceInterval: return FieldValue(recurrence?.interval)
        case .recurrenceDayOfWeek: return FieldValue(recurrence?.dayOfWeek)
        case .recurrenceDayOfMonth: return FieldValue(recurrence?.dayOfMonth)
        case .recurrenceLastDayOfMonth: return recurrence.map { .bool($0.lastDayOfMonth) } ?? .null
        case .recurrenceStartDate: return FieldValue(recurrence?.startDate)
        case .recurrenceTime: return FieldValue(recurrence?.time)
        case .serviceState: return .string(serviceState.rawValue)
        case .serviceID: return .int(serviceID)
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [name, submitter, description] }
}

/// Where a task is in its script. Only the engine reads and writes it.
enum EngineState: Hashable {
    /// Waiting for `startAt` (scheduled or recurring).
    case pending(startAt: Int64)
    /// Frozen: Suspended, or a status set by the test hook. No time event.
    case held
    /// Running step `step` since `since`.
    case running(step: Int, since: Int64)
    /// Waiting for a response at `step`.
    case waitingForInput(step: Int)
    /// Stopping; becomes `outcome` at `until`.
    case terminating(until: Int64, outcome: TaskStatus)
    /// Completed, Failed or Canceled.
    case finished
}

struct SimTask: SimResource {
    let id: Int
    var name: String
    var status: TaskStatus
    var startTime: Int64?
    var completionTime: Int64?
    var scheduledStartTime: Int64?
    var submitter: String
    var submitTime: Int64
    var modifyTime: Int64
    var serviceState: ServiceState
    var scheduleType: ScheduleType
    var description: String
    var serviceName: String
    var tags: String
    var recurrence: Recurrence?
    var groupName: String
    var toDo: Bool = false
    var notes: String = ""
    var stepTime: Int64?
    var templateID: Int
    var scheduleID: Int?
    var groupID: Int
    var serviceID: Int
    /// A task of a service in the `test` state: DELETE removes it (204) instead of 303.
    var debug: Bool
    var script: TaskScript
    var engine: EngineState
    /// Step reached when the task stopped, failed or was answered (for retries and logs).
    var currentStep: Int = 0
    /// The step that failed (for rerunStart / rerunStepStart).
    var failedStep: Int?
    /// Set by a retry: the scripted failure does not happen again.
    var failureCleared = false
    /// Set by a response: the scripted wait does not happen again.
    var inputAnswered = false
    /// Generation of the queued time event (stale heap entries are skipped).
    var eventGeneration = 0
    /// Ids of this task's PropertyValue records (inputs, then outputs).
    var propertyValueIDs: [Int] = []

    enum Member: String, CaseIterable {
        case instanceID, name, status, startTime, completionTime, scheduledStartTime, submitter, submitTime
        case modifyTime, serviceState, scheduleType, description, serviceName, tags, recurrenceInterval
        case recurrenceTime, recurrenceStartDate, serviceGroupName, toDo, notes, stepTime, serviceTemplateID
        case scheduleID, serviceGroupID, serviceID, supportedActionType
    }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .name: return .string(name)
        case .status: return .string(ctx.statusStrings.string(for: status))
        case .startTime: return FieldValue(date: startTime)
        case .completionTime: return FieldValue(date: completionTime)
        case .scheduledStartTime: return FieldValue(date: scheduledStartTime)
        case .submitter: return .string(submitter)
        case .submitTime: return .date(submitTime)
        case .modifyTime: return .date(modifyTime)
        case .serviceState: return .string(serviceState.rawValue)
        case .scheduleType: return .string(scheduleType.rawValue)
        case .description: return .string(description)
        case .serviceName: return .string(serviceName)
        case .tags: return .string(tags)
        case .recurrenceInterval: return FieldValue(recurrence?.interval)
        case .recurrenceTime: return FieldValue(recurrence?.time)
        case .recurrenceStartDate: return FieldValue(recurrence?.startDate)
        case .serviceGroupName: return .string(groupName)
        case .toDo: return .bool(toDo)
        case .notes: return .string(notes)
        case .stepTime: return FieldValue(date: stepTime)
        case .serviceTemplateID: return .int(templateID)
        case .scheduleID: return FieldValue(scheduleID)
        case .serviceGroupID: return .int(groupID)
        case .serviceID: return .int(serviceID)
        case .supportedActionType: return .string(ctx.supportedActions[status.rawValue])
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [name, submitter, description, serviceName, tags, notes] }
}

struct SimHistory: SimResource {
    var task: SimTask
    var archiveTime: Int64

    enum Member: String, CaseIterable {
        case instanceID, name, submitter, serviceName, tags, scheduleType, scheduledStartTime, startTime
        case completionTime, stepStartTime, recurrenceInterval, recurrenceDayOfWeek, recurrenceDayOfMonth
        case recurrenceLastDayOfMonth, recurrenceTime, archiveTime, taskID, submitTime, recurrenceStartDate
        case status, description, serviceState, toDo, notes, serviceGroupName, serviceGroupID
    }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID, .taskID: return .int(task.id)
        case .name: return .string(task.name)
        case .submitter: return .string(task.submitter)
        case .serviceName: return .string(task.serviceName)
        case .tags: return .string(task.tags)
        case .scheduleType: return .string(task.scheduleType.rawValue)
        case .scheduledStartTime: return FieldValue(date: task.scheduledStartTime)
        case .startTime: return FieldValue(date: task.startTime)
        case .completionTime: return FieldValue(date: task.completionTime)
        case .stepStartTime: return FieldValue(date: task.stepTime)
        case .recurrenceInterval: return FieldValue(task.recurrence?.interval)
        case .recurrenceDayOfWeek: return FieldValue(task.recurrence?.dayOfWeek)
        case .recurrenceDayOfMonth: return FieldValue(task.recurrence?.dayOfMonth)
        case .recurrenceLastDayOfMonth: return task.recurrence.map { .bool($0.lastDayOfMonth) } ?? .null
        case .recurrenceTime: return FieldValue(task.recurrence?.time)
        case .archiveTime: return .date(archiveTime)
        case .submitTime: return .date(task.submitTime)
        case .recurrenceStartDate: return FieldValue(task.recurrence?.startDate)
        case .status: return .string(ctx.statusStrings.string(for: task.status))
        case .description: return .string(task.description)
        case .serviceState: return .string(task.serviceState.rawValue)
        case .toDo: return .bool(task.toDo)
        case .notes: return .string(task.notes)
        case .serviceGroupName: return .string(task.groupName)
        case .serviceGroupID: return .int(task.groupID)
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] {
        [task.name, task.submitter, task.serviceName, task.tags, task.description, task.notes]
    }
}

struct SimPropertyDefinition: SimResource {
    var id: Int
    var templateID: Int
    var keyName: String
    var displayName: String
    var defaultValue: String
    var type: String
    var description: String
    var mode: String  // in | out
    var required: Bool
    var valueList: String?
    var groupName: String
    var minValue: Int?
    var maxValue: Int?
    var maxLength: Int?

    enum Member: String, CaseIterable {
        case instanceID, keyName, displayName, defaultValue, type, visibility, scope, description, mode, required
        case maxLength, minLength, minValue, maxValue, pattern, valueList, propertyGroupName, validationScript
        case readOnly, hidden, reference, serviceTemplateID
    }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .keyName: return .string(keyName)
        case .displayName: return .string(displayName)
        case .defaultValue: return .string(defaultValue)
        case .type: return .string(type)
        case .visibility: return .string("visible")
        case .scope: return .string("service")
        case .description: return .string(description)
        case .mode: return .string(mode)
        case .required: return .bool(required)
        case .maxLength: return FieldValue(maxLength)
        case .minLength: return .null
        case .minValue: return FieldValue(minValue)
        case .maxValue: return FieldValue(maxValue)
        case .pattern: return .null
        case .valueList: return FieldValue(valueList)
        case .propertyGroupName: return .string(groupName)
        case .validationScript: return .null
        case .readOnly: return .bool(mode == "out")
        case .hidden: return .bool(false)
        case .reference: return .bool(false)
        case .serviceTemplateID: return .int(templateID)
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [keyName, displayName, description] }
}

struct SimPropertyValue: SimResource {
    var id: Int
    var type: String
    var keyName: String
    var value: String
    var readOnly: Bool
    var hidden: Bool
    var serviceID: Int?
    var scheduleID: Int?
    var taskID: Int?
    var definitionID: Int?

    enum Member: String, CaseIterable {
        case instanceID, type, keyName, value, readOnly, hidden, serviceID, scheduleID, taskID
    }
    func value(_ m: Member, _ ctx: RenderContext) -> FieldValue {
        switch m {
        case .instanceID: return .int(id)
        case .type: return .string(type)
        case .keyName: return .string(keyName)
        case .value: return .string(value)
        case .readOnly: return .bool(readOnly)
        case .hidden: return .bool(hidden)
        case .serviceID: return FieldValue(serviceID)
        case .scheduleID: return FieldValue(scheduleID)
        case .taskID: return FieldValue(taskID)
        }
    }
    func searchTexts(_ ctx: RenderContext) -> [String] { [keyName, value] }
}
