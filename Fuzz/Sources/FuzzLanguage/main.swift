import ATSLanguage
import FuzzDriver

/// The language front end on any text: `check` and `classify` report diagnostics whose
/// ranges lie inside the source (never a crash, a hang or a stack overflow), the renderer
/// draws them, and `format` — when the text has no syntax error — gives text that formats
/// to itself and parses without errors.
func fuzzLanguage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzInput(start: data, count: size), as: UTF8.self)
    let source = Source(name: "fuzz.ats", text: text)
    let length = text.utf8.count

    let diagnostics = Language.check(source, commands: [])
    for d in diagnostics {
        check(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= length,
              "diagnostic range \(d.range) outside 0...\(length): \(d.text)")
    }
    _ = DiagnosticRenderer(color: true).render(diagnostics, in: source)
    _ = Language.classify(source, commands: [])

    guard let formatted = try? Language.format(source, commands: []) else { return 0 }
    let again = Source(name: "fuzz.ats", text: formatted)
    let (_, errors) = Language.parse(again, commands: [])
    check(errors.isEmpty, "formatted text does not parse: \(errors.map(\.text)) in \(formatted.debugDescription)")
    guard let twice = try? Language.format(again, commands: []) else {
        preconditionFailure("formatted text does not format: \(formatted.debugDescription)")
    }
    check(twice == formatted, "format is not idempotent: \(formatted.debugDescription) -> \(twice.debugDescription)")
    return 0
}

runFuzzer { fuzzLanguage($0, $1) }
