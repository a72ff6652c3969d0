import ATSJSON
import ATSLanguage
import ATSShell
import ATSSystem
import Foundation
import Testing

// Unit tests of the output layer: the rules of emit, CSV quoting, widths, detection,
// stages, thread safety. The per-format renderings are in OutputGoldenTests.

private func object(_ members: KeyValuePairs<String, Value>) -> Value {
    .object(ValueObject(members.map { ($0.key, $0.value) }))
}

private func output(
    terminal: Bool, color: Bool = false, width: Int = 100, format: OutputFormat? = nil
) -> (ShellOutput, MemoryStream, MemoryStream) {
    let out = MemoryStream()
    let err = MemoryStream()
    let shell = ShellOutput(stdout: out, stderr: err, isTerminal: terminal, color: color, width: width, format: format)
    return (shell, out, err)
}

private let sampleTask = object([
    "instanceID": .int(5381), "name": .string("BackupDB_20150807100000"), "status": .string("failed"),
    "serviceName": .string("Backup Database"), "submitTime": .string("2015-08-07T10:00:00.000+0900"),
    "completionTime": .null,
])

/// The text with ANSI escape sequences removed.
private func stripANSI(_ text: String) -> String {
    var out = ""
    var inEscape = false
    for scalar in text.unicodeScalars {
        if inEscape {
            if scalar == "m" { inEscape = false }
        } else if scalar == "\u{1B}" {
            inEscape = true
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// A small RFC 4180 reader, to check that what `csv` writes reads back.
private func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var scalars = Array(text.unicodeScalars)[...]
    while let c = scalars.popFirst() {
        if quoted {
            if c == "\"" {
                if scalars.first == "\"" {
                    field.unicodeScalars.append("\"")
                    scalars.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            record.append(field)
            field = ""
        } else if c == "\n" {
            record.append(field)
            records.append(record)
            record = []
            field = ""
        } else {
            field.unicodeScalars.append(c)
        }
    }
    return records
}

// MARK: - emit rules

@Test(arguments: OutputFormat.allCases.map(Optional.some) + [nil])
func nullPrintsNothing(_ format: OutputFormat?) {
    for terminal in [true, false] {
        let (shell, out, _) = output(terminal: terminal, color: terminal, format: format)
        shell.emit(.null)
        #expect(out.text.isEmpty)
    }
}

@Test func defaultFormatIsPrettyOnATerminalAndJSONOffOne() {
    let value = Value.list([sampleTask])
    let (term, termOut, _) = output(terminal: true)
    term.emit(value)
    #expect(termOut.text == ShellOutput.render(value, format: .pretty, width: 100))
    #expect(termOut.text.hasPrefix("instanceID"))

    let (pipe, pipeOut, _) = output(terminal: false)
    pipe.emit(value)
    #expect(pipeOut.text == ShellOutput.render(value, format: .json))
    let parsed = try? JSONParser.parse(pipeOut.text)
    #expect(parsed == value.toJSON())
}

@Test func formatOverrideWinsOverTheTerminalRules() {
    let (shell, out, _) = output(terminal: true, color: true)
    shell.format = .jsonl
    shell.emit(.list([sampleTask, sampleTask]))
    #expect(out.text.split(separator: "\n").count == 2)
    #expect(shell.effectiveFormat == .jsonl)
    shell.format = nil
    #expect(shell.effectiveFormat == .pretty)
}

@Test func stringsArePlainOnATerminalAndJSONOffOne() {
    let (term, termOut, _) = output(terminal: true)
    term.emit(.string("hello \"world\""))
    #expect(termOut.text == "hello \"world\"\n")
    let (pipe, pipeOut, _) = output(terminal: false)
    pipe.emit(.string("hello \"world\""))
    #expect(pipeOut.text == "\"hello \\\"world\\\"\"\n")
}

@Test func timesSecretsAndDurationsPrintAsText() {
    let time = Value.time(TimeValue(millisecondsSinceEpoch: 1_438_909_200_025, utcOffsetSeconds: 9 * 3600))
    let (term, out, _) = output(terminal: true)
    term.emit(time)
    term.emit(.secret(Secret("hunter2")))
    term.emit(.duration(.seconds(90)))
    #expect(out.text == "2015-08-07T10:00:00.025+09:00\n********\n1m30s\n")
    let csv = ShellOutput.render(.list([object(["at": time, "password": .secret(Secret("hunter2"))])]), format: .csv)
    #expect(csv == "at,password\n2015-08-07T10:00:00.025+09:00,********\n")
    #expect(!csv.contains("hunter2"))
}

@Test func quietSuppressesValuesButNotText() {
    let (shell, out, _) = output(terminal: true)
    shell.quiet = true
    shell.emit(.string("value"))
    shell.write("echoed\n")
    #expect(out.text == "echoed\n")
}

@Test func writeAndWriteErrorFlushStandardOutputFirst() {
    let (shell, out, err) = output(terminal: false)
    shell.write("one\n")
    shell.writeError("warning: two\n")
    #expect(out.flushedText == "one\n")
    #expect(err.flushedText == "warning: two\n")
}

// MARK: - output stages

private func stage(_ name: String, input: Value?, options: [String: Value] = [:], on shell: ShellOutput) throws(ErrorValue) -> Value {
    let signature = OutputStages.signatures.first { $0.name == name }!
    return try OutputStages.run(CommandCall(signature: signature, options: options, input: input, text: name), output: shell)
}

@Test func stagesTakeInputAndAreNamedAsInTheSpec() {
    #expect(OutputStages.names == ["table", "json", "jsonl", "csv", "lines"])
    #expect(OutputStages.signatures.allSatisfy { $0.takesInput })
}

@Test func stageTextPrintsVerbatimWhateverTheFormat() throws {
    let (shell, out, _) = output(terminal: false, format: .json)
    let csv = try stage("csv", input: .list([sampleTask]), on: shell)
    guard case .string(let text) = csv else {
        Issue.record("csv returned \(csv)")
        return
    }
    #expect(text.hasPrefix("instanceID,name,status"))
    shell.emit(csv)
    #expect(out.text == text)
    // A string that no stage produced is still JSON in the json format.
    shell.emit(.string("instanceID"))
    #expect(out.text == text + "\"instanceID\"\n")
}

@Test func tableStageReturnsPlainTextButShowsColourAndFitsTheTerminal() throws {
    let (shell, out, _) = output(terminal: true, color: true, width: 40)
    let long = object(["instanceID": .int(1), "name": .string(String(repeating: "x", count: 80)), "status": .string("failed"), "serviceName": .string("s")])
    let result = try stage("table", input: .list([long]), on: shell)
    guard case .string(let plain) = result else {
        Issue.record("table returned \(result)")
        return
    }
    #expect(!plain.contains("\u{1B}"))
    #expect(plain.contains(String(repeating: "x", count: 80)))
    shell.emit(result)
    #expect(out.text.contains("\u{1B}[31mfailed"))
    #expect(stripANSI(out.text).split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 40 })
}

@Test func stageColumnsOptionTakesCommasOrAList() throws {
    let (shell, _, _) = output(terminal: false)
    let a = try stage("csv", input: .list([sampleTask]), options: ["columns": .string("name, status")], on: shell)
    let b = try stage("csv", input: .list([sampleTask]), options: ["columns": .list([.string("name"), .string("status")])], on: shell)
    guard case .string(let text) = a else {
        Issue.record("csv returned \(a)")
        return
    }
    #expect(text == "name,status\nBackupDB_20150807100000,failed\n")
    guard case .string(let other) = b else {
        Issue.record("csv returned \(b)")
        return
    }
    #expect(other == text)
}

@Test func stageErrorsAreScriptErrors() {
    let (shell, _, _) = output(terminal: false)
    #expect(throws: ErrorValue.self) { try stage("table", input: nil, on: shell) }
    do {
        _ = try stage("csv", input: .list([]), options: ["columns": .int(3)], on: shell)
        Issue.record("expected an error")
    } catch {
        #expect(error.kind == "script")
        #expect(error.summary.contains("--columns"))
    }
}

@Test func linesStagePrintsStringsUnquoted() throws {
    let (shell, _, _) = output(terminal: false)
    let result = try stage("lines", input: .list([.string("a b"), .int(1), object(["k": .null])]), on: shell)
    guard case .string(let text) = result else {
        Issue.record("lines returned \(result)")
        return
    }
    #expect(text == "a b\n1\n{\"k\":null}\n")
}

// MARK: - formats

@Test(arguments: [
    ("plain", "plain"),
    ("a,b", "\"a,b\""),
    ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("line\nbreak", "\"line\nbreak\""),
    ("cr\r", "\"cr\r\""),
    (" spaced ", " spaced "),
    ("", ""),
    ("データ,ベース", "\"データ,ベース\""),
])
func csvQuoting(_ text: String, _ field: String) {
    let csv = ShellOutput.render(.list([object(["f": .string(text)])]), format: .csv)
    #expect(csv == "f\n\(field)\n")
    #expect(parseCSV(csv) == [["f"], [text]])
}

@Test func csvReadsBackWithNestedValuesAsCompactJSON() throws {
    let rows: Value = .list([
        object(["a": .string("x,\"y\"\nz"), "b": .list([.int(1), .string("two")]), "c": .null]),
        object(["b": object(["k": .bool(true)]), "d": .double(1.5)]),
    ])
    let records = parseCSV(ShellOutput.render(rows, format: .csv))
    #expect(records == [
        ["a", "b", "c", "d"],
        ["x,\"y\"\nz", "[1,\"two\"]", "", ""],
        ["", "{\"k\":true}", "", "1.5"],
    ])
}

@Test func jsonAndJSONLinesReadBack() throws {
    let value: Value = .list([sampleTask, object(["nested": .list([.null, .bool(false)])])])
    #expect(try JSONParser.parse(ShellOutput.render(value, format: .json)) == value.toJSON())
    let lines = ShellOutput.render(value, format: .jsonl).split(separator: "\n")
    #expect(lines.count == 2)
    #expect(try lines.map { try JSONParser.parse(String($0)) } == [sampleTask.toJSON(), value.toJSON()[1]!])
}

@Test(arguments: [20, 33, 40, 60, 80, 100, 140])
func tablesFitTheWidthAndNeverWrap(_ width: Int) throws {
    let text = try String(
        contentsOf: OutputGoldenCase.folder.appendingPathComponent("unicode.input.json"), encoding: .utf8)
    let value = Value(try JSONParser.parse(text)["value"]!)
    guard case .list(let items) = value else {
        Issue.record("unicode.input.json holds \(value), not a list")
        return
    }
    let rendered = ShellOutput.render(value, format: .pretty, color: true, width: width)
    let lines = stripANSI(rendered).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == items.count + 2)
    for line in lines {
        #expect(DisplayWidth.of(String(line)) <= width, "\(line)")
        #expect(!line.hasSuffix(" "))
    }
}

@Test func emptyListsSayEmptyOnATerminalAndAreEmptyElsewhere() {
    #expect(ShellOutput.render(.list([]), format: .pretty) == "(empty list)\n")
    #expect(ShellOutput.render(.list([]), format: .json) == "[]\n")
    #expect(ShellOutput.render(.list([]), format: .jsonl) == "")
    #expect(ShellOutput.render(.list([]), format: .csv) == "")
    #expect(ShellOutput.render(.list([]), format: .raw) == "")
}

// MARK: - status colours and resource columns

@Test(arguments: [
    ("waiting", "34"), ("holding", "34"), ("Suspended", "34"),
    ("inProgress", "36"), ("running", "36"), ("In Progress", "36"), ("terminating", "36"), ("longRunning", "36"),
    ("waitingResponse", "1;35"), ("Waiting for Input", "1;35"), ("WAITING_RESPONSE", "1;35"),
    ("abnormalDetected", "1;33"),
    ("completed", "32"), ("failed", "31"), ("canceled", "90"), ("cancelled", "90"),
])
func statusColours(_ status: String, _ sgr: String) {
    #expect(StatusStyle.sgr(for: status) == sgr)
    let table = ShellOutput.render(.list([object(["instanceID": .int(1), "status": .string(status), "serviceName": .string("s")])]), format: .table, color: true)
    #expect(table.contains("\u{1B}[\(sgr)m\(status)\u{1B}[0m"))
}

@Test func unknownStatusesAreShownUncoloured() {
    #expect(StatusStyle.sgr(for: "exploded") == nil)
    #expect(StatusStyle.sgr(for: "") == nil)
    #expect(StatusStyle.sgr(for: "Completed") == "32")
}

@Test(arguments: [
    (["instanceID", "name", "status", "startTime", "serviceName", "submitTime", "scheduleID"], ResourceKind.task),
    (["instanceID", "name", "status", "serviceName", "archiveTime", "taskID"], .taskHistory),
    (["instanceID", "name", "serviceTemplateName", "serviceState", "lastSubmitTime"], .service),
    (["instanceID", "keyName", "displayName", "vendorID", "version", "releaseState"], .serviceTemplate),
    (["instanceID", "name", "status", "scheduleType", "createTime", "serviceID"], .schedule),
    (["instanceID", "keyName", "displayName", "defaultValue", "type", "mode"], .propertyDefinition),
    (["instanceID", "type", "keyName", "value", "readOnly"], .propertyValue),
    (["instanceID", "objectID", "name", "description"], .serviceGroup),
    (["instanceID", "name", "tags"], .tagGroup),
    (["instanceID", "name", "tagGroupName"], .tag),
    (["name", "href", "method", "parameters"], .action),
    (["instanceID", "created", "updated", "completed", "state", "affectedResources"], .job),
    (["userName", "accessPermission", "fullName"], .user),
    (["productName", "productVersion", "apiVersion"], .version),
])
func resourceKinds(_ keys: [String], _ kind: ResourceKind) {
    #expect(ResourceKind.recognise(keys) == kind)
    let object = Value.object(ValueObject(keys.map { ($0, Value.string("v")) }))
    let header = ShellOutput.render(.list([object]), format: .table).split(separator: "\n").first.map(String.init) ?? ""
    let expected = kind.columns.filter { keys.contains($0) }
    #expect(header.split(separator: " ").map(String.init) == expected)
}

@Test func unknownObjectsShowTheUnionOfTheirKeysCapped() {
    let many = Value.list([
        .object(ValueObject((1...8).map { ("k\($0)", Value.int($0)) })),
        .object(ValueObject((5...14).map { ("k\($0)", Value.int($0)) })),
    ])
    let header = ShellOutput.render(many, format: .table).split(separator: "\n").first ?? ""
    #expect(header.split(separator: " ").map(String.init) == (1...10).map { "k\($0)" })
}

// MARK: - widths and terminal detection

@Test(arguments: [
    ("abc", 3), ("日本語", 6), ("ｱｲｳ", 3), ("e\u{301}", 1), ("🚀", 2), ("ＡＢ", 4), ("한글", 4),
    ("ログ・ローテーション（週次）", 28), ("❤️", 2), ("", 0),
])
func displayWidths(_ text: String, _ width: Int) {
    #expect(DisplayWidth.of(text) == width)
}

@Test func truncationKeepsWideCharactersWholeAndEndsInAnEllipsis() {
    #expect(DisplayWidth.truncate("データベース", to: 12) == "データベース")
    #expect(DisplayWidth.truncate("データベース", to: 6) == "デー…")
    #expect(DisplayWidth.truncate("データベース", to: 7) == "データ…")
    #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
}

@Test func terminalDetectionRules() {
    let env: [String: String] = [:]
    #expect(TerminalInfo.resolve(isTerminal: true, measuredWidth: 132, environment: env, noColorOption: false)
        == TerminalInfo(isTerminal: true, color: true, width: 132))
    #expect(TerminalInfo.resolve(isTerminal: true, measuredWidth: nil, environment: ["COLUMNS": "90"], noColorOption: false).width == 90)
    #expect(TerminalInfo.resolve(isTerminal: false, measuredWidth: nil, environment: env, noColorOption: false)
        == TerminalInfo(isTerminal: false, color: false, width: 80))
    #expect(!TerminalInfo.resolve(isTerminal: true, measuredWidth: 80, environment: ["NO_COLOR": "1"], noColorOption: false).color)
    #expect(TerminalInfo.resolve(isTerminal: true, measuredWidth: 80, environment: ["NO_COLOR": ""], noColorOption: false).color)
    #expect(!TerminalInfo.resolve(isTerminal: true, measuredWidth: 80, environment: env, noColorOption: true).color)
    #expect(!TerminalInfo.resolve(isTerminal: true, measuredWidth: 80, environment: ["TERM": "dumb"], noColorOption: false).color)
}

