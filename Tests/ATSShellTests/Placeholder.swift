import Testing

@Test func ATSShellTestsBuilds() { #expect(Bool(true)) }
