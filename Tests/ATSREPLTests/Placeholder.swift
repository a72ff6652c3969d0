import Testing

@Test func ATSREPLTestsBuilds() { #expect(Bool(true)) }
