import AOClient
import Foundation
/// The rules of §5.2 in one place. The accepted statuses come from AOClient's
/// `APIConventions` (the same table the client uses), keyed by each status's likely API string.
enum TaskRules {
    static func allows(_ action: TaskAction, _ status: TaskStatus, _ conventions: APIConventions) -> Bool {
        conventions.taskActionRules[action]?.allows(status.likelyAPIString) ?? false
    }

    static func allows(_ action: ScheduleAction, _ status: TaskStatus, _ conventions: APIConventions) -> Bool {
        conventions.scheduleActionRules[action]?.allows(status.likelyAPIString) ?? false
    }

    /// The statuses in which `action` is accepted, in §4.1 order.
    static func allowedStatuses(_ action: TaskAction, _ conventions: APIConventions) -> [TaskStatus] {
        TaskStatus.allCases.filter { allows(action, $0, conventions) }
    }

    /// The statuses (of the schedule's task) in which `action` is accepted, in §4.1 order.
    static func allowedStatuses(_ action: ScheduleAction, _ conventions: APIConventions) -> [TaskStatus] {
        TaskStatus.allCases.filter { allows(action, $0, conventions) }
    }

    /// Actions valid in `status` (the simulator's `supportedActionType`).
    static func allowedActions(_ status: TaskStatus, _ conventions: APIConventions) -> [String] {
        TaskAction.allCases.filter { allows($0, status, conventions) }.map(\.rawValue)
    }
}

/// A min-heap of (time, task id, generation) events.
struct EventHeap {
    private var items: [(time: Int64, id: Int, generation: Int)] = []

    var isEmpty: Bool { items.isEmpty }
    var top: (time: Int64, id: Int, generation: Int)? { items.first }

    mutating func push(_ e: (time: Int64, id: Int, generation: Int)) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p].time <= items[i].time { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> (time: Int64, id: Int, generation: Int)? {
        guard !items.isEmpty else { return nil }
        let first = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l].time < items[m].time { m = l }
                if r < items.count && items[r].time < items[m].time { m = r }
                if m == i { break }
                items.swapAt(m, i)
                i = m
            }
        }
        return first
    }
}

/// Stop and force-stop take this long (at speed 1) in In Progress (Terminating).
let stopMilliseconds: Int64 = 1000
let forceStopMilliseconds: Int64 = 500

extension SimState {
    // MARK: Time events

    /// Brings every task up to `now`: only tasks with a due event are touched.
    func advance(to now: Int64) {
        while let top = heap.top, top.time <= now {
            _ = heap.pop()
            guard let i = taskIndex(top.id), tasks[i].eventGeneration == top.generation else { continue }
            run(taskAt: i, until: now)
        }
    }

    /// Queues the next time event of the task at `i` (after any change to its engine state).
    func reschedule(_ i: Int) {
        tasks[i].eventGeneration += 1
        if let t = nextEventTime(tasks[i]) {
            heap.push((t, tasks[i].id, tasks[i].eventGeneration))
        }
    }

    func nextEventTime(_ t: SimTask) -> Int64? {
        switch t.engine {
        case .pending(let at): return at
        case .held, .waitingForInput, .finished: return nil
        case .terminating(let until, _): return until
        case .running(let step, let since):
            let end = since + t.script.stepMilliseconds[step]
            if t.status == .inProgress, let expected = t.script.expectedMilliseconds, let start = t.startTime {
                return min(end, start + expected)
            }
            return end
        }
    }

    /// Applies every event of the task at `i` up to `now`, then queues the next one.
    private func run(taskAt i: Int, until now: Int64) {
        var guardCount = 0
        while let t = nextEventTime(tasks[i]), t <= now, guardCount < 10_000 {
            guardCount += 1
            apply(eventAt: t, to: i)
        }
        reschedule(i)
    }

    private func apply(eventAt t: Int64, to i: Int) {
        switch tasks[i].engine {
        case .pending:
            start(i, at: t)
        case .terminating(_, let outcome):
            finish(i, outcome, at: t)
        case .running(let step, let since):
            let end = since + tasks[i].script.stepMilliseconds[step]
            if t < end {
                // The expected duration has passed: Long Running.
                if tasks[i].status == .inProgress { tasks[i].status = .longRunning }
                tasks[i].modifyTime = t
                return
            }
            if step == tasks[i].script.failAtStep && !tasks[i].failureCleared {
                tasks[i].failedStep = step
                finish(i, .failed, at: t)
            } else if step + 1 >= tasks[i].script.stepMilliseconds.count {
                tasks[i].currentStep = step
                finish(i, .completed, at: t)
            } else {
                enter(step: step + 1, of: i, at: t)
            }
        case .held, .waitingForInput, .finished:
            return
        }
    }

    /// A waiting task reaches its start time.
    func start(_ i: Int, at t: Int64) {
        if tasks[i].startTime == nil { tasks[i].startTime = t }
        if let sid = tasks[i].scheduleID, let s = scheduleIndex(sid), schedules[s].pendingTaskID == tasks[i].id {
            schedules[s].pendingTaskID = nil
            schedules[s].statusText = "completed"
            if schedules[s].type == .recurrence, let rec = schedules[s].recurrence {
                // The next occurrence waits as a new task.
                let next = (tasks[i].scheduledStartTime ?? t) + rec.periodMilliseconds
                let newID = makeTask(fromTask: tasks[i], scheduleType: .recurrence, start: next, at: t)
                schedules[s].pendingTaskID = newID
                schedules[s].statusText = config.statusStrings.string(for: .waiting)
            }
        }
        if let s = serviceIndex(tasks[i].serviceID) {
            services[s].executedCount += 1
        }
        enter(step: 0, of: i, at: t)
    }

