import AOClient
import AOSimulator
import ATSJSON
import Testing

/// A filter and the same condition written in Swift, applied to the full list.
struct FilterCase: Sendable, CustomTestStringConvertible {
    var filter: String
    var check: @Sendable (JSON) -> Bool
    var testDescription: String { filter }
}

private func str(_ t: JSON, _ k: String) -> String { t[k]?.stringValue ?? "" }
private func int(_ t: JSON, _ k: String) -> Int { t[k]?.intValue ?? -1 }

let filterCases: [FilterCase] = [
    FilterCase(filter: "status eq 'inProgress'") { str($0, "status") == "inProgress" },
    FilterCase(filter: "status = 'failed'") { str($0, "status") == "failed" },
    FilterCase(filter: "status ne 'completed'") { str($0, "status") != "completed" },
    FilterCase(filter: "status <> 'completed' and status != 'failed'") { !["completed", "failed"].contains(str($0, "status")) },
    FilterCase(filter: "instanceID gt 5380") { int($0, "instanceID") > 5380 },
    FilterCase(filter: "instanceID >= 5381 and instanceID <= 5385") { (5381...5385).contains(int($0, "instanceID")) },
    FilterCase(filter: "instanceID lt 5010 or instanceID > 5395") { int($0, "instanceID") < 5010 || int($0, "instanceID") > 5395 },
    FilterCase(filter: "instanceID ge 5390 and (status eq 'inProgress' or status eq 'waitingResponse')") {
        int($0, "instanceID") >= 5390 && ["inProgress", "waitingResponse"].contains(str($0, "status"))
    },
    FilterCase(filter: "(serviceName eq 'Backup Database' or serviceName eq 'Provision VM') and status ne 'completed'") {
        ["Backup Database", "Provision VM"].contains(str($0, "serviceName")) && str($0, "status") != "completed"
    },
    FilterCase(filter: "status in ['failed', 'canceled']") { ["failed", "canceled"].contains(str($0, "status")) },
    FilterCase(filter: "instanceID not in [5381, 5382, 5000]") { ![5381, 5382, 5000].contains(int($0, "instanceID")) },
    FilterCase(filter: "serviceName starts 'Backup'") { str($0, "serviceName").hasPrefix("Backup") },
    FilterCase(filter: "name ends '00'") { str($0, "name").hasSuffix("00") },
    FilterCase(filter: "[status] eq 'waitingResponse'") { str($0, "status") == "waitingResponse" },
    FilterCase(filter: "toDo eq false and submitter eq 'Operator'") { $0["toDo"]?.boolValue == false && str($0, "submitter") == "Operator" },
    FilterCase(filter: "toDo = TRUE") { $0["toDo"]?.boolValue == true },
    FilterCase(filter: "startTime gt '2015-08-07T08:00:00.000+09:00' and status eq 'waitingResponse'") {
        str($0, "startTime") > "2015-08-07T08:00:00.000+0900" && str($0, "status") == "waitingResponse"
    },
    FilterCase(filter: "submitTime ge '2015-08-06T23:30:00.000Z'") { str($0, "submitTime") >= "2015-08-07T08:30:00.000+0900" },
    FilterCase(filter: "serviceGroupID eq 4 and scheduleType eq 'schedule'") { int($0, "serviceGroupID") == 4 && str($0, "scheduleType") == "schedule" },
]

