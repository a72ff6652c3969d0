import Testing

@Test func ATSJSONTestsBuilds() { #expect(Bool(true)) }
