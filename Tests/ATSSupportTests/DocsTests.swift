import AOClient
import ATSJSON
import ATSSupport
import Foundation
import Testing
import TestSupport

/// The examples of docs/support.md are checked against the code.
@Suite struct DocsTests {
    static let guide = (try? String(contentsOf: repositoryRoot.appendingPathComponent("docs/support.md"), encoding: .utf8)) ?? ""

    /// The force stop the guide's trace examples show.
    static let forceStop: HTTPRequest = {
        var headers = HTTPHeaderFields()
        headers.add("Accept", "application/json")
        headers.add("Content-Type", "application/json")
        headers.add("Authorization", .secret(Secret("Basic c3lzdGVtOm1hbmFnZXI=")))
        return HTTPRequest(
            method: "POST", url: "http://aohost:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke",
            headers: headers, body: Array(#"{"name":"forceStop","parameters":[]}"#.utf8))
    }()

    /// The fenced blocks of the guide with the given info string.
    static func blocks(_ info: String) -> [String] {
        fences(in: guide).filter { $0.info == info }.map { $0.lines.joined(separator: "\n") }
    }

    @Test func theCaseFileExampleReads() throws {
        let example = try #require(Self.blocks("json").first)
        let file = CaseFileReader.parse(Array(example.utf8))
        #expect(file.problems.isEmpty, "\(file.problems)")
        #expect(file.header?.server?.productVersion == "11-00-00")
        let exchange = try #require(file.exchanges.first)
        #expect(exchange.statement == "stop 5381 --force")
        #expect(exchange.location == "cleanup.ats:12:5")
        #expect(exchange.response?.status == 409)
    }

    @Test func theCurlExampleIsWhatTraceCurlPrints() throws {
        let example = try #require(Self.blocks("sh").first { $0.hasPrefix("curl -X POST") })
        let printed = TraceFormatter.curl(Self.forceStop) + TraceFormatter.curlOutcome(status: 200, reason: "OK", duration: .microseconds(12_300))
        #expect(printed == example + "\n")
    }

    @Test func theVerboseExampleStartsAsTraceOnPrints() throws {
        let example = try #require(Self.blocks("").first { $0.hasPrefix("> POST") })
        #expect(example.hasPrefix(TraceFormatter.request(Self.forceStop)))
    }
}
