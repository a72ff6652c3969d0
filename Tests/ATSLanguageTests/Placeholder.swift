import Testing

@Test func ATSLanguageTestsBuilds() { #expect(Bool(true)) }
