import ATSJSON
import AOClient
import Testing

/// The example bodies of the reference and the seed page, quirks included (§1.10, §6, §7.1).
@Suite struct DecodingTests {
    /// The seed page's response body: `instanceID` + `affectedResource` (array), `+09:00` dates.
    static let seedResponse = """
        {
        "instanceID" : "68451399-53c2-4f6b-bbdd-be025a61ed02",
        "created" : "2015-08-07T19:00:40.025+09:00",
        "updated" : "2015-08-07T19:00:40.025+09:00",
        "completed" : "2015-08-07T19:00:40.025+09:00",
        "state" : "success",
        "affectedResource" : [ "http://192.168.146.132:22015/Automation/v1/objects/Tasks/5381" ],
        "result" : [ ]
        }
        """

    @Test func seedPageResponseIsASuccessfulJobNamingTask5381() throws {
        let job = try #require(Job(json: try JSONParser.parse(Self.seedResponse)))
        #expect(job.instanceID == "68451399-53c2-4f6b-bbdd-be025a61ed02")
        #expect(job.state == "success")
        #expect(job.knownState == .success)
        #expect(job.affectedIDs(in: "Tasks") == [5381])
        #expect(job.result == [])
        #expect(job.created == "2015-08-07T19:00:40.025+09:00")
        #expect(APIDate(parsing: job.completed ?? "") != nil)
    }

    @Test func schemaSpellingInstanceIdAndAffectedResourcesReads() throws {
        let body = """
            { "instanceId" : "b1c1e5a2", "created" : "2015-08-07T19:00:39.123+0900",
              "state" : "success",
              "affectedResources" : [ "http://host:22015/Automation/v1/objects/Tasks/5381" ] }
            """
        let job = try #require(Job(json: try JSONParser.parse(body)))
        #expect(job.instanceID == "b1c1e5a2")
        #expect(job.affectedIDs(in: "Tasks") == [5381])
        #expect(job.result == nil)
        #expect(job.resultType == nil)
    }

    @Test func affectedResourceAsASingleStringWithSpaces() throws {
        let body = #"{"instanceID": 42, "state": "queued", "affectedResource": " http://h:22015/Automation/v1/objects/Schedules/2193 "}"#
        let job = try #require(Job(json: try JSONParser.parse(body)))
        #expect(job.instanceID == "42")
        #expect(job.knownState == .queued)
        #expect(job.affectedResources == ["http://h:22015/Automation/v1/objects/Schedules/2193"])
        #expect(job.affectedIDs(in: "Schedules") == [2193])
        #expect(job.affectedIDs(in: "Tasks") == [])
    }

    @Test func unknownJobStateIsKeptVerbatim() throws {
        let job = try #require(Job(json: ["state": "Archiving", "result": nil, "resultType": "TaskHistory"]))
        #expect(job.state == "Archiving")
        #expect(job.knownState == nil)
        #expect(job.result == [])
        #expect(job.resultType == "TaskHistory")
    }

    @Test func jobKeepsUnknownMembersAndOrderInRaw() throws {
        let text = #"{"zeta":1,"instanceID":"x","alpha":{"b":2,"a":1}}"#
        let job = try #require(Job(json: try JSONParser.parse(text)))
        #expect(JSONWriter.compact.string(job.raw) == text)
    }

    /// 2.7.15 prints `"affectedResources" : [ {...} ]` with no comma before the next member.
    @Test func rerunStartExampleWithMissingCommaIsAnErrorWithOffset() {
        let body = """
            {"instanceID" : "x", "affectedResources" : [ "http://h/Automation/v1/objects/Tasks/3179" ] "result" : [ ]}
            """
        #expect(throws: JSONParseError.self) { try JSONParser.parse(body) }
        do {
            _ = try JSONParser.parse(body)
        } catch {
            #expect(error.offset == 91)
            #expect(error.reason == .unexpectedByte(UInt8(ascii: "\"")))
        }
    }

