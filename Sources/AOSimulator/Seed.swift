import Foundation
/// The believable demo data: service groups, tags, templates, services, schedules, tasks in
/// every status, histories. Everything comes from the seed, so the same seed gives the same
/// server (times are relative to the clock's "now").
extension SimState {
    struct ServiceSeed {
        var name: String
        var key: String
        var description: String
        var group: String
        var tags: String
        var state: ServiceState
        var schedules: String
        var script: TaskScript
        /// (key, display name, type, default, value list)
        var inputs: [(String, String, String, String, String?)]
        var outputs: [(String, String)]
    }

    static let serviceSeeds: [ServiceSeed] = [
        ServiceSeed(
            name: "Backup Database", key: "BackupDatabase", description: "Backs up an Oracle or SQL Server database",
            group: "Database", tags: "Database,Backup", state: .release, schedules: "immediate,schedule,recurrence",
            script: TaskScript(stepMilliseconds: [1000, 1000, 1000]),
            inputs: [("target", "Target database", "string", "ORCL01", nil),
                     ("mode", "Backup mode", "string", "full", "full,incremental,differential")],
            outputs: [("backupFile", "Backup file")]),
        ServiceSeed(
            name: "Provision VM", key: "ProvisionVM", description: "Creates a virtual machine after approval",
            group: "Infrastructure", tags: "VM,Provisioning", state: .release, schedules: "immediate,schedule",
            script: TaskScript(
                stepMilliseconds: [1000, 1000, 2000, 1000], waitForInputAtStep: 1,
                question: "Approve the creation of the virtual machine?", buttons: ["Approve", "Reject"]),
            inputs: [("vmName", "VM name", "string", "vm-web-01", nil), ("cpu", "CPUs", "int", "2", nil),
                     ("memoryGB", "Memory (GB)", "int", "8", nil)],
            outputs: [("ipAddress", "IP address")]),
        ServiceSeed(
            name: "Rotate Logs", key: "RotateLogs", description: "Compresses and removes old log files",
            group: "DefaultServiceGroup", tags: "Logs,Maintenance", state: .release,
            schedules: "immediate,schedule,recurrence",
            script: TaskScript(stepMilliseconds: [500, 500]),
            inputs: [("logDir", "Log directory", "string", "/var/log/app", nil),
                     ("keepDays", "Days to keep", "int", "14", nil)],
            outputs: []),
        ServiceSeed(
            name: "Patch Servers", key: "PatchServers", description: "Applies OS patches to a group of servers",
            group: "Infrastructure", tags: "Patching,Linux", state: .release, schedules: "immediate,schedule",
            script: TaskScript(stepMilliseconds: [2000, 3000, 3000, 2000], expectedMilliseconds: 6000),
            inputs: [("hosts", "Hosts", "string", "web01,web02", nil),
                     ("rebootAllowed", "Reboot allowed", "boolean", "false", "true,false")],
            outputs: [("patchedCount", "Patched hosts")]),
        ServiceSeed(
            name: "Restart Service", key: "RestartService", description: "Restarts a system service (fails at step 2)",
            group: "DefaultServiceGroup", tags: "Operations,Windows", state: .release, schedules: "immediate",
            script: TaskScript(stepMilliseconds: [1000, 1000, 1000], failAtStep: 1),
            inputs: [("host", "Host", "string", "app01", nil), ("serviceName", "Service", "string", "httpd", nil)],
            outputs: []),
        ServiceSeed(
            name: "Collect Diagnostics", key: "CollectDiagnostics", description: "Gathers logs and dumps for support",
            group: "DefaultServiceGroup", tags: "Operations", state: .release, schedules: "immediate,schedule",
            script: TaskScript(stepMilliseconds: [1500, 1500, 1500]),
            inputs: [("host", "Host", "string", "app01", nil)],
            outputs: [("archive", "Archive file")]),
        ServiceSeed(
            name: "Export Report", key: "ExportReport", description: "Exports the monthly usage report (under test)",
            group: "DefaultServiceGroup", tags: "Reporting", state: .test, schedules: "immediate",
            script: TaskScript(stepMilliseconds: [1000, 1000]),
            inputs: [("month", "Month", "string", "2015-07", nil)],
            outputs: []),
        ServiceSeed(
            name: "Archive Mailboxes", key: "ArchiveMailboxes", description: "Moves old mail to the archive",
            group: "DefaultServiceGroup", tags: "Exchange,Maintenance", state: .maintenance, schedules: "immediate",
            script: TaskScript(stepMilliseconds: [2000, 2000]),
            inputs: [("olderThanDays", "Older than (days)", "int", "365", nil)],
            outputs: []),
    ]

