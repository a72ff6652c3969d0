import AOClient
import ATSJSON
import Foundation
import Testing

@Suite struct QueryEncodingTests {
    @Test(arguments: [
        ("status eq 'failed'", "status%20eq%20%27failed%27"),
        ("a+b&c=d", "a%2Bb%26c%3Dd"),
        ("name in ['x','y']", "name%20in%20%5B%27x%27,%27y%27%5D"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("2015-07-31T11:30:00.000+09:00", "2015-07-31T11:30:00.000%2B09:00"),
        ("a/b?c#d%", "a%2Fb%3Fc%23d%25"),
        ("Tilde~ok-._", "Tilde~ok-._"),
    ])
    func strictEncoding(_ input: String, _ expected: String) {
        #expect(QueryEncoding.encode(input) == expected)
        #expect(QueryEncoding.decode(expected) == input)
    }

    @Test func decodeKeepsInvalidEscapesAndRepairsUTF8() {
        #expect(QueryEncoding.decode("%%41%4") == "%A%4")
        #expect(QueryEncoding.decode("%zz%4G%") == "%zz%4G%")
        #expect(QueryEncoding.decode("%FF%e6%97%a5") == "\u{FFFD}日")
    }

    @Test func decodeReadsPlusAsASpaceOnlyWhenAsked() {
        #expect(QueryEncoding.decode("a+b%2B") == "a+b+")
        #expect(QueryEncoding.decode("a+b%2B", plusIsSpace: true) == "a b+")
        #expect(QueryEncoding.decode("x=1+2".dropFirst(2), plusIsSpace: true) == "1 2")
    }

    @Test func queryStringKeepsOrderAndBareNames() {
        let q = QueryEncoding.queryString([("taskID", "5381"), ("reverse", nil), ("HQL::filter", "a eq 'b c'")])
        #expect(q == "taskID=5381&reverse&HQL::filter=a%20eq%20%27b%20c%27")
    }

    @Test func lenientEncodingKeepsEscapesAndSeparators() {
        #expect(QueryEncoding.encodeLenient("HQL::filter=name eq 'a%20b'&x=+") == "HQL::filter=name%20eq%20%27a%20b%27&x=%2B")
    }

    @Test func hqlQuoteDoublesQuotes() {
        #expect(HQLOptions.quote("O'Neil") == "'O''Neil'")
    }

    /// Fuzz finding (`hql`): a quote followed by a combining mark is one Swift `Character`
    /// that is not `'`, so it was not doubled and the value could end the HQL string early.
    @Test func hqlQuoteDoublesAQuoteBeforeACombiningMark() {
        let quoted = HQLOptions.quote("x'\u{301} or name ne '")
        #expect(Array(quoted.unicodeScalars) == Array("'x''\u{301} or name ne '''".unicodeScalars))
    }
}

@Suite struct ServerAddressTests {
    @Test(arguments: [
        ("http://aohost:22015", "http://aohost:22015/Automation/v1"),
        ("http://aohost:22015/", "http://aohost:22015/Automation/v1"),
        ("http://aohost:22015/Automation/v1", "http://aohost:22015/Automation/v1"),
        ("http://aohost:22015/Automation/v1/", "http://aohost:22015/Automation/v1"),
        ("HTTPS://aohost:22016/automation/v1", "https://aohost:22016/Automation/v1"),
        ("aohost", "http://aohost:22015/Automation/v1"),
        ("aohost:8080", "http://aohost:8080/Automation/v1"),
        ("https://ao.example.com", "https://ao.example.com:443/Automation/v1"),
        ("https://proxy:443/ao/Automation/v1", "https://proxy:443/ao/Automation/v1"),
        ("http://[::1]:22015", "http://[::1]:22015/Automation/v1"),
        ("  http://127.0.0.1:22015  ", "http://127.0.0.1:22015/Automation/v1"),
    ])
    func acceptedForms(_ input: String, _ root: String) throws {
        #expect(try ServerAddress(parsing: input).apiRoot == root)
    }

    @Test(arguments: ["", "ftp://h:1", "http://:22015", "http://h:0", "http://h:99999", "http://h:port", "http://u:p@h:1"])
    func rejectedForms(_ input: String) {
        #expect(throws: APIError.self) { try ServerAddress(parsing: input) }
        do {
            _ = try ServerAddress(parsing: input)
        } catch {
            #expect(error.kind == .transport)
            if case .invalidURL = error.transportFailure {} else { Issue.record("expected invalidURL, got \(error)") }
        }
    }
}

@Suite struct ConventionsTests {
    let c = APIConventions.default

    @Test(arguments: [
        ("inProgress", "inProgress"), ("In Progress", "inProgress"), ("IN_PROGRESS", "inProgress"), ("running", "inProgress"),
        ("Now running", "inProgress"), ("Waiting for Input", "waitingResponse"), ("waiting for response", "waitingResponse"),
        ("WAITING_RESPONSE", "waitingResponse"), ("In Progress (with Error)", "abnormalDetected"),
        ("Abnormal Detection", "abnormalDetected"), ("inProgressWithError", "abnormalDetected"),
        ("Suspended", "holding"), ("Holding", "holding"), ("In Progress (Terminating)", "terminating"),
        ("stopping", "terminating"), ("Long Running", "longRunning"), ("cancelled", "canceled"), ("COMPLETED", "completed"),
        ("Waiting", "waiting"), ("failed", "failed"),
    ])
    func aliases(_ name: String, _ api: String) {
        #expect(c.canonicalStatus(name) == api)
    }

