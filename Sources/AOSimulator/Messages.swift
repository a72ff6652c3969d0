import Foundation
/// Every error the simulated server answers with. Status, message id and text are in this
/// one file. Ids other than `KNAE02102-E` (the manual's 404) are invented `KNAE9xxxx-E` ids,
/// listed in docs/simulator.md.
enum SimulatorError: Error {
    case unauthenticated(reason: String)
    case notFound(what: String)
    case noSuchRoute(method: String, path: String)
    case methodNotAllowed(method: String, path: String)
    case forbidden(operation: String, role: String)
    case badFilter(HQLError)
    case badSort(HQLError)
    case badQuery(name: String, value: String, expected: String)
    case missingQuery(String)
    case badBody(String)
    case badDate(field: String, value: String, reason: DateInputError)
    case duplicateName(String)
    case taskStatus(action: String, status: TaskStatus, allowed: [TaskStatus])
    case scheduleStatus(action: String, status: TaskStatus, allowed: [TaskStatus])
    case serviceState(from: String, to: String)
    case serviceNotRunnable(name: String, state: String)
    case serviceHasTasks(id: Int, count: Int)
    case templateInUse(id: Int, services: Int)
    /// 2.5.18: the template to apply is not a version of the service's template.
    case templateMismatch(service: String, template: Int)
    case notAcceptable(String)
    case unsupportedMediaType(String)
    case starting(retryAfter: Int)
    case injected(path: String)

    var status: Int {
        switch self {
        case .unauthenticated: return 401
        case .notFound, .noSuchRoute: return 404
        case .methodNotAllowed: return 405
        case .forbidden: return 403
        case .badFilter, .badSort, .badQuery, .missingQuery, .badBody, .badDate, .duplicateName: return 400
        case .taskStatus, .scheduleStatus, .serviceState, .serviceNotRunnable, .serviceHasTasks, .templateInUse, .templateMismatch: return 409
        case .notAcceptable: return 406
        case .unsupportedMediaType: return 415
        case .starting: return 412
        case .injected: return 500
        }
    }

    var messageID: String {
        switch self {
        case .unauthenticated: return "KNAE90401-E"
        case .notFound, .noSuchRoute: return "KNAE02102-E"
        case .methodNotAllowed: return "KNAE90405-E"
        case .forbidden: return "KNAE90403-E"
        case .badFilter: return "KNAE90410-E"
        case .badSort: return "KNAE90411-E"
        case .badQuery: return "KNAE90412-E"
        case .missingQuery: return "KNAE90413-E"
        case .badBody: return "KNAE90414-E"
        case .badDate: return "KNAE90415-E"
        case .duplicateName: return "KNAE90416-E"
        case .taskStatus: return "KNAE90901-E"
        case .scheduleStatus: return "KNAE90902-E"
        case .serviceState: return "KNAE90903-E"
        case .serviceNotRunnable: return "KNAE90904-E"
        case .serviceHasTasks: return "KNAE90905-E"
        case .templateInUse: return "KNAE90906-E"
        case .templateMismatch: return "KNAE90907-E"
        case .notAcceptable: return "KNAE90406-E"
        case .unsupportedMediaType: return "KNAE90415-E"
        case .starting: return "KNAE90412-W"
        case .injected: return "KNAE90500-E"
        }
    }

