import Testing

@Test func AOClientTestsBuilds() { #expect(Bool(true)) }