@Test func formatNamesParseAndNearMissesAreSuggested() throws {
    #expect(try OutputFormat.parse("JSON") == .json)
    #expect(try OutputFormat.parseOverride("auto") == nil)
    #expect(try OutputFormat.parseOverride("csv") == .csv)
    do {
        _ = try OutputFormat.parse("tabel")
        Issue.record("expected an error")
    } catch {
        #expect(error.summary == "unknown output format \"tabel\"")
        #expect(error.details.first == "did you mean `table`?")
    }
}

// MARK: - streams and threads

@Test func parallelEmitsProduceWholeLines() throws {
    let (shell, out, _) = output(terminal: false, format: .jsonl)
    let perThread = 200
    let threads = 8
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
        for n in 0..<perThread {
            shell.emit(.list([object(["thread": .int(thread), "n": .int(n), "name": .string(String(repeating: "データ", count: 20))])]))
            shell.write("echo \(thread) \(n)\nsecond line \(thread) \(n)\n")
        }
    }
    let lines = out.text.split(separator: "\n").map(String.init)
    #expect(lines.count == threads * perThread * 3)
    var index = 0
    while index < lines.count {
        if lines[index].hasPrefix("echo ") {
            let tag = lines[index].dropFirst("echo ".count)
            #expect(lines[index + 1] == "second line \(tag)")
            index += 2
        } else {
            #expect(throws: Never.self) { try JSONParser.parse(lines[index]) }
            index += 1
        }
    }
}

