import ATSJSON

/// What to set in a submit (2.5.7) or resubmit (2.7.11) template: the Schedule object
/// (task name, description, when) and PropertyValue objects by `keyName`.
public struct SubmitRequest: Sendable, Hashable {
    /// The task name (`Schedule.name`); `nil` keeps the template's.
    public var taskName: String?
    /// The task description; `nil` keeps the template's.
    public var description: String?
    /// When to run; `nil` keeps the template's schedule.
    public var schedule: ScheduleSpec?
    /// Property values by `keyName`, in order.
    public var properties: [PropertySetting]

    /// A request; `nil` members leave the template's values alone.
    public init(taskName: String? = nil, description: String? = nil, schedule: ScheduleSpec? = nil, properties: [PropertySetting] = []) {
        self.taskName = taskName
        self.description = description
        self.schedule = schedule
        self.properties = properties
    }

    /// Fills a submit/resubmit template in place. The Schedule object is the parameter with
    /// a `scheduleType` member (or a `{ "Schedule": {...} }` wrapper); one is appended if
    /// the template has none and something is to be set. Each property is set on the
    /// parameter with its `keyName` (flat or wrapped in `PropertyValue`); a key the template
    /// lacks is appended as `{ "keyName", "value" }` and left to the server to judge.
    /// Dates are sent with `+hh:mm` offsets.
    public func apply(to template: inout JSON) {
        var params = Tolerant.list(template["parameters"])
        let wantsSchedule = taskName != nil || description != nil || schedule != nil
        if wantsSchedule {
            if let i = params.firstIndex(where: { Self.scheduleObject($0) != nil }) {
                params[i] = Self.rewrap(params[i]) { applySchedule(to: &$0) }
            } else {
                var s = JSON.object(JSONObject())
                applySchedule(to: &s)
                params.append(s)
            }
        }
        for p in properties {
            if let i = params.firstIndex(where: { Self.propertyObject($0)?["keyName"]?.stringValue == p.keyName }) {
                params[i] = Self.rewrap(params[i]) { $0["value"] = .string(p.value) }
            } else {
                params.append(["keyName": .string(p.keyName), "value": .string(p.value)])
            }
        }
        template["parameters"] = .array(params)
    }

    private func applySchedule(to s: inout JSON) {
        if let taskName { s["name"] = .string(taskName) }
        if let description { s["description"] = .string(description) }
        guard let schedule else { return }
        switch schedule {
        case .immediate:
            s["scheduleType"] = "immediate"
        case .at(let time):
            s["scheduleType"] = "schedule"
            s["scheduledStartTime"] = .string(APIDate.normalisedForSending(time))
        case .recurring(let r):
            s["scheduleType"] = "recurrence"
            s["recurrenceInterval"] = .string(r.interval)
            if let v = r.minutes { s["recurrenceMinutes"] = .int(v) }
            if let v = r.daysOfWeek { s["recurrenceDayOfWeek"] = .string(v) }
            if let v = r.daysOfMonth { s["recurrenceDayOfMonth"] = .string(v) }
            if let v = r.lastDayOfMonth { s["recurrenceLastDayOfMonth"] = .bool(v) }
            if let v = r.startDate { s["recurrenceStartDate"] = .string(APIDate.normalisedForSending(v)) }
            if let v = r.time { s["recurrenceTime"] = .string(v) }
        }
    }

    /// The Schedule object of a parameter (flat or wrapped), if it is one.
    static func scheduleObject(_ p: JSON) -> JSON? {
        if let inner = p["Schedule"], case .object = inner { return inner }
        if p["scheduleType"] != nil { return p }
        return nil
    }

    /// The PropertyValue object of a parameter (flat or wrapped), if it is one.
    static func propertyObject(_ p: JSON) -> JSON? {
        for w in ["PropertyValue", "PropertyValues"] {
            if let inner = p[w], case .object = inner { return inner }
        }
        if p["keyName"] != nil { return p }
        return nil
    }

