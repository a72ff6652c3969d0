import ATSLanguage

/// The kinds of objects the API returns (REFERENCE §3), recognised by the members present,
/// and the columns a table shows for each.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable {
    /// Tasks (§3.1) and task histories (§3.2).
    case task, taskHistory
    /// Services (§3.3), service templates (§3.4), schedules (§3.5).
    case service, serviceTemplate, schedule
    /// Property definitions (§3.6) and values (§3.7).
    case propertyDefinition, propertyValue
    /// Service groups, tag groups, tags (§3.8).
    case serviceGroup, tagGroup, tag
    /// Action templates and job results (§1.10).
    case action, job
    /// The current user (§3.9) and the server version (§3.10).
    case user, version
    /// Error values (their script-visible fields).
    case error

    /// The columns of a table of this kind, in order.
    public var columns: [String] {
        switch self {
        case .task: ["instanceID", "name", "status", "serviceName", "submitTime", "completionTime"]
        case .taskHistory: ["instanceID", "taskID", "name", "status", "serviceName", "completionTime", "archiveTime"]
        case .service: ["instanceID", "name", "serviceState", "serviceGroupName", "version", "lastSubmitTime"]
        case .serviceTemplate: ["instanceID", "keyName", "displayName", "version", "releaseState", "vendorName"]
        case .schedule: ["instanceID", "name", "status", "scheduleType", "scheduledStartTime", "recurrenceInterval", "recurrenceTime"]
        case .propertyDefinition: ["instanceID", "keyName", "displayName", "type", "mode", "required", "defaultValue"]
        case .propertyValue: ["instanceID", "keyName", "value", "type", "readOnly"]
        case .serviceGroup: ["instanceID", "objectID", "name", "description"]
        case .tagGroup: ["instanceID", "name", "tags"]
        case .tag: ["instanceID", "name", "tagGroupName"]
        case .action: ["name", "method", "parameters", "href"]
        case .job: ["instanceID", "state", "created", "completed", "affectedResource"]
        case .user: ["userName", "fullName", "email", "accessPermission"]
        case .version: ["productName", "productVersion", "apiVersion"]
        case .error: ["kind", "status", "messageID", "message"]
        }
    }

    /// The kind an object with these member names is, or `nil` for anything else.
    /// The order of the checks matters: histories before tasks, definitions before values.
    public static func recognise(_ keys: some Collection<String>) -> ResourceKind? {
        let has = Set(keys)
        func any(_ names: String...) -> Bool { names.contains { has.contains($0) } }
        if any("archiveTime") || (has.contains("taskID") && has.contains("status")) { return .taskHistory }
        if has.contains("status") && any("serviceName", "submitTime", "completionTime", "scheduleID") { return .task }
        if any("serviceTemplateName", "submitCount", "executedCount", "lastSubmitTime") { return .service }
        if has.contains("keyName") && any("vendorID", "releaseState", "needVUP") { return .serviceTemplate }
        if has.contains("scheduleType") && any("createTime", "serviceID") { return .schedule }
        if has.contains("keyName") && any("mode", "scope", "visibility", "defaultValue", "propertyGroupName") {
            return .propertyDefinition
        }
        if has.contains("keyName") && has.contains("value") { return .propertyValue }
        if has.contains("objectID") && has.contains("name") { return .serviceGroup }
        if has.contains("tagGroupName") { return .tag }
        if has.contains("href") && has.contains("method") { return .action }
        if has.contains("state") && any("affectedResources", "affectedResource", "created", "completed") { return .job }
        if has.contains("userName") && has.contains("accessPermission") { return .user }
        if has.contains("productName") && has.contains("apiVersion") { return .version }
        if has.contains("kind") && has.contains("message") { return .error }
        if has.contains("tags") && has.contains("name") && has.count <= 4 { return .tagGroup }
        return nil
    }
}

/// The columns a table of `objects` shows.
enum ColumnChoice {
    /// Unrecognised objects: the union of the keys of the first objects, in first-seen order.
    static let sampledObjects = 20
    /// At most this many columns for unrecognised objects.
    static let maximumGenericColumns = 10

    /// The kind (when every sampled object is the same kind) and the columns.
    static func columns(for objects: [ValueObject]) -> (kind: ResourceKind?, columns: [String]) {
        let sample = objects.prefix(sampledObjects)
        guard let first = sample.first else { return (nil, []) }
        let kind = ResourceKind.recognise(first.keys)
        if let kind, sample.allSatisfy({ ResourceKind.recognise($0.keys) == kind }) {
            // The kind's columns that at least one object has (a field selection may drop some).
            let present = kind.columns.filter { column in sample.contains { $0[column] != nil } }
            return (kind, present.isEmpty ? kind.columns : present)
        }
        return (nil, Array(unionOfKeys(sample).prefix(maximumGenericColumns)))
    }

    /// Every key of `objects`, in first-seen order (CSV uses all of them).
    static func unionOfKeys(_ objects: some Sequence<ValueObject>) -> [String] {
        var seen = Set<String>()
        var keys: [String] = []
        for object in objects {
            for key in object.keys where seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }
}
