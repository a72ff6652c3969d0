import AOClient
import Foundation

/// SplitMix64: a small deterministic generator, so a seed always gives the same data.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The ten task statuses of reference §4.1, in the table's order.
public enum TaskStatus: Int, CaseIterable, Sendable, Hashable {
    case waiting, suspended, inProgress, waitingForInput, inProgressWithError, terminating
    case longRunning, completed, failed, canceled

    /// The "likely API string" column of §4.1 (the default the simulator writes), from
    /// `APIConventions.default`, whose statuses are in this enum's order.
    public var likelyAPIString: String { APIConventions.default.taskStatuses[rawValue].apiName }

    /// The V11+ GUI name (used in messages), from `APIConventions.default`.
    public var displayName: String { APIConventions.default.taskStatuses[rawValue].displayName }

    /// Completed, Failed or Canceled: the only statuses that can be archived.
    public var isFinished: Bool { self == .completed || self == .failed || self == .canceled }
}

/// The strings the simulator writes for each task status. Defaults to the "likely API string"
/// column of §4.1; any entry can be replaced without code changes once real values are known.
public struct TaskStatusStrings: Sendable, Hashable {
    private var strings: [String]

    /// The likely API strings of §4.1.
    public static let likely = TaskStatusStrings()

    public init() { strings = TaskStatus.allCases.map(\.likelyAPIString) }

    /// The string written for `status`.
    public func string(for status: TaskStatus) -> String { strings[status.rawValue] }

    /// Replaces the string written for `status`.
    public mutating func set(_ status: TaskStatus, _ string: String) { strings[status.rawValue] = string }

    /// The status a string names (as written by this table, case-insensitively), if any.
    public func status(named name: String) -> TaskStatus? {
        let lower = name.lowercased()
        return TaskStatus.allCases.first { strings[$0.rawValue].lowercased() == lower }
    }
}

/// A role inside a service group (reference §1.6).
public enum SimulatorRole: String, Sendable, CaseIterable, Hashable {
    case admin = "Admin", develop = "Develop", modify = "Modify", submit = "Submit"

    /// The permission names `GET /user` shows for this role.
    public var permissions: [String] {
        switch self {
        case .admin: return ["View", "Execute", "Develop", "Modify", "Admin"]
        case .develop: return ["View", "Execute", "Develop", "Modify"]
        case .modify: return ["View", "Execute", "Modify"]
        case .submit: return ["View", "Execute"]
        }
    }
}

/// One account the simulator accepts with HTTP Basic.
public struct SimulatorUser: Sendable, Hashable {
    /// Login name (case-insensitive, as the vendor's commands treat it).
    public var name: String
    public var password: String
    /// `userName` shown by `GET /user` and written as task `submitter`.
    public var displayName: String
    public var description: String
    /// The user-level "User Management" permission.
    public var userManagement: Bool
    /// The role in every service group (`nil`: see `groupRoles`).
    public var allGroupsRole: SimulatorRole?
    /// Roles per service group name, used when `allGroupsRole` is nil.
    public var groupRoles: [String: SimulatorRole]

    public init(
        name: String, password: String, displayName: String, description: String = "",
        userManagement: Bool = false, allGroupsRole: SimulatorRole? = nil, groupRoles: [String: SimulatorRole] = [:]
    ) {
        self.name = name
        self.password = password
        self.displayName = displayName
        self.description = description
        self.userManagement = userManagement
        self.allGroupsRole = allGroupsRole
        self.groupRoles = groupRoles
    }

    /// The built-in administrator `system`/`manager`: Admin everywhere, User Management.
    public static let system = SimulatorUser(
        name: "system", password: "manager", displayName: "System", description: "Built-in account",
        userManagement: true, allGroupsRole: .admin)
    /// `operator`/`operator`: Submit role in every group (may run and stop, not archive).
    public static let `operator` = SimulatorUser(
        name: "operator", password: "operator", displayName: "Operator", description: "Submit-only operator",
        allGroupsRole: .submit)
    /// `dbadmin`/`dbadmin`: Modify role in the "Database" group only; sees nothing else.
    public static let dbadmin = SimulatorUser(
        name: "dbadmin", password: "dbadmin", displayName: "DB Admin", description: "Database group only",
        groupRoles: ["Database": .modify])

    /// The role this user holds in `groupName`, if any.
    public func role(inGroup groupName: String) -> SimulatorRole? {
        allGroupsRole ?? groupRoles[groupName]
    }
}

/// Harmless manual quirks the simulator can reproduce (reference §6, §7.2). All off by default.
public enum SimulatorQuirk: String, Sendable, CaseIterable, Hashable {
    /// Job results of stop, forceStop, rerunStart and schedule actions spell `instanceId`.
    case instanceId
    /// Job results spell the schema's `affectedResources` (an array) instead of the captured
    /// example's `affectedResource` (2.7.9, table 2.2.15).
    case affectedResources
    /// Job results carry `affectedResource` as a single string instead of an array.
    case affectedResourceString
    /// Action templates' `href` starts with a space (`" http://…"`).
    case leadingSpaceHref
    /// Templates without inputs carry `parameters: null` (V10) instead of `[]`.
    case nullParameters
    /// The `rerunStepStart` template is named `rerunStart` (V12 page 2.7.16).
    case rerunStartName
    /// `GET /user` spells the group id `instanceId`.
    case userInstanceId
    /// Schedule `cancel` templates print the href without the port (`http://host:/…`).
    case missingPort
    /// `submit` and `bind` answer 201 Created (V10) instead of 200.
    case status201
    /// `reset` and `bind` answer with their action template instead of a job (2.5.9, 2.4.11).
    case templateAsResult
}

