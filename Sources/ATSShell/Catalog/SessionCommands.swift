import AOClient
import ATSLanguage

extension CommandCatalog {
    /// Connection, introspection and the session switches (SHELL.md §2, §6).
    static let session: [CommandSignature] = CommonOptions.finish([
        CommandSignature(
            "connect", summary: "open a session with a server, or with the built-in simulator (`connect sim`)",
            parameters: [ParameterSpec("URL", .optional, help: "http(s)://host:port, or sim")],
            options: [
                OptionSpec("profile", .value(name: "NAME"), help: "use a profile of ~/.config/ats/config.toml"),
                OptionSpec("user", .value(name: "USER"), help: "the user name (default: system for sim, else $ATS_USER)"),
                OptionSpec("password-env", .value(name: "VAR"), help: "read the password from the environment variable VAR"),
                OptionSpec("ask-password", help: "ask for the password with a masked prompt"),
                OptionSpec("insecure", help: "do not verify the server's TLS certificate"),
                OptionSpec("cacert", .value(name: "FILE"), help: "trust the CA certificates in FILE (PEM)", completion: .files),
                OptionSpec("timeout", .value(name: "DUR"), help: "time limit for each request (default \(DurationText.format(ConnectionSettings.defaultTimeout)))"),
                OptionSpec("lang", .value(name: "LANG"), help: "language of server messages", completion: .choices(["en", "ja", "zh"])),
            ],
            examples: [
                "connect sim",
                "connect http://aohost:22015 --user system --password-env AO_PASSWORD",
                "connect --profile prod",
            ]),
        CommandSignature("disconnect", summary: "end the session", examples: ["disconnect"]),
        CommandSignature(
            "whoami", summary: "the current user and their service-group permissions", examples: ["whoami"]),
        CommandSignature(
            "server", summary: "the server's product and API version", examples: ["server"]),
        CommandSignature(
            "trace", summary: "print every HTTP exchange like curl -v (on), or as curl command lines (curl)",
            parameters: [ParameterSpec("MODE", help: "on, off or curl", completion: .choices(["on", "off", "curl"]))],
            examples: ["trace on", "trace curl", "trace off"]),
        CommandSignature(
            "record", summary: "append every exchange to a case file (JSON Lines, secrets redacted); `record stop` closes it",
            parameters: [ParameterSpec("FILE", help: "the case file, or stop", completion: .files)],
            examples: ["record case-1234.jsonl", "record stop"]),
        CommandSignature(
            "dry-run", summary: "print state-changing requests and their curl equivalent instead of sending them; reads still run",
            parameters: [ParameterSpec("MODE", help: "on or off", completion: .choices(["on", "off"]))],
            examples: ["dry-run on", "dry-run off"]),
        CommandSignature(
            "format", summary: "how results are printed from now on",
            parameters: [ParameterSpec(
                "FORMAT", help: "pretty, table, json, jsonl, csv or raw",
                completion: .choices(["pretty", "table", "json", "jsonl", "csv", "raw"]))],
            examples: ["format table", "format json"]),
        CommandSignature(
            "help", summary: "commands, their options and examples; `help TOPIC` for a command or a topic",
            parameters: [ParameterSpec("TOPIC", .variadic, help: "a command name (e.g. stop, service release) or a topic", completion: .commands)],
            options: [
                OptionSpec("markdown", help: "print the reference of every command as Markdown"),
                OptionSpec("routes", help: "print the table of every API route the client calls, as Markdown"),
            ],
            examples: ["help", "help stop", "help history delete", "help statuses"]),
    ])
}