@Test func fileDescriptorStreamBuffersUntilFlushOffATerminal() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer {
        close(fds[0])
        close(fds[1])
    }
    _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
    func available() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fds[0], &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : ""
    }
    let buffered = FileDescriptorStream(fileDescriptor: fds[1], lineBuffered: false)
    buffered.write("a\nb")
    #expect(available() == "")
    buffered.flush()
    #expect(available() == "a\nb")

    let lineBuffered = FileDescriptorStream(fileDescriptor: fds[1], lineBuffered: true)
    lineBuffered.write("c\nd")
    #expect(available() == "c\n")
    lineBuffered.flush()
    #expect(available() == "d")
    #expect(!lineBuffered.isBroken)
}

@Test func statusKeepsItsColourAfterSelect() {
    let selected = Value.list([object(["instanceID": .int(1), "status": .string("failed")])])
    #expect(ShellOutput.render(selected, format: .pretty, color: true).contains("\u{1B}[31mfailed\u{1B}[0m"))
    #expect(!ShellOutput.render(selected, format: .pretty, color: false).contains("\u{1B}"))
}

@Test(arguments: OutputFormat.allCases)
func objectsWithoutMembersStillPrint(_ format: OutputFormat) {
    let empty = Value.object(ValueObject())
    for value in [Value.list([empty, empty]), empty] {
        let text = ShellOutput.render(value, format: format)
        // CSV has no column to put anything in: no header, no records.
        #expect(text.isEmpty == (format == .csv), "\(format) printed \(text) for \(value.toJSON())")
    }
}

