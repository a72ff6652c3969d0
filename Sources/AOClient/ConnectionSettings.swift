import ATSJSON

/// Everything needed to open a session with a JP1/AO server.
public struct ConnectionSettings: Sendable {
    /// The server, e.g. `http://aohost:22015` or `https://aohost:22016/Automation/v1`.
    /// See `ServerAddress` for the accepted forms.
    public var baseURL: String
    /// The user name for Basic authentication.
    public var user: String
    /// The password; only the transport ever reveals it.
    public var password: Secret
    /// `Accept-Language`: `en`, `ja` or `zh` (any locale the server knows); `nil` sends none.
    public var language: String?
    /// The whole-request time limit (connect, send, receive the whole body). `nil` = 60 s.
    public var timeout: Duration?
    /// The time limit for establishing a connection. `nil` = 10 s.
    public var connectTimeout: Duration?
    /// Skip TLS certificate verification (explicit `--insecure`).
    public var insecure: Bool
    /// A PEM file of CA certificates to trust instead of the system roots (`--cacert FILE`).
    public var caCertificatePath: String?
    /// The largest response body accepted; larger responses fail with `.tooLarge`.
    public var maximumResponseBytes: Int
    /// The `User-Agent` header.
    public var userAgent: String
    /// Automatic retries of idempotent GETs on 412/503.
    public var retry: RetryPolicy

    /// The default whole-request time limit.
    public static let defaultTimeout: Duration = .seconds(60)
    /// The default connect time limit.
    public static let defaultConnectTimeout: Duration = .seconds(10)
    /// The default response size limit: 64 MiB.
    public static let defaultMaximumResponseBytes = 64 * 1024 * 1024

    /// Settings with the defaults of `ConnectionSettings` for everything not given.
    public init(
        baseURL: String,
        user: String,
        password: Secret,
        language: String? = nil,
        timeout: Duration? = nil,
        connectTimeout: Duration? = nil,
        insecure: Bool = false,
        caCertificatePath: String? = nil,
        maximumResponseBytes: Int = ConnectionSettings.defaultMaximumResponseBytes,
        userAgent: String = "ats/\(AOClientInfo.version)",
        retry: RetryPolicy = .default
    ) {
        self.baseURL = baseURL
        self.user = user
        self.password = password
        self.language = language
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.insecure = insecure
        self.caCertificatePath = caCertificatePath
        self.maximumResponseBytes = maximumResponseBytes
        self.userAgent = userAgent
        self.retry = retry
    }

    /// The whole-request limit in effect.
    public var effectiveTimeout: Duration { timeout ?? Self.defaultTimeout }
    /// The connect limit in effect.
    public var effectiveConnectTimeout: Duration { connectTimeout ?? Self.defaultConnectTimeout }
}

/// Facts about this client.
public enum AOClientInfo {
    /// The version sent in `User-Agent: ats/<version>`.
    public static let version = "0.1.0"
}

/// When idempotent GETs are retried: 412 (server starting) and 503, with backoff.
/// POST, PUT and DELETE are never retried automatically.
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a GET is repeated after the first answer (so `retries + 1` requests at most).
    public var retries: Int
    /// The first delay; doubled for each further retry.
    public var baseDelay: Duration
    /// The longest delay, also the cap on a server's `Retry-After`.
    public var maximumDelay: Duration

    /// A policy with these limits.
    public init(retries: Int, baseDelay: Duration, maximumDelay: Duration) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// 2 retries, 250 ms then 500 ms, `Retry-After` honoured up to 5 s.
    public static let `default` = RetryPolicy(retries: 2, baseDelay: .milliseconds(250), maximumDelay: .seconds(5))

    /// The delay before retry number `attempt` (1-based), given the server's `Retry-After` seconds.
    func delay(attempt: Int, retryAfter: Double?) -> Duration {
        if let retryAfter, retryAfter >= 0 {
            let asked = Duration.milliseconds(Int64(retryAfter * 1000))
            return min(asked, maximumDelay)
        }
        var d = baseDelay
        if attempt > 1 { for _ in 1..<attempt { d = d * 2 } }
        return min(d, maximumDelay)
    }
}

/// A parsed, normalised server address.
///
/// Accepted: `http://host:port`, `https://host:port`, either with or without a trailing
/// `/Automation/v1` (or any path prefix in front of it, for a reverse proxy), and a bare
/// `host[:port]`. A bare host means `http` and port 22015 (the product's default); a URL
/// with a scheme and no port uses the scheme's default port (80/443), as curl does.
public struct ServerAddress: Sendable, Hashable {
    /// `http` or `https`.
    public var scheme: String
    /// Host name or address (IPv6 without brackets).
    public var host: String
    /// The port.
    public var port: Int
    /// The path prefix before `/Automation/v1` (usually empty).
    public var prefix: String

    /// `scheme://host:port`
    public var origin: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(h):\(port)"
    }

    /// `scheme://host:port[/prefix]/Automation/v1` — every API path is appended to this.
    public var apiRoot: String { origin + prefix + "/Automation/v1" }

    /// `host:port`, for prompts and messages.
    public var display: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses a base URL; the failure is an `APIError` of kind `.transport` (`invalidURL`).
    public init(parsing text: String) throws(APIError) {
        func invalid(_ why: String) -> APIError {
            APIError(transport: .invalidURL("\(text): \(why)"), operation: .connect, method: "", url: text)
        }
        let trimmed = text.trimmed()
        if trimmed.isEmpty { throw invalid("empty URL") }
        // One splitter (URLParts); without a scheme the text starts with the host.
        let explicitScheme = trimmed.contains("://")
        let parts = URLParts(explicitScheme ? trimmed : "http://" + trimmed)
        let scheme = parts.scheme.lowercased()
        guard scheme == "http" || scheme == "https" else { throw invalid("the scheme must be http or https") }
        let authority = Substring(parts.authority)
        var path = parts.path
        if authority.contains("@") { throw invalid("put the user in --user, not in the URL") }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unclosed '[' in the host") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw invalid("unexpected text after the host") }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        if host.isEmpty { throw invalid("no host") }
        if host.contains(where: { $0 == " " || $0 == "/" }) { throw invalid("invalid host") }
        var port: Int
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw invalid("invalid port '\(portText)'") }
            port = p
        } else if explicitScheme {
            port = scheme == "https" ? 443 : 80
        } else {
            port = 22015
        }
        while path.hasSuffix("/") { path.removeLast() }
        if path.lowercased().hasSuffix("/automation/v1") { path.removeLast("/Automation/v1".count) }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.prefix = path
    }
}

