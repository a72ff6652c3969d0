import Testing

@Test func AOSimulatorTestsBuilds() { #expect(Bool(true)) }