@Test func aResizedTerminalIsMeasuredAgain() {
    final class Width: @unchecked Sendable { var columns = 100 }
    let width = Width()
    let out = MemoryStream()
    let shell = ShellOutput(
        stdout: out, stderr: MemoryStream(), terminal: TerminalInfo(isTerminal: true, color: false, width: 100),
        measureWidth: { width.columns })
    let wide = Value.list([object(["instanceID": .int(1), "name": .string(String(repeating: "n", count: 70))])])
    shell.emit(wide)
    width.columns = 40
    shell.emit(wide)
    let lines = out.text.split(separator: "\n")
    #expect(lines.count == 6)
    #expect(lines.prefix(3).contains { DisplayWidth.of(String($0)) > 40 })
    #expect(lines.suffix(3).allSatisfy { DisplayWidth.of(String($0)) <= 40 })
}

@Test func aClosedPipeStopsWritingWithoutFailing() {
    // As when `ats -c tasks | head -1` exits early (NIO ignores SIGPIPE, so writes see EPIPE).
    signal(SIGPIPE, SIG_IGN)
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    close(fds[0])
    defer { close(fds[1]) }
    let stream = FileDescriptorStream(fileDescriptor: fds[1], lineBuffered: false)
    let shell = ShellOutput(stdout: stream, stderr: MemoryStream(), terminal: .pipe)
    shell.emit(.list([sampleTask]))
    #expect(stream.isBroken)
    shell.emit(.list([sampleTask]))
    #expect(stream.isBroken)
}

