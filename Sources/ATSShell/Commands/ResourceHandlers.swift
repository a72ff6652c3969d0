import AOClient
import ATSJSON
import ATSLanguage
import Foundation

/// Service templates, properties, service groups, tags, and the raw `api` command.
enum ResourceHandlers {
    static let table: [String: ShellHost.Handler] = [
        "templates": { run throws(ErrorValue) in
            var query: [(String, String)] = []
            if let tags = run.option("tag") { query.append(("tags", tags)) }
            if let q = run.option("search") { query.append(("q", q)) }
            if let v = run.option("vendor") { query.append(("vendorID", v)) }
            if let k = run.option("key") { query.append(("keyName", k)) }
            if let v = run.option("version") { query.append(("version", v)) }
            if let u = run.option("using") { query.append(("usingServiceTemplateID", u)) }
            query += try run.listQuery(extraFilters: [])
            return CommandRun.value(try run.list("/objects/ServiceTemplates", query: query, limit: try run.limit(), all: run.flag("all")))
        },
        "template": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a template id")
            return CommandRun.value(try run.get("/objects/ServiceTemplates/\(id)", hint: .object(resource: "ServiceTemplates", id: id)))
        },
        "template export": templateExport,
        "template import": templateImport,
        "template delete": { run throws(ErrorValue) in
            let ids = try run.ids(what: "a template id")
            try run.confirm("delete \(ids.count) service templates", count: ids.count)
            for id in ids {
                try run.send(APIRequestSpec("DELETE", "/objects/ServiceTemplates/\(id)"), hint: .object(resource: "ServiceTemplates", id: id))
                run.note("deleted template \(id)")
            }
            return .null
        },
        "template bind": templateBind,
        "props": { run throws(ErrorValue) in
            if run.argument(0) != nil {
                let id = try run.id(0, what: "a property value id")
                return CommandRun.value(try run.get("/objects/PropertyValues/\(id)", hint: .object(resource: "PropertyValues", id: id)))
            }
            let query = try ownerQuery(run, ["service": "serviceID", "task": "taskID", "schedule": "scheduleID"])
            return CommandRun.value(try run.get("/objects/PropertyValues", query: query)["data"]?.arrayValue ?? [])
        },
        "props definitions": { run throws(ErrorValue) in
            if run.argument(0) != nil {
                let id = try run.id(0, what: "a property definition id")
                return CommandRun.value(try run.get("/objects/PropertyDefinitions/\(id)", hint: .object(resource: "PropertyDefinitions", id: id)))
            }
            let query = try ownerQuery(run, ["service": "serviceID", "task": "taskID", "template": "serviceTemplateID"])
            return CommandRun.value(try run.get("/objects/PropertyDefinitions", query: query)["data"]?.arrayValue ?? [])
        },
        "props info": { run throws(ErrorValue) in
            var query = try ownerQuery(run, ["service": "serviceID", "task": "taskID", "schedule": "scheduleID"])
            if run.flag("shared") { query.append(("shared", "true")) }
            return CommandRun.value(try run.get("/objects/PropertyInformations", query: query)["data"]?.arrayValue ?? [])
        },
        "props groups": { run throws(ErrorValue) in
            let query = try ownerQuery(run, ["template": "serviceTemplateID", "service": "serviceID", "schedule": "scheduleID", "task": "taskID"])
            return CommandRun.value(try run.get("/objects/PropertyGroups", query: query)["data"]?.arrayValue ?? [])
        },
        "props set": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a property value id")
            let hint = ErrorHint.object(resource: "PropertyValues", id: id)
            let current = try run.get("/objects/PropertyValues/\(id)", hint: hint)
            let value = run.argument(1).map { $0.toJSON() } ?? .null
            let body = (current == .null ? JSON.object(JSONObject()) : current).setting("value", value)
            guard let reply = try run.send(APIRequestSpec("PUT", "/objects/PropertyValues/\(id)", body: .json(body)), hint: hint)
            else { return .null }
            return CommandRun.value(reply.json ?? .null)
        },
        "props update": { run throws(ErrorValue) in
            guard case .list(let items)? = run.argument(0) else { throw run.bad(run.argument(0) ?? .null, expected: "a list of property values") }
            var query: [(String, String)] = []
            if let s = run.optionValue("service") { query.append(("serviceID", String(try ServiceHandlers.serviceID(s, run: run)))) }
            let data = items.map { $0.toJSON() }
            let body: JSON = ["pagination": .object(JSONObject()), "data": .array(data), "count": .int(data.count)]
            guard let reply = try run.send(APIRequestSpec("PUT", "/objects/PropertyValues", query: query, body: .json(body))) else { return .null }
            let json = reply.json ?? .null
            return CommandRun.value(json["data"] ?? json)
        },
        "groups": { run throws(ErrorValue) in
            if run.argument(0) != nil {
                let id = try run.id(0, what: "a service group id")
                return CommandRun.value(try run.get("/objects/ServiceGroups/\(id)", hint: .object(resource: "ServiceGroups", id: id)))
            }
            let query = try run.listQuery(extraFilters: [])
            return CommandRun.value(try run.list("/objects/ServiceGroups", query: query, limit: try run.limit(), all: run.flag("all")))
        },
        "tags": { run throws(ErrorValue) in
            if run.flag("groups") { return CommandRun.value(try run.get("/objects/TagGroups")["data"]?.arrayValue ?? []) }
            var query: [(String, String)] = []
            if let t = run.option("resource-type") { query.append(("resourceType", t)) }
            if run.flag("detail") { query.append(("detail", "true")) }
            return CommandRun.value(try run.get("/objects/Tags", query: query)["data"]?.arrayValue ?? [])
        },
        "api": api,
    ]

    /// A service group's id from an id or a name.
    static func groupID(_ text: String, run: CommandRun) throws(ErrorValue) -> Int {
        if let id = Int(text) { return id }
        let groups = try run.list("/objects/ServiceGroups", query: [], limit: nil, all: true)
        let match = groups.first { $0["name"]?.stringValue == text || $0["displayName"]?.stringValue == text }
            ?? groups.first { $0["name"]?.stringValue?.lowercased() == text.lowercased() }
        guard let id = match?["instanceID"]?.intValue else { throw run.failure(.unknownGroup(text)) }
        return id
    }

    /// Query parameters naming the owner of properties (`--service` resolves names).
    static func ownerQuery(_ run: CommandRun, _ names: KeyValuePairs<String, String>) throws(ErrorValue) -> [(String, String)] {
        var query: [(String, String)] = []
        for (option, parameter) in names {
            guard let v = run.optionValue(option) else { continue }
            if option == "service" {
                query.append((parameter, String(try ServiceHandlers.serviceID(v, run: run))))
            } else {
                guard let id = CommandRun.id(v) else { throw run.bad(v, expected: "an id") }
                query.append((parameter, String(id)))
            }
        }
        return query
    }

    /// `template export ID [FILE]`: downloads the package and writes it.
    static func templateExport(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a template id")
        let hint = ErrorHint.resourceAction(resource: "ServiceTemplates", id: id, action: "export")
        // The export is a read even though it is a POST: dry-run still downloads.
        let gateway = try run.connection().gateway
        let file: (bytes: [UInt8], filename: String?)
        let interrupt = run.context.interrupt
        do throws(APIError) {
            file = try BlockingCall.run(interrupted: { interrupt.isRaised }) { () async throws(APIError) -> (bytes: [UInt8], filename: String?) in
                try await gateway.exportTemplate(id)
            }
        } catch {
            let request = APIRequestSpec("POST", "/objects/ServiceTemplates/\(id)/actions/export/invoke")
            throw ErrorMapping.errorValue(error, request: request, baseURL: gateway.baseURL, call: run.call, hint: hint)
        }
        let path = run.string(1) ?? file.filename ?? "template-\(id).st"
        do throws(FileError) { try run.host.services.world.files.write(path, file.bytes) } catch {
            throw run.failure(.unreadableFile(path, detail: "cannot be written"))
        }
        run.note("wrote \(file.bytes.count) bytes to \(path)")
        var result = ValueObject()
        result["file"] = .string(path)
        result["bytes"] = .int(file.bytes.count)
        return .object(result)
    }

    /// `template import FILE`.
    static func templateImport(_ run: CommandRun) throws(ErrorValue) -> Value {
        let path = run.string(0) ?? ""
        let data: [UInt8]
        do throws(FileError) { data = try run.host.services.world.files.read(path) } catch {
            throw run.failure(.unreadableFile(path, detail: "no such file, or not readable"))
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let request = APIRequestSpec("POST", "/services/ServiceTemplates/actions/import/invoke", body: .file(name: name, bytes: data))
        guard let reply = try run.send(request) else { return .null }
        return CommandRun.value(reply.json ?? .null)
    }

    /// `template bind ID --name N [--description] [--group] [--param k=v…]`.
    static func templateBind(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a template id")
        guard let name = run.option("name") else { throw run.missing("a service name (--name)") }
        let pairs = try run.keyValues("param")
        let job = try run.invoke("ServiceTemplates", id, "bind", hint: .resourceAction(resource: "ServiceTemplates", id: id, action: "bind")) {
            (template: inout JSON) throws(ErrorValue) in
            var params = template["parameters"]?.arrayValue ?? []
            var index = params.firstIndex { $0["name"] != nil || $0["serviceGroupName"] != nil }
            if index == nil {
                params.insert(.object(JSONObject()), at: 0)
                index = 0
            }
            params[index!] = params[index!].setting("name", .string(name))
            if let d = run.option("description") { params[index!] = params[index!].setting("description", .string(d)) }
            if let g = run.option("group") { params[index!] = params[index!].setting("serviceGroupName", .string(g)) }
            template = template.setting("parameters", .array(params))
            ServiceHandlers.setProperties(pairs, in: &template)
        }
        return job.map(CommandRun.value) ?? .null
    }

    /// `api METHOD PATH [BODY] [--query k=v…] [--accept TYPE]`.
    static func api(_ run: CommandRun) throws(ErrorValue) -> Value {
        let method = (run.string(0) ?? "").uppercased()
        guard ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"].contains(method) else {
            throw run.bad(run.argument(0) ?? .null, expected: "GET, POST, PUT or DELETE")
        }
        var path = run.string(1) ?? "/"
        if let r = path.range(of: "/Automation/v1") { path = String(path[r.upperBound...]) }
        if !path.hasPrefix("/") { path = "/" + path }
        var body = RequestBody.none
        if let b = run.argument(2) {
            if case .string(let text) = b {
                do { body = .json(try JSONParser.parse(text)) } catch { throw run.bad(b, expected: "JSON text (\(error))") }
            } else {
                body = .json(b.toJSON())
            }
        }
        let query = try run.keyValues("query")
        guard let reply = try run.send(APIRequestSpec(method, path, query: query, body: body, accept: run.option("accept"))) else {
            return .null
        }
        if let json = reply.json { return CommandRun.value(json) }
        return reply.body.isEmpty ? .null : .string(String(decoding: reply.body, as: UTF8.self))
    }
}