    /// Seeds the demo data and, if asked, bulk tasks up to `config.taskCount`.
    func seed() {
        let now = self.now
        groups = [
            SimServiceGroup(id: 3, objectID: "Automation_RG_DEFAULT", name: "DefaultServiceGroup",
                            description: "default service group"),
            SimServiceGroup(id: 4, objectID: "Automation_RG_DATABASE", name: "Database",
                            description: "database services"),
            SimServiceGroup(id: 5, objectID: "Automation_RG_INFRA", name: "Infrastructure",
                            description: "servers and virtual machines"),
        ]
        tagGroups = [
            SimTagGroup(id: 1, name: "Applications", tags: ["Database", "Exchange", "Reporting"]),
            SimTagGroup(id: 2, name: "Operations", tags: ["Backup", "Maintenance", "Provisioning", "Patching", "Logs", "Operations"]),
            SimTagGroup(id: 3, name: "Platforms", tags: ["Linux", "Windows", "VM"]),
        ]
        var tagID = 1
        for g in tagGroups {
            for t in g.tags {
                tags.append(SimTag(id: tagID, name: t, tagGroupName: g.name))
                tagID += 1
            }
        }
        sharedPropertyValueIDs = [
            addPropertyValue(keyName: "com.hitachi.software.dna.sys.mail.cc", value: "", type: "string"),
            addPropertyValue(keyName: "com.hitachi.software.dna.sys.mail.to", value: "ops@example.com", type: "string"),
        ]
        guard config.seedData else { return }

        let dayMs: Int64 = 86_400_000
        for (n, seed) in Self.serviceSeeds.enumerated() {
            let templateID = 1116 + n
            let created = now - dayMs * Int64(200 - n * 7)
            templates.append(SimTemplate(
                id: templateID, keyName: "SP_\(seed.key)", displayName: seed.name, vendorID: "com.example.ats",
                version: "01.\(10 + n).00", vendorName: "Example Corp.", tags: seed.tags, createTime: created,
                modifyTime: created, description: seed.description, releaseState: seed.state == .test ? "debug" : "release",
                latest: true, supportedScheduleType: seed.schedules, script: seed.script, usedServices: 1))
            for (key, display, type, def, list) in seed.inputs {
                propertyDefinitions.append(SimPropertyDefinition(
                    id: nextPropertyDefinitionID, templateID: templateID, keyName: key, displayName: display,
                    defaultValue: def, type: type, description: display, mode: "in", required: true, valueList: list,
                    groupName: "Inputs", minValue: type == "int" ? 0 : nil, maxValue: type == "int" ? 1_000_000 : nil,
                    maxLength: type == "string" ? 256 : nil))
                nextPropertyDefinitionID += 1
            }
            for (key, display) in seed.outputs {
                propertyDefinitions.append(SimPropertyDefinition(
                    id: nextPropertyDefinitionID, templateID: templateID, keyName: key, displayName: display,
                    defaultValue: "", type: "string", description: display, mode: "out", required: false,
                    valueList: nil, groupName: "Outputs", minValue: nil, maxValue: nil, maxLength: nil))
                nextPropertyDefinitionID += 1
            }
            let group = groups.first { $0.name == seed.group } ?? groups[0]
            let serviceID = n == 0 ? 2004 : 2010 + n
            var svc = SimService(
                id: serviceID, name: seed.name, description: seed.description, tags: seed.tags, templateID: templateID,
                templateName: seed.name, vendorName: "Example Corp.", version: "01.\(10 + n).00",
                createTime: created + dayMs, modifyTime: created + dayMs, state: seed.state, groupID: group.id,
                groupName: group.name, supportedScheduleType: seed.schedules, script: seed.script)
            for (key, _, type, def, _) in seed.inputs {
                let d = propertyDefinitions.last { $0.templateID == templateID && $0.keyName == key }
                svc.propertyValueIDs.append(addPropertyValue(
                    keyName: key, value: def, type: type, serviceID: serviceID, definitionID: d?.id))
            }
            services.append(svc)
        }
        nextServiceID = 2100
        nextTemplateID = 1200

        let submitters = ["System", "Operator", "DB Admin"]
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        func service(_ name: String) -> Int { services.firstIndex { $0.name == name }! }
        let hour: Int64 = 3_600_000
        /// A script that keeps a task in its status for a long time (seeded active tasks).
        func longScript(_ s: Int, steps: Int = 3) -> TaskScript {
            var sc = services[s].script
            sc.stepMilliseconds = Array(repeating: 12 * hour, count: max(steps, sc.stepMilliseconds.count))
            sc.expectedMilliseconds = sc.expectedMilliseconds.map { _ in 4 * hour }
            return sc
        }

        // Histories: tasks 4950…4989, archived days ago.
        nextTaskID = 4950
        let runnable = services.indices.filter { services[$0].state != .maintenance }
        for k in 0..<40 {
            let s = pick(runnable)
            let submitted = now - dayMs * Int64(30 - k / 2) - Int64(rng.next() % UInt64(dayMs / 2))
            let id = makeFinishedTask(
                service: s, submitter: pick(submitters), submitted: submitted,
                status: k % 7 == 3 ? .failed : (k % 11 == 5 ? .canceled : .completed))
            if let i = taskIndex(id) { archive(i, at: submitted + dayMs) }
        }

        // Finished tasks 5000…5369 over the last two weeks.
        nextTaskID = 5000
        for k in 0..<370 {
            let s = pick(runnable)
            let submitted = now - 14 * dayMs + Int64(k) * (13 * dayMs / 370) + Int64(rng.next() % 600_000)
            let roll = rng.next() % 100
            let status: TaskStatus = roll < 75 ? .completed : (roll < 92 ? .failed : .canceled)
            makeFinishedTask(service: s, submitter: pick(submitters), submitted: submitted, status: status)
        }

        // 5370…5399: the live ones, in every status.
        nextTaskID = 5370
        let backup = service("Backup Database"), vm = service("Provision VM"), rotate = service("Rotate Logs")
        let patch = service("Patch Servers"), restart = service("Restart Service"), diag = service("Collect Diagnostics")
        let export = service("Export Report")
        func live(_ s: Int, startedAgo: Int64, status: TaskStatus, submitter: String = "System") {
            let started = now - startedAgo
            let id = makeTask(
                service: s, name: nil, description: "", submitter: submitter, scheduleType: .immediate, start: nil,
                inputs: serviceInputs(services[s]), scheduleID: nil, recurrence: nil, at: started, script: longScript(s))
            let i = taskIndex(id)!
            switch status {
            case .waitingForInput:
                tasks[i].script.waitForInputAtStep = 1
                enter(step: 1, of: i, at: started + 20_000)
            case .inProgressWithError:
                tasks[i].script.failAtStep = 0
                enter(step: 0, of: i, at: started)
            case .longRunning:
                tasks[i].script.expectedMilliseconds = max(1, startedAgo / 2)
                tasks[i].status = .longRunning
            case .terminating:
                tasks[i].engine = .terminating(until: now + 10 * 60_000, outcome: .failed)
                tasks[i].status = .terminating
            case .waiting, .suspended, .inProgress, .completed, .failed, .canceled:
                break
            }
            tasks[i].modifyTime = max(tasks[i].modifyTime, started)
            reschedule(i)
        }
        for k in 0..<11 {
            let s = [backup, diag, restart, rotate][k % 4]
            makeFinishedTask(service: s, submitter: pick(submitters), submitted: now - Int64(11 - k) * hour,
                             status: k % 5 == 2 ? .failed : .completed)
        }
        // Make sure 5381 is the in-progress backup of the manual's force-stop example.
        while nextTaskID < 5381 {
            makeFinishedTask(service: diag, submitter: "System", submitted: now - 2 * hour, status: .completed)
        }
        live(backup, startedAgo: 20 * 60_000, status: .inProgress)  // 5381
        live(vm, startedAgo: 3 * hour, status: .waitingForInput, submitter: "Operator")
        live(vm, startedAgo: 2 * hour + 15 * 60_000, status: .waitingForInput)
        live(vm, startedAgo: 10 * 60_000, status: .waitingForInput, submitter: "Operator")
        live(patch, startedAgo: 5 * hour, status: .longRunning)
        live(restart, startedAgo: 40 * 60_000, status: .inProgressWithError)
        live(diag, startedAgo: 30 * 60_000, status: .terminating)
        live(backup, startedAgo: 5 * 60_000, status: .inProgress, submitter: "DB Admin")
        live(patch, startedAgo: 90 * 60_000, status: .inProgress)
        live(export, startedAgo: 8 * 60_000, status: .inProgress)
        makeFinishedTask(service: export, submitter: "System", submitted: now - 3 * hour, status: .completed)
        makeFinishedTask(service: backup, submitter: "System", submitted: now - 26 * hour, status: .canceled)

        // Scheduled and recurring work: Waiting and Suspended tasks with their schedules.
        addSchedule(service: backup, type: .schedule, first: now + 6 * hour, recurrence: nil, suspended: false, at: now - hour)
        addSchedule(service: rotate, type: .recurrence, first: now + 2 * hour,
                    recurrence: Recurrence(interval: "daily", minutes: nil, dayOfWeek: nil, dayOfMonth: nil,
                                           lastDayOfMonth: false, startDate: nil, time: "02:00"),
                    suspended: false, at: now - 3 * dayMs)
        addSchedule(service: diag, type: .schedule, first: now + 30 * hour, recurrence: nil, suspended: true, at: now - 2 * hour)
        addSchedule(service: patch, type: .recurrence, first: now + 50 * hour,
                    recurrence: Recurrence(interval: "weekly", minutes: nil, dayOfWeek: "sun", dayOfMonth: nil,
                                           lastDayOfMonth: false, startDate: nil, time: "03:00"),
                    suspended: false, at: now - 5 * dayMs)

        if config.taskCount > tasks.count { seedBulk(count: config.taskCount - tasks.count, now: now) }
    }