    /// Begins `step` of the task at `i`: waits for input, shows the error, or just runs.
    func enter(step: Int, of i: Int, at t: Int64) {
        guard step < tasks[i].script.stepMilliseconds.count else {
            finish(i, .completed, at: t)
            return
        }
        tasks[i].currentStep = step
        tasks[i].stepTime = t
        tasks[i].modifyTime = t
        let script = tasks[i].script
        if step == script.waitForInputAtStep && !tasks[i].inputAnswered {
            tasks[i].status = .waitingForInput
            tasks[i].engine = .waitingForInput(step: step)
            return
        }
        tasks[i].engine = .running(step: step, since: t)
        if step == script.failAtStep && !tasks[i].failureCleared {
            tasks[i].status = .inProgressWithError
        } else if let expected = script.expectedMilliseconds, let s = tasks[i].startTime, t - s >= expected {
            tasks[i].status = .longRunning
        } else {
            tasks[i].status = .inProgress
        }
    }

    /// Ends the task at `i` with `status`.
    func finish(_ i: Int, _ status: TaskStatus, at t: Int64) {
        tasks[i].status = status
        tasks[i].engine = .finished
        tasks[i].completionTime = t
        tasks[i].modifyTime = t
        if let s = serviceIndex(tasks[i].serviceID) {
            switch status {
            case .completed: services[s].completedCount += 1
            case .failed:
                services[s].failedCount += 1
                services[s].lastFailedTime = t
            case .waiting, .suspended, .inProgress, .waitingForInput, .inProgressWithError, .terminating,
                .longRunning, .canceled:
                break
            }
        }
    }

    // MARK: Actions (the caller has checked §5.2)

    func stop(_ i: Int, force: Bool, at t: Int64) {
        let script = tasks[i].script
        let lastStep = tasks[i].currentStep + 1 >= script.stepMilliseconds.count
        let outcome: TaskStatus
        if force {
            outcome = .failed
        } else {
            // A stop that hits the last plug-in ends Completed (reference §4.1, 8).
            outcome = lastStep && tasks[i].status != .inProgressWithError ? .completed : .failed
        }
        let length = force ? forceStopMilliseconds : stopMilliseconds
        let scaled = max(1, Int64((Double(length) / max(config.speed, 0.000_001)).rounded()))
        if case .terminating(let until, _) = tasks[i].engine, force {
            tasks[i].engine = .terminating(until: min(until, t + scaled), outcome: .failed)
        } else {
            tasks[i].engine = .terminating(until: t + scaled, outcome: outcome)
        }
        tasks[i].status = .terminating
        tasks[i].modifyTime = t
        reschedule(i)
    }

    /// Answers a waiting task: button 1 continues, any other button fails the step.
    func respond(_ i: Int, button: Int, at t: Int64) {
        let step = tasks[i].currentStep
        tasks[i].inputAnswered = true
        if button == 1 {
            tasks[i].engine = .running(step: step, since: t)
            tasks[i].status = .inProgress
            tasks[i].stepTime = t
            tasks[i].modifyTime = t
        } else {
            tasks[i].failedStep = step
            finish(i, .failed, at: t)
        }
        reschedule(i)
    }

    /// rerunStart (from the failed step) or rerunStepStart (from the next step); same task id.
    func retry(_ i: Int, fromNextStep: Bool, at t: Int64) {
        let failed = tasks[i].failedStep ?? tasks[i].currentStep
        tasks[i].failureCleared = true
        tasks[i].inputAnswered = tasks[i].inputAnswered || (tasks[i].script.waitForInputAtStep.map { $0 < failed } ?? false)
        tasks[i].completionTime = nil
        tasks[i].scheduleType = .immediate
        tasks[i].failedStep = nil
        if tasks[i].startTime == nil { tasks[i].startTime = t }
        enter(step: fromNextStep ? failed + 1 : failed, of: i, at: t)
        reschedule(i)
    }

    /// Schedule suspend: Waiting → Suspended.
    func suspend(_ i: Int, at t: Int64) {
        tasks[i].status = .suspended
        tasks[i].engine = .held
        tasks[i].modifyTime = t
        reschedule(i)
    }

    /// Schedule resume: Suspended → Waiting (an overdue task starts at once).
    func resume(_ i: Int, at t: Int64) {
        tasks[i].status = .waiting
        tasks[i].engine = .pending(startAt: max(t, tasks[i].scheduledStartTime ?? t))
        tasks[i].modifyTime = t
        reschedule(i)
    }

    /// Schedule cancel: Waiting or Suspended → Canceled.
    func cancel(_ i: Int, at t: Int64) {
        finish(i, .canceled, at: t)
        reschedule(i)
    }

    /// Test hook: puts the task in `status` and freezes it there until an action moves it.
    func force(_ i: Int, to status: TaskStatus, at t: Int64) {
        tasks[i].status = status
        tasks[i].modifyTime = t
        switch status {
        case .waiting:
            tasks[i].engine = .held
            if tasks[i].scheduledStartTime == nil { tasks[i].scheduledStartTime = t + 3_600_000 }
        case .suspended, .inProgress, .inProgressWithError, .longRunning:
            tasks[i].engine = .held
            if tasks[i].startTime == nil { tasks[i].startTime = t }
            tasks[i].completionTime = nil
        case .waitingForInput:
            tasks[i].engine = .waitingForInput(step: tasks[i].currentStep)
            if tasks[i].startTime == nil { tasks[i].startTime = t }
            tasks[i].completionTime = nil
        case .terminating:
            tasks[i].engine = .held
            tasks[i].completionTime = nil
        case .completed, .failed, .canceled:
            tasks[i].engine = .finished
            tasks[i].completionTime = t
        }
        reschedule(i)
    }
}