    @Test func unknownStatusIsKeptVerbatim() {
        #expect(c.canonicalStatus("Quantum Superposition") == "Quantum Superposition")
        #expect(c.category(ofStatus: "Quantum Superposition") == nil)
        #expect(c.displayName(ofStatus: "zzz") == "zzz")
        #expect(c.accepts(.stop, status: "zzz") == nil)
    }

    @Test func categories() {
        #expect(c.category(ofStatus: "waiting") == .scheduled)
        #expect(c.category(ofStatus: "Suspended") == .scheduled)
        #expect(c.category(ofStatus: "longRunning") == .active)
        #expect(c.category(ofStatus: "Canceled") == .finished)
        #expect(c.taskStatuses.count == 10)
    }

    @Test func actionRules() {
        #expect(c.accepts(.forceStop, status: "In Progress") == true)
        #expect(c.accepts(.forceStop, status: "terminating") == true)
        #expect(c.accepts(.forceStop, status: "completed") == false)
        #expect(c.accepts(.stop, status: "terminating") == false)
        #expect(c.accepts(.response, status: "Waiting for Input") == true)
        #expect(c.accepts(.rerunStepStart, status: "failed") == true)
        #expect(c.accepts(.archive, status: "inProgress") == false)
        #expect(c.accepts(.cancel, status: "Holding") == true)
        #expect(c.accepts(.resume, status: "inProgress") == false)
        #expect(c.documentedStatuses(for: .forceStop) == ["In Progress", "Waiting for Input", "In Progress (with Error)"])
        for a in TaskAction.allCases { #expect(c.taskActionRules[a] != nil) }
        for a in ScheduleAction.allCases { #expect(c.scheduleActionRules[a] != nil) }
    }

    @Test func conventionsAreOverridable() {
        var custom = APIConventions.default
        custom.taskStatuses[2].apiName = "IN_PROGRESS"
        custom.limitParameter = "$count"
        #expect(custom.canonicalStatus("In Progress") == "IN_PROGRESS")
        #expect(custom.limitParameter == "$count")
    }
}

@Suite struct APIDateTests {
    @Test(arguments: [
        "2014-12-09T18:50:30.500+0900", "2014-12-09T18:50:30.500+09:00", "2014-12-09T09:50:30.500Z",
        "2014-12-09T09:50:30.5Z", "2014-12-09T04:50:30.500-05:00",
    ])
    func sameInstantInEveryOffsetForm(_ text: String) throws {
        let d = try #require(APIDate(parsing: text))
        #expect(d.secondsSince1970 == 1_418_118_630.5)
    }

    @Test func formatAlwaysUsesAColon() throws {
        #expect(APIDate(parsing: "2014-12-09T18:50:30.500+0900")?.formatted == "2014-12-09T18:50:30.500+09:00")
        #expect(APIDate(parsing: "2014-12-09T09:50:30Z")?.formatted == "2014-12-09T09:50:30.000+00:00")
        #expect(APIDate(parsing: "2015-08-07T19:00:40.025-0330")?.formatted == "2015-08-07T19:00:40.025-03:30")
        #expect(APIDate(secondsSince1970: 1_418_118_630.5, utcOffsetSeconds: 9 * 3600).formatted == "2014-12-09T18:50:30.500+09:00")
    }

    @Test func normalisingForSending() {
        #expect(APIDate.normalisedForSending("2015-07-31T11:30:00.000+0900") == "2015-07-31T11:30:00.000+09:00")
        #expect(APIDate.normalisedForSending("2015-07") == "2015-07")
        #expect(APIDate.normalisedForSending("not a date") == "not a date")
    }

    @Test(arguments: ["2015", "2015-07", "2015-07-31", "2015-07-31T11+09:00", "2015-07-31T11:30+09:00", "2015-07-31T11:30:00"])
    func truncatedInputForms(_ text: String) {
        #expect(APIDate(parsing: text) != nil)
    }

    @Test(arguments: ["", "15-07-31", "2015-13-01", "2015-02-30", "2015-07-31T25:00", "2015-07-31T11:30:00+0960", "2015-07-31x"])
    func invalidDates(_ text: String) {
        #expect(APIDate(parsing: text) == nil)
    }

    @Test func roundTripThroughEpoch() throws {
        for t in [0.0, 951_782_400.0, -86_400.0 * 365, 4_102_444_800.123] {
            let d = APIDate(secondsSince1970: t, utcOffsetSeconds: -7 * 3600)
            let back = try #require(APIDate(parsing: d.formatted))
            #expect(abs(back.secondsSince1970 - t) < 0.001)
        }
    }
}

@Suite struct Base64Tests {
    @Test func encodeMatchesFoundationAndDecodeRoundTrips() {
        for count in 0..<40 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(Base64.decode(encoded) == bytes)
        }
    }

    @Test func decodeIsTolerantOfURLSafeLettersPaddingAndLineBreaks() {
        #expect(Base64.decode("c3lzdGVt\r\nOm1h bmFnZXI=") == Array("system:manager".utf8))
        #expect(Base64.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64.decode("+/8=") == [0xFB, 0xFF])
    }

    @Test func decodeRejectsWhatIsNotBase64() {
        #expect(Base64.decode("ab*c") == nil)
        #expect(Base64.decode("abcde") == nil)
        #expect(Base64.decode("\u{E9}") == nil)
    }
}
