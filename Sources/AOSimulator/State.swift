import AOClient
import Foundation
/// HSSO tokens issued by the simulator (reference §1.5): each valid for a fixed lifetime
/// from its issue. Expired tokens are purged as new ones are issued.
struct TokenStore {
    private var byToken: [String: (user: Int, expires: Int64)] = [:]
    private var order: [(token: String, expires: Int64)] = []
    private var head = 0

    /// A new token for user `user` (shaped as `HSSOToken.make` says).
    mutating func issue(user: Int, now: Int64, lifetimeSeconds: Int, rng: inout SeededGenerator) -> String {
        purge(now: now)
        let token = HSSOToken.make(using: &rng)
        let expires = now + Int64(lifetimeSeconds) * 1000
        byToken[token] = (user, expires)
        order.append((token, expires))
        return token
    }

    /// The user of a token that is still valid at `now`.
    func user(of token: String, now: Int64) -> Int? {
        guard let entry = byToken[token], entry.expires > now else { return nil }
        return entry.user
    }

    /// Makes every issued token invalid (fault injection, test hook).
    mutating func expireAll() {
        byToken.removeAll()
        order.removeAll()
        head = 0
    }

    private mutating func purge(now: Int64) {
        while head < order.count, order[head].expires <= now || order.count - head > 1_000_000 {
            byToken[order[head].token] = nil
            head += 1
        }
        if head > 4096 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}

/// All mutable state of one simulated server. Not thread-safe by itself: `Simulator` owns it
/// and holds its lock around every use.
final class SimState {
    let config: SimulatorConfiguration
    var rng: SeededGenerator
    var tokenRNG: SeededGenerator
    /// Added to the clock by `Simulator.advance(by:)`.
    var skewMilliseconds: Int64 = 0
    let createdAt: Int64
    var requestCount = 0
    var faults: SimulatorFaults
    var tokens = TokenStore()
    /// Each status's `supportedActionType`, indexed by raw value: it depends only on the conventions.
    let supportedActions: [String]

    var groups: [SimServiceGroup] = []
    var tagGroups: [SimTagGroup] = []
    var tags: [SimTag] = []
    var templates: [SimTemplate] = []
    var services: [SimService] = []
    var schedules: [SimSchedule] = []
    var propertyDefinitions: [SimPropertyDefinition] = []
    var propertyValues: [Int: SimPropertyValue] = [:]
    var sharedPropertyValueIDs: [Int] = []

    /// Tasks in ascending id order (`appendTask` checks it), so `taskIndex` is a binary search.
    var tasks: [SimTask] = []
    var histories: [SimHistory] = []
    var heap = EventHeap()

    var nextTaskID = 5000
    var nextServiceID = 2000
    var nextTemplateID = 1100
    var nextScheduleID = 2050
    var nextPropertyValueID = 1
    var nextPropertyDefinitionID = 150

    init(config: SimulatorConfiguration) {
        self.config = config
        rng = SeededGenerator(seed: config.seed)
        tokenRNG = SeededGenerator(seed: config.seed ^ 0x5EED_70CE)
        faults = config.faults
        createdAt = config.clock.now()
        supportedActions = TaskStatus.allCases.map {
            TaskRules.allowedActions($0, config.conventions).joined(separator: ",")
        }
    }

    var now: Int64 { config.clock.now() + skewMilliseconds }

    // MARK: Lookups

