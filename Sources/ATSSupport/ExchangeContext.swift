/// Which statement of which script caused the HTTP exchanges in flight: the shell binds it
/// around each command, and `RecordingTransport` writes it into the case file.
///
/// ```swift
/// try ExchangeContext.$current.withValue(ExchangeContext(statement: "stop 5381 --force",
///                                                       location: "cleanup.ats:12:5")) {
///     try host.run(call, context: context)
/// }
/// ```
///
/// The binding is a task-local value, so it follows the command into any task it starts
/// (`Task { }` copies task-locals) and needs no global state.
public struct ExchangeContext: Sendable, Hashable {
    /// The statement's source text as the user wrote it, e.g. `stop 5381 --force`.
    public var statement: String
    /// Where it is: `file.ats:LINE:COLUMN`, `<repl>:3:1`; `nil` when unknown.
    public var location: String?

    /// A context for one statement.
    public init(statement: String, location: String? = nil) {
        self.statement = statement
        self.location = location
    }

    /// The statement being run by the current task (or thread), if the shell bound one.
    @TaskLocal public static var current: ExchangeContext?
}