    /// A task that ran and ended long ago.
    @discardableResult
    func makeFinishedTask(service s: Int, submitter: String, submitted: Int64, status: TaskStatus) -> Int {
        let id = makeTask(
            service: s, name: nil, description: "", submitter: submitter,
            scheduleType: status == .canceled ? .schedule : .immediate, start: status == .canceled ? submitted + 3_600_000 : nil,
            inputs: serviceInputs(services[s]), scheduleID: nil, recurrence: nil, at: submitted)
        let i = taskIndex(id)!
        let length = tasks[i].script.stepMilliseconds.reduce(0, +)
        switch status {
        case .canceled:
            finish(i, .canceled, at: submitted + 600_000)
        case .failed:
            tasks[i].failedStep = max(0, tasks[i].script.stepMilliseconds.count - 2)
            tasks[i].currentStep = tasks[i].failedStep!
            finish(i, .failed, at: submitted + length / 2)
        case .waiting, .suspended, .inProgress, .waitingForInput, .inProgressWithError, .terminating,
            .longRunning, .completed:
            tasks[i].currentStep = tasks[i].script.stepMilliseconds.count - 1
            finish(i, .completed, at: submitted + length)
        }
        tasks[i].stepTime = tasks[i].completionTime
        reschedule(i)
        return id
    }