/// Which requests a fault applies to: an optional method and a path fragment
/// (matched against the path after `/Automation/v1`, e.g. `/objects/Tasks/5381`).
public struct FaultRoute: Sendable, Hashable {
    public var method: String?
    public var pathContains: String

    public init(method: String? = nil, pathContains: String) {
        self.method = method?.uppercased()
        self.pathContains = pathContains
    }

    /// Parses `PATH` or `METHOD:PATH` (e.g. `POST:/actions/stop/invoke`).
    public init(parsing text: String) {
        if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }), !text[..<colon].isEmpty {
            self.init(method: String(text[..<colon]), pathContains: String(text[text.index(after: colon)...]))
        } else {
            self.init(pathContains: text)
        }
    }

    func matches(method: String, path: String) -> Bool {
        if let m = self.method, m != method.uppercased() { return false }
        return pathContains.isEmpty || path.contains(pathContains)
    }
}

/// Fault injection (reference §7.2): a starting server, internal errors, slow answers,
/// dropped connections, short-lived tokens.
public struct SimulatorFaults: Sendable, Hashable {
    /// The first N requests are answered 412 (server starting).
    public var startingRequests: Int = 0
    /// Requests in the first T seconds after the simulator was made are answered 412.
    public var startingSeconds: Double = 0
    /// `Retry-After` seconds sent with a 412.
    public var retryAfterSeconds: Int = 5
    /// Requests answered 500.
    public var internalError: [FaultRoute] = []
    /// Requests whose connection is dropped without a response.
    public var drop: [FaultRoute] = []
    /// Delay before answering, for every request (`delayRoutes` empty) or the matching ones.
    public var delay: Duration = .zero
    public var delayRoutes: [FaultRoute] = []
    /// Lifetime of an HSSO token in seconds (reference: 1,000).
    public var tokenLifetimeSeconds: Int = 1000

    public init() {}

    /// No faults.
    public static let none = SimulatorFaults()

    /// Parses the `--faults` syntax: comma-separated `starting=N`, `starting-for=SECONDS`,
    /// `retry-after=SECONDS`, `500=ROUTE`, `drop=ROUTE`, `delay=MS[@ROUTE]`, `token-ttl=SECONDS`.
    /// A ROUTE is a path fragment, optionally `METHOD:` first.
    public init(parsing text: String) throws(SimulatorOptionError) {
        self.init()
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts[0].lowercased()
            let value = parts.count > 1 ? parts[1] : ""
            func int() throws(SimulatorOptionError) -> Int {
                guard let v = Int(value), v >= 0 else { throw .badFault(item) }
                return v
            }
            switch key {
            case "starting": startingRequests = try int()
            case "starting-for":
                guard let v = Double(value.hasSuffix("s") ? String(value.dropLast()) : value), v >= 0 else { throw .badFault(item) }
                startingSeconds = v
            case "retry-after": retryAfterSeconds = try int()
            case "500", "error": internalError.append(FaultRoute(parsing: value))
            case "drop": drop.append(FaultRoute(parsing: value))
            case "delay":
                let pieces = value.split(separator: "@", maxSplits: 1).map(String.init)
                let ms = pieces[0].hasSuffix("ms") ? String(pieces[0].dropLast(2)) : pieces[0]
                guard let v = Int(ms), v >= 0 else { throw .badFault(item) }
                delay = .milliseconds(v)
                if pieces.count > 1 { delayRoutes.append(FaultRoute(parsing: pieces[1])) }
            case "token-ttl": tokenLifetimeSeconds = try int()
            default: throw .badFault(item)
            }
        }
    }
}

/// A bad simulator option (from `ats sim` arguments or configuration text).
public enum SimulatorOptionError: Error, Sendable, Equatable {
    case badFault(String)
    case unknownQuirk(String)
}

/// Everything that shapes one simulated server.
public struct SimulatorConfiguration: Sendable {
    /// Seed of the deterministic generator for the seed data, tokens and job ids.
    public var seed: UInt64 = 1
    /// Total number of tasks in `/Tasks` after seeding: when larger than the demo set, finished
    /// bulk tasks (spread over the past two months) fill the difference. For scale tests.
    public var taskCount: Int = 0
    /// Speed factor: 2 makes every scripted step take half as long.
    public var speed: Double = 1
    public var quirks: Set<SimulatorQuirk> = []
    public var faults: SimulatorFaults = .none
    /// Where the time comes from; `SystemClock()` unless a test injects a `ManualClock`.
    public var clock: any SimulatorClock = SystemClock()
    /// The server's zone offset in seconds (dates are written in it). Default +09:00.
    public var utcOffsetSeconds: Int = 9 * 3600
    public var statusStrings: TaskStatusStrings = .likely
    /// Which statuses each task and schedule action accepts (reference §5.2): AOClient's table.
    public var conventions: APIConventions = .default
    public var users: [SimulatorUser] = [.system, .operator, .dbadmin]
    /// Whether to seed the believable demo data (services, tasks, histories).
    public var seedData: Bool = true
    public var productName: String = "JP1/Automatic Operation"
    public var productVersion: String = "12-60-00"
    public var apiVersion: String = "01.01.00"

    public init() {}

    /// Parses a comma-separated list of quirk names (`instanceId,leadingSpaceHref`); `all` turns on every quirk.
    public static func parseQuirks(_ text: String) throws(SimulatorOptionError) -> Set<SimulatorQuirk> {
        var result: Set<SimulatorQuirk> = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if name == "all" {
                result.formUnion(SimulatorQuirk.allCases)
            } else if let q = SimulatorQuirk.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) {
                result.insert(q)
            } else {
                throw .unknownQuirk(name)
            }
        }
        return result
    }
}
