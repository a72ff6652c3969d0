import ATSJSON
import AOClient
import AOHTTPClient
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real HTTP transport against the loopback test server: every failure kind, TLS,
/// keep-alive, limits, cancellation and shutdown. None may crash or hang.
@Suite(.timeLimit(.minutes(1))) struct TransportTests {
    func get(_ transport: HTTPTransport, _ url: String, timeout: Duration? = nil) async throws -> HTTPResponse {
        try await transport.send(HTTPRequest(method: "GET", url: url), timeout: timeout)
    }

    /// Runs `body` and returns the TransportFailure it throws.
    func failure(_ body: () async throws -> Void) async -> TransportFailure? {
        do {
            try await body()
            Issue.record("expected a TransportFailure")
            return nil
        } catch let f as TransportFailure {
            return f
        } catch {
            Issue.record("expected a TransportFailure, got \(error)")
            return nil
        }
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let server = try await TestHTTPServer(replies: [.json(200, #"{"ok":true}"#)])
        let transport = try HTTPTransport(options: .init())
        for _ in 0..<20 {
            let r = try await get(transport, server.baseURL + "/x")
            #expect(r.status == 200)
        }
        #expect(server.connectionCount == 1)
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func hssoHeaderArrivesAsSecretAndAuthorizationIsSentRevealed() async throws {
        let server = try await TestHTTPServer(replies: [
            .respond(status: 200, headers: [("WWW-Authenticate", "HSSO abc_V0810"), ("X-Other", "plain")])
        ])
        let transport = try HTTPTransport(options: .init())
        var headers = HTTPHeaderFields()
        headers.add("Authorization", .secret(Secret("HSSO mytoken")))
        let r = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/", headers: headers), timeout: nil)
        #expect(r.headers["WWW-Authenticate"] == .secret(Secret("HSSO abc_V0810")))
        #expect(r.headers["WWW-Authenticate"]?.description == Secret.mask)
        #expect(r.headers["x-other"] == .plain("plain"))
        #expect(server.requests.first?.header("Authorization") == "HSSO mytoken")
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func aServerThatNeverAnswersTimesOutNearTheLimit() async throws {
        let server = try await TestHTTPServer(replies: [.neverAnswer])
        let transport = try HTTPTransport(options: .init())
        let clock = ContinuousClock()
        let start = clock.now
        let f = await failure { _ = try await get(transport, server.baseURL + "/slow", timeout: .milliseconds(700)) }
        let elapsed = clock.now - start
        #expect(f == .timeout(seconds: 0.7))
        // Not a performance check: the request must end at its limit, not hang.
        #expect(elapsed >= .milliseconds(600))
        #expect(elapsed < .milliseconds(700) + .seconds(3))
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func aBodyThatNeverArrivesTimesOutToo() async throws {
        let server = try await TestHTTPServer(replies: [.stallAfterHead(status: 200, declaredLength: 100)])
        let transport = try HTTPTransport(options: .init())
        let f = await failure { _ = try await get(transport, server.baseURL + "/", timeout: .milliseconds(500)) }
        #expect(f == .timeout(seconds: 0.5))
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func theSessionReportsTimeoutAsItsOwnKind() async throws {
        let server = try await TestHTTPServer(replies: [.neverAnswer])
        let error = try await server.withClient(server.settings(timeout: .milliseconds(400))) { client in
            await #expect(throws: APIError.self) { try await client.user() }
        }
        let e = try #require(error)
        #expect(e.kind == .timeout)
        #expect(e.summary == "no complete answer from 127.0.0.1:\(server.port) within 0.4 s")
        #expect(e.details == ["the server may be busy or unreachable; try again, or allow more time with --timeout"])
    }

    @Test func connectionRefusedAsksWhetherTheServerIsRunning() async throws {
        let port = try unusedLoopbackPort()
        let settings = ConnectionSettings(baseURL: "http://127.0.0.1:\(port)", user: "u", password: Secret("p"))
        let transport = try HTTPTransport(settings: settings)
        let client = try AOClient(settings: settings, transport: transport)
        let error = await #expect(throws: APIError.self) { try await client.version() }
        let e = try #require(error)
        #expect(e.kind == .transport)
        #expect(e.transportFailure == .connect(host: "127.0.0.1", port: port, detail: "connection refused"))
        #expect(e.summary == "cannot connect to 127.0.0.1:\(port): connection refused")
        #expect(e.details == ["is the server running, is the port right?"])
        await transport.shutdown()
    }

    @Test func aConnectionDroppedMidBodyIsClosed() async throws {
        let server = try await TestHTTPServer(replies: [
            .dropMidBody(status: 200, headers: [("Content-Type", "application/json")], partialBody: Array(#"{"data": ["#.utf8), declaredLength: 1000)
        ])
        let transport = try HTTPTransport(options: .init())
        let f = await failure { _ = try await get(transport, server.baseURL + "/") }
        if case .closed = f {} else { Issue.record("expected .closed, got \(String(describing: f))") }
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func aConnectionClosedWithoutAnswerIsClosed() async throws {
        let server = try await TestHTTPServer(replies: [.close])
        let error = try await server.withClient { client in
            await #expect(throws: APIError.self) { try await client.user() }
        }
        let e = try #require(error)
        #expect(e.kind == .transport)
        if case .closed = e.transportFailure {} else { Issue.record("expected .closed, got \(e)") }
        #expect(e.details == ["the server or a proxy dropped the connection; try again"])
    }

    @Test func aDeclaredHugeBodyIsTooLarge() async throws {
        let server = try await TestHTTPServer(replies: [.respond(status: 200, body: [UInt8](repeating: 0x20, count: 200_000))])
        let transport = try HTTPTransport(options: .init(maximumResponseBytes: 100_000))
        let f = await failure { _ = try await get(transport, server.baseURL + "/") }
        #expect(f == .tooLarge(limit: 100_000))
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func aChunkedHugeBodyIsTooLargeAndTheLimitItselfIsFine() async throws {
        let server = try await TestHTTPServer(replies: [.chunked(status: 200, size: 3 * 1024 * 1024), .chunked(status: 200, size: 1024 * 1024)])
        let error = try await server.withClient(server.settings(maximumResponseBytes: 1024 * 1024)) { client in
            let e = await #expect(throws: APIError.self) { try await client.send("GET", "/big") }
            let ok = try await client.send("GET", "/exact")
            #expect(ok.body.count == 1024 * 1024)
            return e
        }
        let e = try #require(error)
        #expect(e.kind == .transport)
        #expect(e.summary == "the answer is larger than the limit of 1 MiB")
    }

    @Test func httpsToAPlainServerIsATLSError() async throws {
        let server = try await TestHTTPServer(replies: [.respond(status: 200)])
        let settings = ConnectionSettings(baseURL: "https://127.0.0.1:\(server.port)", user: "u", password: Secret("p"))
        let transport = try HTTPTransport(settings: settings)
        let client = try AOClient(settings: settings, transport: transport)
        let error = await #expect(throws: APIError.self) { try await client.user() }
        #expect(error?.kind == .tls)
        #expect(error?.summary == "127.0.0.1:\(server.port) did not answer in TLS")
        #expect(error?.details == ["is it a plain HTTP port? then use http://127.0.0.1:\(server.port)"])
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func anUntrustedCertificateIsATLSError() async throws {
        let server = try await TestHTTPServer(tls: try TestHTTPServer.testTLSConfiguration(), replies: [.json(200, "{}")])
        let transport = try HTTPTransport(options: .init())
        let f = await failure { _ = try await get(transport, server.baseURL + "/") }
        if case .tls = f {} else { Issue.record("expected .tls, got \(String(describing: f))") }
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func aCustomCAFileIsTrusted() async throws {
        let path = try writeTemporaryFile(TestCertificates.certificatePEM)
        defer { unlink(path) }
        let server = try await TestHTTPServer(tls: try TestHTTPServer.testTLSConfiguration(), replies: [.json(200, #"{"ok":1}"#)])
        let transport = try HTTPTransport(options: .init(caCertificatePath: path))
        let r = try await get(transport, server.baseURL + "/")
        #expect(r.status == 200)
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func insecureModeSkipsVerification() async throws {
        let server = try await TestHTTPServer(tls: try TestHTTPServer.testTLSConfiguration(), replies: [.json(200, #"{"ok":1}"#)])
        let transport = try HTTPTransport(options: .init(insecure: true))
        let r = try await get(transport, server.baseURL + "/")
        #expect(r.status == 200)
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func aMissingOrInvalidCAFileIsReportedUpFront() throws {
        #expect(throws: APIError.self) { try HTTPTransport(options: .init(caCertificatePath: "/nonexistent/ca.pem")) }
        let path = try writeTemporaryFile("not a certificate")
        defer { unlink(path) }
        do {
            _ = try HTTPTransport(options: .init(caCertificatePath: path))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .tls)
        }
    }

    @Test func cancellingTheCallerCancelsTheRequest() async throws {
        let server = try await TestHTTPServer(replies: [.neverAnswer])
        let settings = server.settings(timeout: .seconds(30))
        let transport = try HTTPTransport(settings: settings)
        let client = try AOClient(settings: settings, transport: transport)
        let task = Task { () async -> APIError? in
            do throws(APIError) {
                _ = try await client.user()
                return nil
            } catch {
                return error
            }
        }
        await server.requestsReceived()
        task.cancel()
        let e = try #require(await task.value)
        #expect(e.isCancelled)
        #expect(e.kind == .transport)
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func afterShutdownSendsFailCleanly() async throws {
        let server = try await TestHTTPServer(replies: [.json(200, "{}")])
        let transport = try HTTPTransport(options: .init())
        _ = try await get(transport, server.baseURL + "/")
        await transport.shutdown()
        await transport.shutdown()
        let f = await failure { _ = try await get(transport, server.baseURL + "/") }
        if case .other = f {} else { Issue.record("expected .other, got \(String(describing: f))") }
        await server.shutdown()
    }

    @Test func synchronousShutdownWorksFromAPlainThread() async throws {
        let server = try await TestHTTPServer(replies: [.json(200, "{}")])
        let transport = try HTTPTransport(options: .init())
        _ = try await get(transport, server.baseURL + "/")
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                shutDownSynchronously(transport)
                done.resume()
            }
        }
        let f = await failure { _ = try await get(transport, server.baseURL + "/") }
        if case .other = f {} else { Issue.record("expected .other, got \(String(describing: f))") }
        await server.shutdown()
    }

    /// A trend, not one count against a slack: after a warm-up, 4 rounds of 30 transports
    /// (each connects, asks, shuts down), counting descriptors and threads after each round.
    /// Other suites run in parallel and move the counts up and down, but only a leak moves
    /// them up by a round's worth in every round; so the smallest growth from one round to
    /// the next must stay under half a round.
    @Test func reconnectingDoesNotLeakDescriptorsOrThreads() async throws {
        let server = try await TestHTTPServer(replies: [.json(200, "{}")])
        // Warm up the shared event loop group.
        let warm = try HTTPTransport(options: .init())
        _ = try await get(warm, server.baseURL + "/")
        await warm.shutdown()
        let cycles = 30
        var fds = [try #require(openFileDescriptors(pid: getpid()))]
        var threads = [try #require(procStatusKiB(pid: getpid(), field: "Threads"))]
        for _ in 0..<4 {
            for _ in 0..<cycles {
                let t = try HTTPTransport(options: .init())
                _ = try await get(t, server.baseURL + "/")
                await t.shutdown()
            }
            fds.append(try #require(openFileDescriptors(pid: getpid())))
            threads.append(try #require(procStatusKiB(pid: getpid(), field: "Threads")))
        }
        let fdGrowth = zip(fds.dropFirst(), fds).map { $0 - $1 }
        let threadGrowth = zip(threads.dropFirst(), threads).map { $0 - $1 }
        #expect(fdGrowth.min()! < cycles / 2, "descriptors after each round: \(fds)")
        #expect(threadGrowth.min()! < cycles / 2, "threads after each round: \(threads)")
        #expect(fds.last! - fds.first! < 2 * cycles, "descriptors after each round: \(fds)")
        await server.shutdown()
    }

    @Test func anInvalidURLIsAnInvalidURLFailure() async throws {
        let transport = try HTTPTransport(options: .init())
        let f = await failure { _ = try await get(transport, "not a url") }
        #expect(f == .invalidURL("not a url"))
        await transport.shutdown()
    }
}

/// Shuts a transport down with the blocking call (from a non-async context).
func shutDownSynchronously(_ transport: HTTPTransport) {
    transport.shutdown()
}

/// Writes text to a fresh temporary file and returns its path.
func writeTemporaryFile(_ text: String) throws -> String {
    var template = Array("/tmp/ats-client-test-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    #expect(fd >= 0)
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension TransportTests {
    /// A listening socket whose accept queue is full drops new SYNs, so connecting hangs
    /// until the connect timeout: a connect failure, not a request timeout.
    @Test func aConnectThatHangsEndsAtTheConnectTimeout() async throws {
        let listener = try LoopbackListener(backlog: 0)
        defer { listener.stop() }
        let port = listener.port
        // Fill the accept queue (never accepted).
        let fillers = (0..<4).map { _ in listener.connectWithoutWaiting() }
        defer { for f in fillers { close(f) } }
        // The queue is full once a filler's handshake is done (it becomes writable); the
        // others' SYNs are dropped.
        var polls = fillers.map { pollfd(fd: $0, events: Int16(POLLOUT), revents: 0) }
        #expect(poll(&polls, nfds_t(polls.count), 5000) >= 1, "a connection waits in the accept queue")
        let transport = try HTTPTransport(options: .init(timeout: .seconds(10), connectTimeout: .milliseconds(500)))
        let f = await failure { _ = try await get(transport, "http://127.0.0.1:\(port)/") }
        #expect(f == .connect(host: "127.0.0.1", port: port, detail: "connection timed out"))
        await transport.shutdown()
    }
}
