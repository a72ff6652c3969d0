import AOClient
import ATSJSON
import Foundation

/// What the simulator does with one request: a response, possibly after a delay, or a
/// dropped connection (fault injection).
public struct SimulatorReply: Sendable {
    /// The response to send (ignored when `drop` is set).
    public var response: HTTPResponse
    /// How long to wait before answering.
    public var delay: Duration
    /// Close the connection without answering.
    public var drop: Bool
}

/// A simulated JP1/Automatic Operation server: model, task engine and every route of the
/// reference, with no networking. Thread-safe: one lock guards all state; each request
/// first brings the task engine up to the clock's time.
///
/// Serve it in memory with `SimulatorTransport`, or over HTTP with `AOHTTPServer.SimulatorServer`.
public final class Simulator: @unchecked Sendable {
    private let lock = NSLock()
    private let state: SimState

    /// The configuration the simulator was made with.
    public let configuration: SimulatorConfiguration

    /// Makes a simulator and seeds its data from `configuration.seed`.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration()) {
        self.configuration = configuration
        state = SimState(config: configuration)
        state.seed()
    }

    /// Answers one request.
    public func respond(to request: HTTPRequest) -> SimulatorReply {
        lock.withLock { state.respond(to: request) }
    }

    // MARK: Test hooks

    /// Puts task `taskID` in `status` and freezes it there until an action (stop, response,
    /// retry, schedule resume, …) moves it on. Returns false if there is no such task.
    @discardableResult
    public func setStatus(taskID: Int, _ status: TaskStatus) -> Bool {
        lock.withLock {
            let now = state.now
            state.advance(to: now)
            guard let i = state.taskIndex(taskID) else { return false }
            state.force(i, to: status, at: now)
            return true
        }
    }

    /// Moves the simulator's time forward by `duration` (works with any clock: it adds a skew).
    public func advance(by duration: Duration) {
        lock.withLock { state.skewMilliseconds += SimTime.milliseconds(duration) }
    }

    /// The simulator's current time (milliseconds since the epoch).
    public var now: Int64 { lock.withLock { state.now } }

    /// The current status of a task in `/Tasks`, or nil (missing or archived).
    public func status(ofTask taskID: Int) -> TaskStatus? {
        lock.withLock {
            state.advance(to: state.now)
            return state.taskIndex(taskID).map { state.tasks[$0].status }
        }
    }

    /// The ids of the tasks currently in `status`, in id order.
    public func taskIDs(in status: TaskStatus) -> [Int] {
        lock.withLock {
            state.advance(to: state.now)
            return state.tasks.filter { $0.status == status }.map(\.id)
        }
    }

    /// Number of tasks in `/Tasks` and of records in `/TaskHistories`.
    public var counts: (tasks: Int, histories: Int) {
        lock.withLock { (state.tasks.count, state.histories.count) }
    }

    /// Makes every issued HSSO token invalid at once (fault injection: "token expiry now").
    public func expireTokens() {
        lock.withLock { state.tokens.expireAll() }
    }

    /// Replaces the fault injection settings (the request counter for `startingRequests` restarts).
    public func setFaults(_ faults: SimulatorFaults) {
        lock.withLock {
            state.faults = faults
            state.requestCount = 0
        }
    }

    /// The id of a service by name (for tests and demos).
    public func serviceID(named name: String) -> Int? {
        lock.withLock { state.services.first { $0.name == name }?.id }
    }
}

/// The simulator as a `Transport`: a whole script runs against it with no socket.
/// Delays are slept (outside the lock); a dropped connection throws `TransportFailure.closed`.
public final class SimulatorTransport: Transport {
    /// The simulator this transport serves.
    public let simulator: Simulator

    public init(_ simulator: Simulator) { self.simulator = simulator }

    public func send(_ request: HTTPRequest, timeout: Duration?) async throws -> HTTPResponse {
        let reply = simulator.respond(to: request)
        if reply.delay > .zero {
            if let timeout, timeout < reply.delay {
                try await Task.sleep(for: timeout)
                throw TransportFailure.timeout(seconds: Double(SimTime.milliseconds(timeout)) / 1000)
            }
            try await Task.sleep(for: reply.delay)
        }
        if reply.drop { throw TransportFailure.closed(detail: "the simulator dropped the connection (injected fault)") }
        return reply.response
    }
}
