import Testing
@testable import ATSShell

@Suite struct TaskFilterTests {
    /// A quote followed by a combining mark is one `Character` but two scalars; it must still
    /// be doubled, or the name ends the HQL string and the rest becomes filter syntax.
    @Test func serviceNameQuoteBeforeCombiningMarkIsDoubled() {
        let filter = TaskHandlers.serviceNameFilter("x'\u{301} or name ne '")
        #expect(Array(filter.unicodeScalars) == Array("serviceName eq 'x''\u{301} or name ne '''".unicodeScalars))
    }
}