@Suite("List options: HQL::filter, sortBy, fields, offset, limit, q and plain filters (reference §1.8)")
struct ListOptionTests {
    @Test("HQL::filter selects exactly what the condition says", arguments: filterCases)
    func filter(_ c: FilterCase) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let all = try await h.get("/objects/Tasks").data
            let expected = all.filter(c.check).compactMap { $0["instanceID"]?.intValue }
            let r = try await h.get("/objects/Tasks" + query(("HQL::filter", c.filter)))
            #expect(r.status == 200, "\(r.text)")
            #expect(r.data.compactMap { $0["instanceID"]?.intValue } == expected)
            #expect(r.count == expected.count)
        }
    }

    @Test("a quoted string may contain '' for a quote")
    func quoteEscape() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            #expect(try await h.request("PUT", "/objects/Tasks/5381", body: "{\"notes\":\"it's late\"}").status == 200)
            let r = try await h.get("/objects/Tasks" + query(("HQL::filter", "notes eq 'it''s late'")))
            #expect(r.data.compactMap { $0["instanceID"]?.intValue } == [5381])
        }
    }

    /// Fuzz finding (`hql`): the lexer read Swift `Character`s, in which a quote and the
    /// combining mark after it are one, so such a quote neither closed nor escaped a string.
    @Test("a quote followed by a combining mark is still a quote")
    func quoteBeforeACombiningMark() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let notes = "it'\u{301}s late"
            #expect(try await h.request("PUT", "/objects/Tasks/5381", body: "{\"notes\":\"\(notes)\"}").status == 200)
            let r = try await h.get("/objects/Tasks" + query(("HQL::filter", "notes eq " + HQLOptions.quote(notes))))
            #expect(r.status == 200, "\(r.text)")
            #expect(r.data.compactMap { $0["instanceID"]?.intValue } == [5381])
            let leading = try await h.get("/objects/Tasks" + query(("HQL::filter", "name eq '\u{301}x'")))
            #expect(leading.status == 200, "\(leading.text)")
            #expect(leading.data.isEmpty)
            // `starts` and `ends` compare scalars too: "it'" starts "it'◌́s late".
            let starts = try await h.get("/objects/Tasks" + query(("HQL::filter", "notes starts 'it'''")))
            #expect(starts.data.compactMap { $0["instanceID"]?.intValue } == [5381])
            let ends = try await h.get("/objects/Tasks" + query(("HQL::filter", "notes ends '\u{301}s late'")))
            #expect(ends.data.compactMap { $0["instanceID"]?.intValue } == [5381])
        }
    }

    @Test("a bad filter answers 400 with a message that says what is wrong", arguments: [
        ("status eq", "expected a value"),
        ("status eq 'failed", "not closed"),
        ("bogus eq 1", "'bogus' is not a member"),
        ("instanceID eq 'abc'", "needs a number"),
        ("status eq 3", "needs a quoted string"),
        ("status like 'x'", "expected an operator"),
        ("(status eq 'failed'", "expected ')'"),
        ("status eq 'failed' xor instanceID eq 1", "'and', 'or'"),
        ("instanceID in [1, 2", "to close the list"),
        ("startTime gt '2015-08-07T10:00:00.000+0900'", "colon"),
        ("startTime gt '2015-08-07'", "must be complete"),
        ("instanceID starts 'x'", "needs a string member"),
        ("status eq 'a' # 1", "unexpected character"),
    ])
    func badFilter(filter: String, fragment: String) async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let r = try await h.get("/objects/Tasks" + query(("HQL::filter", filter)))
            #expect(r.status == 400)
            #expect(r.messageID == "KNAE90410-E")
            let message = r.json?["message"]?.stringValue ?? ""
            #expect(message.contains(fragment), "\(message)")
        }
    }

    @Test("HQL::sortBy orders by several members, ASC and DESC")
    func sort() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let r = try await h.get("/objects/Tasks" + query(("HQL::sortBy", "serviceName ASC, instanceID DESC")))
            let keys = r.data.map { (str($0, "serviceName"), int($0, "instanceID")) }
            #expect(keys.count > 300)
            for (a, b) in zip(keys, keys.dropFirst()) {
                #expect(a.0 < b.0 || (a.0 == b.0 && a.1 > b.1))
            }
            let byTime = try await h.get("/objects/Tasks" + query(("HQL::sortBy", "startTime DESC"), ("HQL::limit", "5")))
            let times = byTime.data.map { str($0, "startTime") }
            #expect(times == times.sorted(by: >))
            #expect(try await h.get("/objects/Tasks" + query(("HQL::sortBy", "status UP"))).status == 400)
            #expect(try await h.get("/objects/Tasks" + query(("HQL::sortBy", "nothing"))).status == 400)
        }
    }

    @Test("HQL::fields keeps only the named members")
    func fields() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let r = try await h.get("/objects/Tasks" + query(("HQL::fields", "instanceID,status"), ("HQL::limit", "3")))
            #expect(r.data.count == 3)
            for item in r.data { #expect(item.objectValue?.keys == ["instanceID", "status"]) }
        }
    }

    @Test("HQL::offset and HQL::limit page through the list; count is the number of matches")
    func paging() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let all = try await h.get("/objects/Tasks").data.compactMap { $0["instanceID"]?.intValue }
            var paged: [Int] = []
            var offset = 0
            while offset < all.count + 100 {
                let r = try await h.get("/objects/Tasks" + query(("HQL::offset", "\(offset)"), ("HQL::limit", "100")))
                #expect(r.count == all.count)
                paged += r.data.compactMap { $0["instanceID"]?.intValue }
                offset += 100
            }
            #expect(paged == all)
            let filtered = try await h.get("/objects/Tasks" + query(("HQL::filter", "status eq 'completed'"), ("HQL::offset", "10"), ("HQL::limit", "5")))
            #expect(filtered.data.count == 5)
            #expect(try #require(filtered.count) > 15)
            for bad in [("HQL::limit", "-1"), ("HQL::offset", "abc"), ("serviceID", "x")] {
                let r = try await h.get("/objects/Tasks" + query(bad))
                #expect(r.status == 400)
                #expect(r.messageID == "KNAE90412-E")
            }
        }
    }

    @Test("q searches case-insensitively and every word must match; plain filters narrow the list")
    func plainFilters() async throws {
        try await SimHarness.with { (h: SimHarness) async throws in
            let r = try await h.get("/objects/Tasks" + query(("q", "backup DATABASE")))
            #expect(try #require(r.count) > 0)
            #expect(r.data.allSatisfy { str($0, "serviceName") == "Backup Database" || str($0, "name").lowercased().contains("backup database") })
            let byService = try await h.get("/objects/Tasks?serviceID=2004")
            #expect(byService.data.allSatisfy { int($0, "serviceID") == 2004 })
            #expect(byService.count == r.count)
            let byTags = try await h.get("/objects/Tasks?tags=Patching,Linux")
            #expect(try #require(byTags.count) > 0)
            #expect(byTags.data.allSatisfy { str($0, "serviceName") == "Patch Servers" })
            let services = try await h.get("/objects/Services" + query(("q", "servers"), ("HQL::fields", "name")))
            #expect(services.data.map { str($0, "name") } == ["Patch Servers"])
            let histories = try await h.get("/objects/TaskHistories" + query(("start", "2015-07-25T00:00:00.000+09:00")))
            #expect(histories.data.allSatisfy { str($0, "startTime") >= "2015-07-25" })
            #expect(try await h.get("/objects/TaskHistories" + query(("start", "2015-07-25T00:00:00.000+0900"))).status == 400)
            let groups = try await h.get("/objects/ServiceGroups" + query(("HQL::filter", "name starts 'Data'")))
            #expect(groups.data.map { str($0, "objectID") } == ["Automation_RG_DATABASE"])
        }
    }
}