    /// 2.2.14 Services schema: missing commas after `tags` etc. (quirk 22).
    @Test(arguments: [
        #"{"instanceID": 2004, "tags": "a" "serviceTemplateName": "t"}"#,
        #"{"instanceID": 3, "objectID": "Automation_RG_DEFAULT" "name": "DefaultServiceGroup"}"#,
        #"{"instanceID": 158, "serviceTemplateID": 1116, }"#,
    ])
    func malformedSchemaExamplesAreParseErrors(_ body: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(body) }
    }

    @Test func actionTemplateWithLeadingSpaceHrefAndNullParameters() throws {
        let body = """
            {"name":"archive","href":" http://host:22015/Automation/v1/objects/Tasks/5381/actions/archive/invoke",
             "method":"POST","parameters":null}
            """
        let t = try #require(ActionTemplate(json: try JSONParser.parse(body)))
        #expect(t.href == "http://host:22015/Automation/v1/objects/Tasks/5381/actions/archive/invoke")
        #expect(t.parameters == [])
        #expect(t.actionName == "archive")
        #expect(t.method == "POST")
    }

    /// 2.7.16 names the template `rerunStart` while its href ends in `rerunStepStart/invoke`.
    @Test func rerunStepStartTemplateIsIdentifiedByItsHref() throws {
        let t = try #require(
            ActionTemplate(json: [
                "name": "rerunStart", "href": "http://h:22015/Automation/v1/objects/Tasks/5/actions/rerunStepStart/invoke",
                "method": "POST", "parameters": [],
            ]))
        #expect(t.name == "rerunStart")
        #expect(t.actionName == "rerunStepStart")
    }

    /// 2.6.3 prints the cancel href without a port.
    @Test func hrefWithoutPortStillNamesTheAction() throws {
        let t = try #require(ActionTemplate(json: ["name": "cancel", "href": "http://host:/Automation/v1/objects/Schedules/2060/actions/cancel/invoke"]))
        #expect(t.actionName == "cancel")
    }

    @Test func listEnvelopeKeepsItemsVerbatim() throws {
        let body = """
            {"data":[{"instanceID":5381,"status":"inProgress","zzz":true},{"instanceID":5209,"status":"Some New Status"}],
             "count":2,"pagination":{"page":1}}
            """
        let list = try #require(ResourceList(json: try JSONParser.parse(body)))
        #expect(list.count == 2)
        #expect(list.items.count == 2)
        #expect(list.items[0]["zzz"] == .bool(true))
        #expect(list.items[1]["status"] == "Some New Status")
        #expect(list.raw["pagination"]?["page"] == 1)
    }

    @Test func listEnvelopeWithNullDataOrBareArray() throws {
        let a = try #require(ResourceList(json: ["data": nil, "count": 0]))
        #expect(a.items.isEmpty)
        #expect(a.count == 0)
        let b = try #require(ResourceList(json: [["x": 1]]))
        #expect(b.items.count == 1)
        #expect(ResourceList(json: ["nodata": 1]) == nil)
        #expect(ResourceList(json: "text") == nil)
    }

    /// The task object of reference §3.1 (nulls for absent values).
    @Test func taskExampleObjectReads() throws {
        let body = """
            {"instanceID": 5381, "name": "BackupDB_20150807100000", "status": "inProgress",
             "startTime": "2015-08-07T10:00:01.000+0900", "completionTime": null, "scheduledStartTime": null,
             "submitter": "System", "toDo": false, "notes": "", "serviceTemplateID": 1116, "scheduleID": 2193,
             "supportedActionType": "stop,forceStop"}
            """
        let task = try JSONParser.parse(body)
        #expect(Tolerant.int(task["instanceID"]) == 5381)
        #expect(Tolerant.string(task["completionTime"]) == nil)
        #expect(Tolerant.string(task["notes"]) == nil)
        #expect(APIConventions.default.category(ofStatus: Tolerant.string(task["status"])!) == .active)
        let start = try #require(APIDate(parsing: Tolerant.string(task["startTime"])!))
        #expect(start.utcOffsetSeconds == 9 * 3600)
        #expect(Tolerant.stringList(task["supportedActionType"]) == ["stop,forceStop"])
    }

    /// 2.2.18 error body.
    @Test func serverErrorBodyReads() throws {
        let body = """
            {"errorSource": "http://10.196.184.238:22015/Automation/v1/objects/Tasks/555",
             "message": "The specified resource does not exist or you do not have access. ...",
             "messageID": "KNAE02102-E", "application": "Automation"}
            """
        let e = try #require(ServerError(json: try JSONParser.parse(body)))
        #expect(e.messageID == "KNAE02102-E")
        #expect(e.application == "Automation")
        #expect(e.errorSource?.hasSuffix("/Tasks/555") == true)
        #expect(e.messageData == nil)
        #expect(ServerError(json: ["unrelated": 1]) == nil)
    }

    /// 3.9: schema `instanceId`, example `instanceID` with a string object id.
    @Test func userInfoReadsBothSpellings() throws {
        let body = """
            {"userName":"System","accessPermission":["User Management"],"fullName":"","description":"Built-in account",
             "email":"","resourceGroup":[{"instanceID":"Automation_RG_ALL","name":"All Service Groups",
             "accessPermission":["View","Execute","Develop","Modify","Admin"]}]}
            """
        let user = try JSONParser.parse(body)
        let group = try #require(Tolerant.list(user["resourceGroup"]).first)
        #expect(Tolerant.string(Tolerant.member(group, "instanceID", "instanceId")) == "Automation_RG_ALL")
        #expect(Tolerant.stringList(group["accessPermission"]).count == 5)
        #expect(Tolerant.string(user["fullName"]) == nil)
    }

    @Test func versionInfoReads() throws {
        let v = try JSONParser.parse(#"{ "productName": "JP1/Automatic Operation", "productVersion": "11-00-00", "apiVersion": "01.01.00" }"#)
        #expect(Tolerant.string(v["apiVersion"]) == "01.01.00")
    }

    @Test(arguments: [
        ("attachment; filename=\"com.hitachi.software.dna.cts_SP_GenericApplication_01.20.00.st\"",
         "com.hitachi.software.dna.cts_SP_GenericApplication_01.20.00.st"),
        ("attachment; filename=plain.zip", "plain.zip"),
        ("attachment; filename=\"../../etc/passwd\"", "passwd"),
        ("attachment; filename*=UTF-8''%E6%97%A5%E6%9C%AC.st; filename=\"x.st\"", "日本.st"),
    ])
    func contentDispositionFileName(_ header: String, _ expected: String) {
        #expect(DownloadedFile.filename(fromContentDisposition: header) == expected)
    }

    @Test func noFileNameInContentDisposition() {
        #expect(DownloadedFile.filename(fromContentDisposition: "attachment") == nil)
    }

    @Test(arguments: [
        ("http://h:22015/Automation/v1/objects/Tasks/5381", 5381),
        (" http://h:22015/Automation/v1/objects/Tasks/5381/ ", 5381),
        ("http://h:22015/Automation/v1/objects/Tasks/5381?x=1", 5381),
    ])
    func trailingIDs(_ url: String, _ id: Int) {
        #expect(Tolerant.trailingID(url) == id)
    }
}
