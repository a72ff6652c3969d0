import ATSLanguage

extension CommandCatalog {
    /// Service templates (reference §2.1).
    static let templates: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "templates", summary: "list service templates",
            options: [
                OptionSpec("tag", .value(name: "T[,T…]"), help: "only templates having all these tags"),
                OptionSpec("search", .value(name: "TEXT"), help: "full-text search over key, name, vendor, tags, description"),
                OptionSpec("vendor", .value(name: "ID"), help: "only this vendorID"),
                OptionSpec("key", .value(name: "NAME"), help: "only this keyName"),
                OptionSpec("version", .value(name: "V"), help: "only this version"),
                OptionSpec("using", .value(name: "ID"), help: "only templates that use template ID as a component"),
            ] + CommonOptions.listing(sortExample: "displayName"),
            examples: ["templates", "templates --search generic"]),
        CommandSignature(
            "template", summary: "one service template",
            parameters: [ParameterSpec("ID", help: "a template id")], examples: ["template 560"]),
        CommandSignature(
            "template export", summary: "download a template package (.st) into FILE",
            parameters: [ParameterSpec("ID", help: "a template id"), ParameterSpec("FILE", .optional, help: "where to write it (default: the server's file name)", completion: .files)],
            examples: ["template export 560 backup.st"]),
        CommandSignature(
            "template form", summary: "the server's HTML upload form for template packages, as a string (`--output raw` prints the HTML itself)",
            examples: ["template form --output raw"]),
        CommandSignature(
            "template import", summary: "upload a template package (.st or .zip); returns the server's job",
            parameters: [ParameterSpec("FILE", help: "the package", completion: .files)],
            examples: ["template import backup.st"], isDestructive: true),
        CommandSignature(
            "template delete", summary: "delete templates; fails while a service is made from one",
            parameters: [ParameterSpec("ID", .variadic, help: "template ids")],
            examples: ["template delete 560"], isDestructive: true),
        CommandSignature(
            "template bind", summary: "create a service from a template; returns the server's job",
            parameters: [ParameterSpec("ID", help: "a template id")],
            options: [
                OptionSpec("name", .value(name: "NAME"), help: "the new service's name (required)"),
                OptionSpec("description", .value(name: "TEXT"), help: "its description"),
                OptionSpec("group", .value(name: "NAME"), help: "its service group's name"),
                OptionSpec("param", .repeated(name: "KEY=VALUE"), help: "a property value"),
            ],
            examples: ["template bind 560 --name \"Backup Database 2\" --group Default"], isDestructive: true),
    ])
}