    /// Applies `change` to the object itself, or to the single wrapped object inside it
    /// (the wrapped forms `{"Schedule": {…}}` are real server output, reference §1.10).
    static func rewrap(
        _ p: JSON, wrappers: [String] = ["Schedule", "PropertyValue", "PropertyValues"], _ change: (inout JSON) -> Void
    ) -> JSON {
        for w in wrappers {
            if var inner = p[w], case .object = inner {
                change(&inner)
                var outer = p
                outer[w] = inner
                return outer
            }
        }
        var copy = p
        change(&copy)
        return copy
    }
}

/// One property value to set, by key.
public struct PropertySetting: Sendable, Hashable {
    /// The property's `keyName`.
    public var keyName: String
    /// The value to send (the API takes values as text).
    public var value: String
    /// Sets `keyName` to `value`.
    public init(_ keyName: String, _ value: String) {
        self.keyName = keyName
        self.value = value
    }
}

/// When a submitted task runs.
public enum ScheduleSpec: Sendable, Hashable {
    /// Now (`scheduleType: immediate`).
    case immediate
    /// Once at a date-time (`scheduleType: schedule`, `scheduledStartTime`).
    case at(String)
    /// Periodically (`scheduleType: recurrence`).
    case recurring(Recurrence)
}

/// The recurrence fields of a Schedule object (values per reference §4.3, [U]).
public struct Recurrence: Sendable, Hashable {
    /// `recurrenceInterval`, e.g. `daily`, `weekly`, `monthly`.
    public var interval: String
    /// `recurrenceMinutes`: the hourly step in minutes for daily runs.
    public var minutes: Int?
    /// `recurrenceDayOfWeek`, e.g. `mon,fri`.
    public var daysOfWeek: String?
    /// `recurrenceDayOfMonth`, e.g. `1,15`.
    public var daysOfMonth: String?
    /// `recurrenceLastDayOfMonth`.
    public var lastDayOfMonth: Bool?
    /// `recurrenceStartDate`.
    public var startDate: String?
    /// `recurrenceTime`, `hh:mm`.
    public var time: String?

    /// A recurrence; `nil` members are not sent.
    public init(
        interval: String, minutes: Int? = nil, daysOfWeek: String? = nil, daysOfMonth: String? = nil,
        lastDayOfMonth: Bool? = nil, startDate: String? = nil, time: String? = nil
    ) {
        self.interval = interval
        self.minutes = minutes
        self.daysOfWeek = daysOfWeek
        self.daysOfMonth = daysOfMonth
        self.lastDayOfMonth = lastDayOfMonth
        self.startDate = startDate
        self.time = time
    }
}

/// What to set in a bind template (2.4.10–11): the Services object of the new service
/// (`name` required, `description`, `serviceGroupName`) and PropertyValue objects by `keyName`.
public struct BindRequest: Sendable, Hashable {
    /// The new service's name.
    public var name: String
    /// Its description; `nil` keeps the template's.
    public var description: String?
    /// Its service group; `nil` keeps the template's.
    public var serviceGroupName: String?
    /// Property values to set.
    public var properties: [PropertySetting]

    /// A bind request.
    public init(name: String, description: String? = nil, serviceGroupName: String? = nil, properties: [PropertySetting] = []) {
        self.name = name
        self.description = description
        self.serviceGroupName = serviceGroupName
        self.properties = properties
    }

    /// Fills a bind template in place. The Services object is the parameter with `name` or
    /// `serviceGroupName` (flat, or wrapped in `Services`/`Service`); one is appended if the
    /// template has none. Properties are set as `SubmitRequest` sets them.
    public func apply(to template: inout JSON) {
        var params = Tolerant.list(template["parameters"])
        let wrappers = ["Services", "Service"]
        func isService(_ p: JSON) -> Bool {
            let inner = wrappers.lazy.compactMap { p[$0] }.first ?? p
            return inner["name"] != nil || inner["serviceGroupName"] != nil
        }
        let change: (inout JSON) -> Void = { s in
            s["name"] = .string(name)
            if let description { s["description"] = .string(description) }
            if let serviceGroupName { s["serviceGroupName"] = .string(serviceGroupName) }
        }
        if let i = params.firstIndex(where: isService) {
            params[i] = SubmitRequest.rewrap(params[i], wrappers: wrappers, change)
        } else {
            var s = JSON.object(JSONObject())
            change(&s)
            params.append(s)
        }
        template["parameters"] = .array(params)
        SubmitRequest(properties: properties).apply(to: &template)
    }
}