    var message: String {
        switch self {
        case .unauthenticated(let reason):
            return "Authentication failed: \(reason). Send 'Authorization: Basic <user:password>' or a valid 'Authorization: HSSO <token>'."
        case .notFound(let what):
            return "The specified resource does not exist or you do not have access. (\(what))"
        case .noSuchRoute(let method, let path):
            return "The specified resource does not exist or you do not have access. (no function for \(method) \(path))"
        case .methodNotAllowed(let method, let path):
            return "The method \(method) is not allowed for \(path)."
        case .forbidden(let operation, let role):
            return "You do not have the permission to \(operation). Required role: \(role)."
        case .badFilter(let e):
            return "The value of HQL::filter is invalid: \(Self.describe(e))"
        case .badSort(let e):
            return "The value of HQL::sortBy is invalid: \(Self.describe(e))"
        case .badQuery(let name, let value, let expected):
            return "The query parameter \(name)=\(value) is invalid: expected \(expected)."
        case .missingQuery(let what):
            return "A required query parameter is missing or not allowed here: \(what)."
        case .badBody(let detail):
            return "The request body is invalid: \(detail)"
        case .badDate(let field, let value, let reason):
            return "The date \(field)=\(value) is invalid: \(Self.describe(reason))"
        case .duplicateName(let name):
            return "A service named '\(name)' already exists."
        case .taskStatus(let action, let status, let allowed):
            let list = allowed.map(\.displayName).joined(separator: ", ")
            return "The task cannot be processed by \(action) because the status of the task is \(status.displayName). "
                + "The status must be one of: \(list)."
        case .scheduleStatus(let action, let status, let allowed):
            let list = allowed.map(\.displayName).joined(separator: ", ")
            return "The schedule cannot be processed by \(action) because the status of the task is \(status.displayName). "
                + "The status must be one of: \(list)."
        case .serviceState(let from, let to):
            return "The service state cannot be changed from \(from) to \(to)."
        case .serviceNotRunnable(let name, let state):
            return "The service '\(name)' cannot be run because its state is \(state)."
        case .serviceHasTasks(let id, let count):
            return "The service \(id) cannot be deleted because \(count) task(s) created from it still exist. Archive them first."
        case .templateInUse(let id, let services):
            return "The service template \(id) cannot be deleted because \(services) service(s) use it."
        case .templateMismatch(let service, let template):
            return "The service template \(template) cannot be applied to the service '\(service)': it is not a version of the service's template."
        case .notAcceptable(let accept):
            return "The response format '\(accept)' is not supported by the simulator (use application/json)."
        case .unsupportedMediaType(let type):
            return "The request format '\(type)' is not supported (use application/json)."
        case .starting(let retryAfter):
            return "The server is not available now (starting). Retry after \(retryAfter) seconds."
        case .injected(let path):
            return "An internal server error occurred (injected fault for \(path))."
        }
    }

    static func describe(_ e: HQLError) -> String {
        switch e {
        case .unexpectedCharacter(let c, let offset):
            return "unexpected character '\(c)' at offset \(offset)."
        case .unterminatedString(let offset):
            return "the string that starts at offset \(offset) is not closed (write '' for a quote inside a string)."
        case .expected(let what, let found, let offset):
            return "expected \(what) at offset \(offset), found \(found)."
        case .unknownMember(let name, let valid):
            return "'\(name)' is not a member that can be used here; members: \(valid.joined(separator: ", "))."
        case .typeMismatch(let member, let expected, let found):
            return "'\(member)' needs \(expected), found \(found)."
        case .notAString(let member, let operation):
            return "'\(operation)' needs a string member, and '\(member)' is not one."
        case .badDate(let member, let value, let reason):
            return "the date '\(value)' for '\(member)' is invalid: \(describe(reason))"
        case .badDirection(let word):
            return "expected ASC or DESC, found '\(word)'."
        }
    }

    static func describe(_ e: DateInputError) -> String {
        switch e {
        case .malformed: return "expected an ISO 8601 date such as 2015-08-07T10:00:00.000+09:00."
        case .offsetWithoutColon: return "the zone offset must contain a colon (+09:00, not +0900)."
        case .outOfRange: return "a field is out of range."
        case .incomplete: return "inside HQL::filter a date must be complete: yyyy-mm-ddThh:mm:ss.mmm+hh:mm."
        }
    }
}

extension SimulatorOptionError: CustomStringConvertible {
    /// The message `ats sim` shows for a bad `--faults` or `--quirks` value.
    public var description: String {
        switch self {
        case .badFault(let f): return "cannot read the fault '\(f)' (see ats sim --help)"
        case .unknownQuirk(let q):
            return "unknown quirk '\(q)'; known: \(SimulatorQuirk.allCases.map(\.rawValue).joined(separator: ", ")), all"
        }
    }
}
