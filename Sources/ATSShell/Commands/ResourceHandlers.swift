import AOClient
import ATSJSON
import ATSLanguage
import Foundation

/// Service templates, properties, service groups, tags, and the raw `api` command.
enum ResourceHandlers {
    static let table: [String: ShellHost.Handler] = [
        "templates": { run throws(ErrorValue) in
            var query = ServiceTemplateQuery(
                q: run.option("search"), vendorID: run.option("vendor"), keyName: run.option("key"), version: run.option("version"))
            if let tags = run.option("tag") { query.tags = [tags] }
            query.usingServiceTemplateID = try run.idOption("using", what: "a service template id")
            return CommandRun.value(try run.list(query) { c, q throws(APIError) in try await c.listServiceTemplates(q) })
        },
        "template": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a template id")
            return CommandRun.value(try run.call { c throws(APIError) in try await c.serviceTemplate(id) })
        },
        "template export": templateExport,
        "template import": templateImport,
        "template form": { run throws(ErrorValue) in
            .string(try run.call { c throws(APIError) in try await c.serviceTemplateImportForm() })
        },
        "template delete": { run throws(ErrorValue) in
            let ids = try run.ids(what: "a template id")
            try run.confirm("delete \(ids.count) service templates", count: ids.count)
            for id in ids {
                try run.call { c throws(APIError) in try await c.deleteServiceTemplate(id) }
                run.note("deleted template \(id)")
            }
            return .null
        },
        "template bind": templateBind,
        "props": { run throws(ErrorValue) in
            if run.argument(0) != nil {
                let id = try run.id(0, what: "a property value id")
                return CommandRun.value(try run.call { c throws(APIError) in try await c.propertyValue(id) })
            }
            let scope = try owner(run, [.service, .task, .schedule]) ?? .shared
            return CommandRun.value(try run.call { c throws(APIError) in try await c.listPropertyValues(scope).items })
        },
        "props definitions": { run throws(ErrorValue) in
            if run.argument(0) != nil {
                let id = try run.id(0, what: "a property definition id")
                return CommandRun.value(try run.call { c throws(APIError) in try await c.propertyDefinition(id) })
            }
            let scope = try owner(run, [.service, .task, .template]) ?? .shared
            return CommandRun.value(try run.call { c throws(APIError) in try await c.listPropertyDefinitions(scope).items })
        },
        "props info": { run throws(ErrorValue) in
            guard let scope = try owner(run, [.service, .task, .schedule]) ?? (run.flag("shared") ? .shared : nil) else {
                throw run.missing("an owner: --service, --task, --schedule or --shared")
            }
            return CommandRun.value(try run.call { c throws(APIError) in try await c.listPropertyInformations(scope).items })
        },
        "props groups": { run throws(ErrorValue) in
            guard let scope = try owner(run, [.template, .service, .schedule, .task]) else {
                throw run.missing("an owner: --template, --service, --schedule or --task")
            }
            return CommandRun.value(try run.call { c throws(APIError) in try await c.listPropertyGroups(scope).items })
        },
        "props actions": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a property value id (or a definition id with --definition)")
            if run.flag("definition") {
                return CommandRun.value(try run.call { c throws(APIError) in try await c.propertyDefinitionActions(id).items })
            }
            return CommandRun.value(try run.call { c throws(APIError) in try await c.propertyValueActions(id).items })
        },
        "props set": { run throws(ErrorValue) in
            let id = try run.id(0, what: "a property value id")
            let value = run.argument(1).map { $0.toJSON() } ?? .null
            let reply = try run.call { c throws(APIError) in
                // The value as read, with `value` changed: the members the server needs are kept.
                var extra = JSONObject()
                if case .object(let current) = try await c.propertyValue(id) { extra = current }
                return try await c.updatePropertyValue(id, value: value, extra: extra)
            }
            return run.isDryRun ? .null : CommandRun.value(reply)
        },
        "props update": { run throws(ErrorValue) in
            guard case .list(let items)? = run.argument(0) else { throw run.bad(run.argument(0) ?? .null, expected: "a list of property values") }
            let serviceID = try run.optionValue("service").map { s throws(ErrorValue) in try ServiceHandlers.serviceID(s, run: run) }
            let data = items.map { $0.toJSON() }
            let json = try run.call { c throws(APIError) in try await c.updatePropertyValues(data, serviceID: serviceID) }
            if run.isDryRun { return .null }
            return CommandRun.value(json["data"] ?? json)
        },
        "groups": { run throws(ErrorValue) in
            if run.argument(0) != nil {
                let id = try run.id(0, what: "a service group id")
                return CommandRun.value(try run.call { c throws(APIError) in try await c.serviceGroup(id) })
            }
            return CommandRun.value(try run.list(run.listOptions()) { c, h throws(APIError) in try await c.listServiceGroups(h) })
        },
        "tags": { run throws(ErrorValue) in
            if run.flag("groups") { return CommandRun.value(try run.call { c throws(APIError) in try await c.listTagGroups().items }) }
            let query = TagQuery(detail: run.flag("detail"), resourceType: run.option("resource-type"))
            return CommandRun.value(try run.call { c throws(APIError) in try await c.listTags(query).items })
        },
        "api": api,
    ]

    /// A service group's id from an id or a name.
    static func groupID(_ text: String, run: CommandRun) throws(ErrorValue) -> Int {
        if let id = Int(text) { return id }
        let groups = try run.call { c throws(APIError) in
            try await c.allPages(HQLOptions()) { h throws(APIError) in try await c.listServiceGroups(h) }
        }
        let match = groups.first { $0["name"]?.stringValue == text || $0["displayName"]?.stringValue == text }
            ?? groups.first { $0["name"]?.stringValue?.lowercased() == text.lowercased() }
        guard let id = match?["instanceID"]?.intValue else { throw run.failure(.unknownGroup(text)) }
        return id
    }

    /// The options naming the owner of properties.
    enum Owner: String {
        case service, task, schedule, template
    }

    /// The owner of properties given by one of `allowed` (`--service` resolves names);
    /// nil when none is given, an error for several.
    static func owner(_ run: CommandRun, _ allowed: [Owner]) throws(ErrorValue) -> PropertyScope? {
        let given = allowed.filter { run.optionValue($0.rawValue) != nil }
        guard given.count <= 1 else {
            throw run.bad(.string(given.map { "--" + $0.rawValue }.joined(separator: " ")), expected: "one owner")
        }
        guard let o = given.first, let v = run.optionValue(o.rawValue) else { return nil }
        if o == .service { return .service(try ServiceHandlers.serviceID(v, run: run)) }
        guard let id = CommandRun.id(v) else { throw run.bad(v, expected: "an id") }
        switch o {
        case .service: return .service(id)
        case .task: return .task(id)
        case .schedule: return .schedule(id)
        case .template: return .serviceTemplate(id)
        }
    }

    /// `template export ID [FILE]`: downloads the package and writes it.
    static func templateExport(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a template id")
        // The export is a read even though it is a POST: dry-run still downloads.
        let file = try run.call(dryRunPrints: false) { c throws(APIError) in try await c.exportServiceTemplate(id) }
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
        let job = try run.call { c throws(APIError) in try await c.importServiceTemplate(fileName: name, contents: Array(data)) }
        return run.job(job, did: "import")
    }

    /// `template bind ID --name N [--description] [--group] [--param k=v…]`.
    static func templateBind(_ run: CommandRun) throws(ErrorValue) -> Value {
        let id = try run.id(0, what: "a template id")
        guard let name = run.option("name") else { throw run.missing("a service name (--name)") }
        let request = BindRequest(
            name: name, description: run.option("description"), serviceGroupName: run.option("group"),
            properties: try run.keyValues("param").map { PropertySetting($0.0, $0.1) })
        let job = try run.call { c throws(APIError) in try await c.bindServiceTemplate(id, request) }
        return run.job(job, did: "bind")
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
