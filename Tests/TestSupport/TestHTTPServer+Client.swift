// Wiring a real AOClient + HTTPTransport to a TestHTTPServer (one helper, one place).
import AOClient
import AOHTTPClient
import ATSJSON

extension TestHTTPServer {
    /// Settings for this server: user `system`, password `manager`, small retry delays.
    public func settings(
        timeout: Duration? = .seconds(5), connectTimeout: Duration? = .seconds(2), language: String? = nil,
        maximumResponseBytes: Int = ConnectionSettings.defaultMaximumResponseBytes,
        retry: RetryPolicy = RetryPolicy(retries: 2, baseDelay: .milliseconds(10), maximumDelay: .milliseconds(50))
    ) -> ConnectionSettings {
        ConnectionSettings(
            baseURL: baseURL, user: "system", password: Secret("manager"), language: language, timeout: timeout,
            connectTimeout: connectTimeout, maximumResponseBytes: maximumResponseBytes, retry: retry)
    }

    /// Runs `body` with a client on a fresh HTTP transport for this server, then shuts both down.
    public func withClient<R>(
        _ settings: ConnectionSettings? = nil, _ body: (AOClient) async throws -> R
    ) async throws -> R {
        let s = settings ?? self.settings()
        let transport = try HTTPTransport(settings: s)
        do {
            let client = try AOClient(settings: s, transport: transport)
            let result = try await body(client)
            await transport.shutdown()
            await shutdown()
            return result
        } catch {
            await transport.shutdown()
            await shutdown()
            throw error
        }
    }

    /// The standard JP1/AO success headers with a token (reference §1.4).
    public static func aoHeaders(token: String = "a2e8ab6f7a9c35323fb7d9331735a9419235ebad_Vlo8Y30JBWoKHUYTEXAMXx5iHgQ=_V0810")
        -> [(String, String)]
    {
        [
            ("Server", "Cosminexus HTTP Server"),
            ("Access-Control-Expose-Headers", "WWW-Authenticate"),
            ("WWW-Authenticate", "HSSO \(token)"),
            ("Cache-Control", "no-cache"),
            ("Content-Type", "application/json"),
        ]
    }

    /// A JSON reply with the standard headers and this token.
    public static func ao(_ status: Int, _ body: String, token: String = "tok-1") -> Reply {
        .respond(status: status, headers: aoHeaders(token: token), body: Array(body.utf8))
    }
}
