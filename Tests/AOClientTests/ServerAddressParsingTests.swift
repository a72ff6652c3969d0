import AOClient
import Testing

/// `ServerAddress(parsing:)`: the strict reading of a base URL, on top of `URLParts`.
@Suite struct ServerAddressParsingTests {
    @Test(arguments: [
        ("aohost", "http", "aohost", 22015, ""),
        ("aohost:8080", "http", "aohost", 8080, ""),
        ("https://aohost", "https", "aohost", 443, ""),
        ("HTTP://aohost/", "http", "aohost", 80, ""),
        ("http://aohost:22015/proxy/Automation/v1/?x=1#f", "http", "aohost", 22015, "/proxy"),
        ("http://[::1]:9000", "http", "::1", 9000, ""),
        ("  http://aohost/a//  ", "http", "aohost", 80, "/a"),
    ])
    func accepts(text: String, scheme: String, host: String, port: Int, prefix: String) throws {
        let s = try ServerAddress(parsing: text)
        #expect([s.scheme, s.host, String(s.port), s.prefix] == [scheme, host, String(port), prefix])
    }

    @Test(arguments: [
        ("", "empty URL"),
        ("ftp://aohost", "the scheme must be http or https"),
        ("http://admin@aohost", "put the user in --user, not in the URL"),
        ("http://[::1", "unclosed '[' in the host"),
        ("http://[::1]x", "unexpected text after the host"),
        ("http://", "no host"),
        ("http://:80", "no host"),
        ("http://aohost:0", "invalid port '0'"),
        ("http://aohost:http", "invalid port 'http'"),
    ])
    func rejects(text: String, why: String) {
        do throws(APIError) {
            _ = try ServerAddress(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.transportFailure == .invalidURL("\(text): \(why)"))
        }
    }
}
