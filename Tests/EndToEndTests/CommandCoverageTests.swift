import ATSJSON
import Foundation
import Testing
import TestSupport

/// Every command of SHELL.md §2 against `ats sim --port 0` over loopback HTTP.
@Suite(.serialized) struct CommandCoverageTests {
    /// Runs `script` against a fresh simulator server; returns the result.
    func run(_ script: String, arguments: [String] = [], timeout: Double = 90) throws -> ProcessResult {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        return try runATS(against(sim.url) + arguments + ["-c", script], environment: passwordEnvironment, timeout: timeout)
    }

    @Test func sessionCommands() throws {
        let result = try run("""
            let me = whoami
            assert $me != null "whoami"
            let v = server
            assert $v.apiVersion != null "server"
            echo $v.productName
            trace curl
            let n = tasks --limit 1 | count
            trace off
            dry-run on
            dry-run off
            format json
            help stop
            disconnect
            try { tasks } catch err { echo "after disconnect: ${err.kind}" }
            connect sim
            echo (whoami) != null
            """)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("JP1/Automatic Operation"), "\(result)")
        #expect(result.stdout.contains("usage: stop ID…"), "\(result)")
        #expect(result.stdout.contains("after disconnect: script"), "\(result)")
        #expect(result.stderr.contains("curl -X GET"), "trace curl goes to stderr: \(result)")
    }

    @Test func taskCommands() throws {
        let result = try run("""
            let all = tasks --all
            assert len($all) > 0 "tasks"
            let some = tasks --limit 3 --sort -submitTime
            assert len($some) == 3 "limit"
            let failed = tasks --status Failed,canceled
            for t in $failed { assert $t.status == "failed" or $t.status == "canceled" "status filter" }
            let backups = tasks --service "Backup Database"
            for t in $backups { assert $t.serviceName == "Backup Database" "service filter" }
            let grouped = tasks --group Database
            let searched = tasks --search backup
            let filtered = tasks --filter "status eq 'completed'"
            for t in $filtered { assert $t.status == "completed" "hql" }
            let t = task $all[0].instanceID
            assert $t.instanceID == $all[0].instanceID "task"
            let s = steps $t.instanceID
            let l = log $t.instanceID --tail 5
            assert len($l) <= 5 "tail"
            let a = actions $t.instanceID
            assert len($a) > 0 "actions"
            let tmpl = actions $t.instanceID stop
            assert $tmpl.name == "stop" "action template"
            note $t.instanceID "checked by ats"
            todo $t.instanceID on
            let after = task $t.instanceID
            assert $after.notes == "checked by ats" "note"
            assert $after.toDo == true "todo"
            let finished = tasks --status completed | first 1
            task delete $finished[0].instanceID
            let running = tasks --status inProgress | first 2
            stop $running[0].instanceID
            stop $running[1].instanceID --force
            stop(($running[1]).instanceID, force: true)
            echo "ok"
            """)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.hasSuffix("ok\n"), "\(result)")
    }

    @Test func respondRetryResubmitArchive() throws {
        let result = try run("""
            let waiting = tasks --status waitingResponse | first 1
            let q = actions $waiting[0].instanceID response
            respond $waiting[0].instanceID --button 1
            let failed = tasks --status failed | first 3
            retry $failed[0].instanceID
            retry $failed[1].instanceID --from-next-step
            let done = tasks --status completed | first 2
            let again = resubmit $done[0].instanceID
            assert $again.instanceID != $done[0].instanceID "resubmit makes a new task"
            archive $done[1].instanceID
            let h = history
            assert len($h) > 0 "history"
            let one = history $done[1].instanceID
            assert $one != null "history ID"
            history delete $done[1].instanceID
            history delete --to 2000-01-01T00:00:00+09:00 --yes
            echo "ok"
            """)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.hasSuffix("ok\n"), "\(result)")
    }

    @Test func servicesSchedulesTemplates() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("backup.st")
        let result = try run("""
            let svcs = services
            assert len($svcs) > 0 "services"
            let s = service "Backup Database"
            let byID = service $s.instanceID
            assert $byID.name == "Backup Database" "service by id"
            let grouped = services --group Database --search backup
            service update $s.instanceID --description "nightly backup"
            assert (service $s.instanceID).description == "nightly backup" "update"
            let t = submit "Backup Database" --param target=db01 --param mode=full --name "e2e backup"
            assert $t.instanceID != null "submit"
            let later = submit "Backup Database" --at 2030-01-01T02:00:00+09:00
            let nightly = submit "Backup Database" --every daily:02:00
            let scheds = schedules
            assert len($scheds) > 0 "schedules"
            let sc = schedule $scheds[0].instanceID
            let mine = schedules --service "Backup Database"
            try { schedule suspend $later.scheduleID; schedule resume $later.scheduleID; schedule cancel $later.scheduleID } catch err { echo "schedule: ${err.summary}" }
            let tm = templates
            assert len($tm) > 0 "templates"
            let one = template $tm[0].instanceID
            template export $tm[0].instanceID \(file)
            let imported = template import \(file)
            let svcActions = actions $s.instanceID --of service
            service release "Archive Mailboxes"
            service maintenance "Archive Mailboxes"
            service reset "Rotate Logs"
            try { service disable "Rotate Logs" } catch err { echo "disable: ${err.summary}" }
            try { template delete $tm[0].instanceID } catch err { echo "template delete: ${err.status}" }
            echo "ok"
            """)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.hasSuffix("ok\n"), "\(result)")
        #expect(FileManager.default.fileExists(atPath: file))
    }

    @Test func propertiesGroupsTagsAndRaw() throws {
        let result = try run("""
            let s = service "Backup Database"
            let values = props --service $s.instanceID
            let defs = props definitions --service $s.instanceID
            let info = props info --service $s.instanceID
            let pg = props groups --service $s.instanceID
            let shared = props
            if len($shared) > 0 {
                let p = props $shared[0].instanceID
                props set $shared[0].instanceID "changed"
                props update [{instanceID: $shared[0].instanceID, value: "again"}]
            }
            if len($defs) > 0 { let d = props definitions $defs[0].instanceID }
            let g = groups
            assert len($g) > 0 "groups"
            let one = groups $g[0].instanceID
            let tg = tags
            let tgs = tags --groups
            assert len($tgs) > 0 "tag groups"
            let tt = tags --resource-type Task
            let raw = api GET /objects/Tasks --query HQL::limit=2
            assert len($raw.data) == 2 "api"
            let form = api GET /services/ServiceTemplates/actions/import --accept text/html
            echo "ok"
            """)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.hasSuffix("ok\n"), "\(result)")
    }

    @Test func waitAndLogFollow() throws {
        let result = try run("""
            let t = submit "Rotate Logs"
            let done = wait $t.instanceID --timeout 5m --every 500ms
            echo $done.status
            log $t.instanceID --follow
            """, timeout: 360)
        #expect(result.exitCode == 0, "\(result)")
    }
}