/// A large list in the `json` format is written in 64 KiB pieces; the text is the same as
/// `render` gives, also where a piece ends inside a multi-byte character.
@Test(arguments: [false, true])
func largeJSONIsStreamedWithTheSameText(_ color: Bool) {
    let names = ["バックアップ取得", "café", "𝔘nicode", "plain"]
    let items = (0..<20_000).map { i in object(["instanceID": .int(i), "name": .string(names[i % names.count])]) }
    let value = Value.list(items)
    let (shell, out, _) = output(terminal: false, color: color, format: .json)
    shell.emit(value)
    #expect(out.text == shell.render(value))
    #expect(out.flushedText == out.text)
}

@Test func wholeUTF8PrefixStopsBeforeACutCharacter() {
    let euro = Array("€".utf8)  // three bytes
    #expect(ShellOutput.wholeUTF8Prefix(Array("ab".utf8)) == 2)
    #expect(ShellOutput.wholeUTF8Prefix(Array("a".utf8) + euro) == 4)
    #expect(ShellOutput.wholeUTF8Prefix(Array("a".utf8) + euro.prefix(2)) == 1)
    #expect(ShellOutput.wholeUTF8Prefix(Array("a".utf8) + euro.prefix(1)) == 1)
    #expect(ShellOutput.wholeUTF8Prefix(Array("𝔘".utf8).prefix(3) + []) == 0)
    #expect(ShellOutput.wholeUTF8Prefix([]) == 0)
}
