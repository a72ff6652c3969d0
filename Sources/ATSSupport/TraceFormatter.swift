import AOClient
import ATSJSON

/// How much of a body a trace shows before it cuts.
public struct TraceLimits: Sendable, Hashable {
    /// Bytes of (pretty-printed) body text shown at most.
    public var maxBodyBytes: Int
    /// Lines of body text shown at most.
    public var maxBodyLines: Int

    /// Limits; the defaults are 4 KiB and 80 lines.
    public init(maxBodyBytes: Int = 4096, maxBodyLines: Int = 80) {
        self.maxBodyBytes = maxBodyBytes
        self.maxBodyLines = maxBodyLines
    }

    /// 4 KiB or 80 lines, whichever comes first.
    public static let standard = TraceLimits()
}

/// Renders exchanges as text: like `curl -v`, or as `curl` command lines. Used by
/// `TracingTransport`, and by the shell for `dry-run` (which prints a request without
/// sending it). Headers are shown only through `Redactor.display`, bodies only after
/// `Redactor.body`: no secret can reach the text.
public enum TraceFormatter {
    /// The `curl -v`-style request block: `> POST /Automation/v1/… HTTP/1.1`, `> Host: …`,
    /// the headers, `>`, then the body (JSON pretty-printed, shortened past `limits`).
    public static func request(_ request: HTTPRequest, limits: TraceLimits = .standard) -> String {
        let url = Redactor.url(request.url)
        let parts = URLParts(url)
        var lines = ["> \(request.method) \(parts.target) HTTP/1.1"]
        if request.headers["Host"] == nil && !parts.authority.isEmpty { lines.append("> Host: \(parts.authority)") }
        for (name, value) in Redactor.display(request.headers) { lines.append("> \(name): \(value)") }
        lines.append(">")
        lines += body(request.body ?? [], contentType: request.headers["Content-Type"]?.description, limits: limits)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The response block: `< HTTP/1.1 200 OK`, the headers, `<`, the body, `* 12.3 ms`.
    public static func response(_ response: HTTPResponse, duration: Duration, limits: TraceLimits = .standard) -> String {
        let reason = response.reason.isEmpty ? HTTPStatusText.reason(for: response.status) : response.reason
        var lines = ["< HTTP/1.1 \(response.status)\(reason.isEmpty ? "" : " " + reason)"]
        for (name, value) in Redactor.display(response.headers) { lines.append("< \(name): \(value)") }
        lines.append("<")
        lines += body(response.body, contentType: response.headers["Content-Type"]?.description, limits: limits)
        lines.append("* \(format(duration))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The line for a request that got no response: `* cannot connect to …: Connection refused (2.1 ms)`.
    public static func failure(_ error: any Error, duration: Duration) -> String {
        "* \(SupportMessages.failure(error)) (\(format(duration)))\n"
    }

    /// A `* …` line for something the transport did within the exchange (a request sent again).
    public static func event(_ event: TransportEvent) -> String {
        "* \(SupportMessages.event(event))\n"
    }

    /// The equivalent `curl` command, one option per line, quoted for a POSIX shell.
    ///
    /// Credentials never appear: an `Authorization` header (Basic or HSSO) becomes
    /// `-u "$ATS_USER:$ATS_PASSWORD"`, which works for every request of the API and lets the
    /// reader run the command with their own credentials. Secret-looking body members are
    /// `********`, as in every trace.
    public static func curl(_ request: HTTPRequest) -> String {
        var parts = ["curl -X \(request.method) \(shellQuoted(Redactor.url(request.url)))"]
        var sawAuthorization = false
        for field in request.headers {
            switch field.name.lowercased() {
            case "authorization":
                if !sawAuthorization { parts.append("-u \"$ATS_USER:$ATS_PASSWORD\"") }
                sawAuthorization = true
            case "host", "content-length":
                continue
            default:
                parts.append("-H " + shellQuoted("\(field.name): \(Redactor.display(name: field.name, value: field.value))"))
            }
        }
        if let body = request.body, !body.isEmpty {
            if let json = try? JSONParser.parse(body) {
                parts.append("--data-raw " + shellQuoted(JSONWriter.compact.string(Redactor.body(json))))
            } else if let text = String(validating: body, as: UTF8.self) {
                parts.append("--data-raw " + shellQuoted(text))
            } else {
                parts.append("--data-binary @body.bin  # \(body.count) bytes of binary data not shown")
            }
        }
        return parts.joined(separator: " \\\n  ") + "\n"
    }

    /// The comment a `curl` trace prints after the exchange: `# → 200 OK (12.3 ms)`.
    public static func curlOutcome(status: Int, reason: String, duration: Duration) -> String {
        let reason = reason.isEmpty ? HTTPStatusText.reason(for: status) : reason
        return "# → \(status)\(reason.isEmpty ? "" : " " + reason) (\(format(duration)))\n"
    }

    /// The comment a `curl` trace prints when the request got no response.
    public static func curlFailure(_ error: any Error, duration: Duration) -> String {
        "# → \(SupportMessages.failure(error)) (\(format(duration)))\n"
    }

    /// `text` in single quotes for a POSIX shell (`'` becomes `'\''`, also before a combining mark).
    public static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "'\\''") + "'"
    }

    /// `12.3 ms`, `1.52 s`.
    static func format(_ duration: Duration) -> String {
        let ms = milliseconds(duration)
        return ms < 1000 ? "\(decimal(ms, places: 1)) ms" : "\(decimal(ms / 1000, places: 2)) s"
    }

    /// The lines that show a body: nothing when empty, a note for binary data, otherwise the
    /// (pretty, redacted) text cut at `limits` with a note of what was cut.
    static func body(_ bytes: [UInt8], contentType: String?, limits: TraceLimits) -> [String] {
        guard !bytes.isEmpty else { return [] }
        let text: String
        if let json = try? JSONParser.parse(bytes) {
            text = JSONWriter.pretty.string(Redactor.body(json))
        } else if let t = String(validating: bytes, as: UTF8.self) {
            text = t
        } else {
            return [SupportMessages.traceBinary(bytes: bytes.count, contentType: contentType)]
        }
        let all = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var shown: [String] = []
        var used = 0
        var partial = false
        for line in all {
            guard shown.count < limits.maxBodyLines else { break }
            let cost = line.utf8.count + 1
            if used + cost > limits.maxBodyBytes {
                if shown.isEmpty {
                    // One very long first line: show its beginning.
                    var prefix = ""
                    for c in line {
                        if prefix.utf8.count + String(c).utf8.count > limits.maxBodyBytes { break }
                        prefix.append(c)
                    }
                    shown.append(prefix)
                    partial = true
                }
                break
            }
            shown.append(String(line))
            used += cost
        }
        if shown.count == all.count && !partial { return shown }
        let cutBytes = max(0, text.utf8.count - shown.joined(separator: "\n").utf8.count)
        let cutLines = all.count - shown.count + (partial ? 1 : 0)
        return shown + [SupportMessages.traceCut(bytes: cutBytes, lines: cutLines)]
    }
}

/// Milliseconds in a duration, as a `Double`.
func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