    func addSchedule(service s: Int, type: ScheduleType, first: Int64, recurrence: Recurrence?, suspended: Bool, at t: Int64) {
        let svc = services[s]
        let sid = nextScheduleID
        nextScheduleID += 1
        schedules.append(SimSchedule(
            id: sid, name: svc.name, submitter: "System", type: type, createTime: t, modifyTime: t,
            description: "", scheduledStartTime: first, recurrence: recurrence, serviceID: svc.id,
            serviceState: svc.state, groupID: svc.groupID, templateID: svc.templateID))
        let id = makeTask(
            service: s, name: nil, description: "", submitter: "System", scheduleType: type, start: first,
            inputs: serviceInputs(svc), scheduleID: sid, recurrence: recurrence, at: t)
        let k = schedules.count - 1
        schedules[k].pendingTaskID = id
        schedules[k].statusText = config.statusStrings.string(for: .waiting)
        if suspended, let i = taskIndex(id) {
            suspend(i, at: t)
            schedules[k].statusText = config.statusStrings.string(for: .suspended)
        }
    }

    /// Finished tasks for scale tests: cheap copies with varied names, times and outcomes.
    private func seedBulk(count: Int, now: Int64) {
        let runnable = services.filter { $0.state == .release }
        guard !runnable.isEmpty else { return }
        tasks.reserveCapacity(tasks.count + count)
        let span: Int64 = 60 * 86_400_000
        let base = now - span - 86_400_000
        for k in 0..<count {
            let svc = runnable[k % runnable.count]
            let submitted = base + Int64(k) * (span / Int64(max(count, 1)))
            let r = rng.next() % 100
            let status: TaskStatus = r < 80 ? .completed : (r < 95 ? .failed : .canceled)
            let id = nextTaskID
            nextTaskID += 1
            let end = submitted + 1000 + Int64(r) * 1000
            appendTask(SimTask(
                id: id, name: "\(svc.name)_bulk\(k)", status: status, startTime: submitted + 1000,
                completionTime: end, scheduledStartTime: nil, submitter: "System", submitTime: submitted,
                modifyTime: end, serviceState: svc.state, scheduleType: .immediate, description: "",
                serviceName: svc.name, tags: svc.tags, recurrence: nil, groupName: svc.groupName,
                stepTime: end, templateID: svc.templateID, scheduleID: nil, groupID: svc.groupID, serviceID: svc.id,
                debug: false, script: svc.script, engine: .finished))
        }
    }
}