    func taskIndex(_ id: Int) -> Int? {
        var low = 0, high = tasks.count
        while low < high {
            let mid = low + (high - low) / 2
            if tasks[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < tasks.count && tasks[low].id == id ? low : nil
    }

    func appendTask(_ t: SimTask) {
        precondition(tasks.last.map { $0.id < t.id } ?? true, "task \(t.id) appended out of id order")
        tasks.append(t)
    }

    func removeTask(at i: Int) -> SimTask { tasks.remove(at: i) }

    func historyIndex(_ id: Int) -> Int? { histories.firstIndex { $0.task.id == id } }
    func serviceIndex(_ id: Int) -> Int? { services.firstIndex { $0.id == id } }
    func templateIndex(_ id: Int) -> Int? { templates.firstIndex { $0.id == id } }
    func scheduleIndex(_ id: Int) -> Int? { schedules.firstIndex { $0.id == id } }
    func group(_ id: Int) -> SimServiceGroup? { groups.first { $0.id == id } }

    // MARK: Creation

    func addPropertyValue(
        keyName: String, value: String, type: String, readOnly: Bool = false,
        serviceID: Int? = nil, scheduleID: Int? = nil, taskID: Int? = nil, definitionID: Int? = nil
    ) -> Int {
        let id = nextPropertyValueID
        nextPropertyValueID += 1
        propertyValues[id] = SimPropertyValue(
            id: id, type: type, keyName: keyName, value: value, readOnly: readOnly, hidden: false,
            serviceID: serviceID, scheduleID: scheduleID, taskID: taskID, definitionID: definitionID)
        return id
    }

    func definitions(ofTemplate id: Int) -> [SimPropertyDefinition] {
        propertyDefinitions.filter { $0.templateID == id }
    }

    /// The current input values of a service, by key.
    func serviceInputs(_ s: SimService) -> [(key: String, value: String)] {
        s.propertyValueIDs.compactMap { propertyValues[$0] }.map { ($0.keyName, $0.value) }
    }

    /// Creates a task from service `s` (index). Immediate tasks start at once; others wait for `start`.
    @discardableResult
    func makeTask(
        service s: Int, name: String?, description: String, submitter: String, scheduleType: ScheduleType,
        start: Int64?, inputs: [(key: String, value: String)], scheduleID: Int?, recurrence: Recurrence?,
        at t: Int64, script: TaskScript? = nil
    ) -> Int {
        let svc = services[s]
        let id = nextTaskID
        nextTaskID += 1
        let stamp = SimTime.components(t, offsetSeconds: config.utcOffsetSeconds)
        let defaultName = "\(svc.name)_\(SimTime.pad(stamp.year, 4))\(SimTime.pad(stamp.month, 2))\(SimTime.pad(stamp.day, 2))"
            + "\(SimTime.pad(stamp.hour, 2))\(SimTime.pad(stamp.minute, 2))\(SimTime.pad(stamp.second, 2))"
        var task = SimTask(
            id: id, name: name ?? defaultName, status: .waiting, startTime: nil, completionTime: nil,
            scheduledStartTime: scheduleType == .immediate ? nil : start, submitter: submitter, submitTime: t,
            modifyTime: t, serviceState: svc.state, scheduleType: scheduleType, description: description,
            serviceName: svc.name, tags: svc.tags, recurrence: recurrence, groupName: svc.groupName,
            templateID: svc.templateID, scheduleID: scheduleID, groupID: svc.groupID, serviceID: svc.id,
            debug: svc.state == .test, script: script ?? svc.script.scaled(config.speed),
            engine: .pending(startAt: start ?? t))
        var values: [Int] = []
        for d in definitions(ofTemplate: svc.templateID) {
            let v = d.mode == "out" ? "" : (inputs.first { $0.key == d.keyName }?.value ?? d.defaultValue)
            values.append(addPropertyValue(
                keyName: d.keyName, value: v, type: d.type, readOnly: true, taskID: id, definitionID: d.id))
        }
        task.propertyValueIDs = values
        appendTask(task)
        services[s].submitCount += 1
        services[s].lastSubmitTime = t
        let i = tasks.count - 1
        if scheduleType == .immediate || (start ?? t) <= t {
            self.start(i, at: t)
        }
        reschedule(i)
        return id
    }

    /// The next occurrence of a recurring task (same service, inputs and schedule).
    func makeTask(fromTask old: SimTask, scheduleType: ScheduleType, start: Int64, at t: Int64) -> Int {
        guard let s = serviceIndex(old.serviceID) else { return old.id }
        let inputs = old.propertyValueIDs.compactMap { propertyValues[$0] }.map { (key: $0.keyName, value: $0.value) }
        return makeTask(
            service: s, name: nil, description: old.description, submitter: old.submitter,
            scheduleType: scheduleType, start: start, inputs: inputs, scheduleID: old.scheduleID,
            recurrence: old.recurrence, at: t)
    }

    /// Moves a finished task to the histories.
    func archive(_ i: Int, at t: Int64) {
        let task = removeTask(at: i)
        histories.append(SimHistory(task: task, archiveTime: t))
    }

    /// A job id: a version-4 UUID from the generator.
    func uuid() -> String {
        let a = rng.next(), b = rng.next()
        let hex = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(36)
        for n in 0..<32 {
            if n == 8 || n == 12 || n == 16 || n == 20 { out.append("-") }
            var nibble = Int(((n < 16 ? a : b) >> UInt64((n % 16) * 4)) & 15)
            if n == 12 { nibble = 4 }
            if n == 16 { nibble = 8 | (nibble & 3) }
            out.append(hex[nibble])
        }
        return out
    }
}
