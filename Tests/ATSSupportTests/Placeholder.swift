import Testing

@Test func ATSSupportTestsBuilds() { #expect(Bool(true)) }
