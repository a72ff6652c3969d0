import ATSJSON
import ATSSupport
import FuzzDriver

/// The case-file reader takes any bytes without crashing or hanging; a case file compared
/// with itself shows no difference; redaction is idempotent and never lets a secret-named
/// member through.
func fuzzCaseFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(FuzzInput(start: data, count: size))
    let file = CaseFileReader.parse(bytes)
    let report = CaseDiff.compare(file, file)
    check(report.isEquivalent, "a case file differs from itself")
    check(CaseDiff.compare(file, file, options: CaseDiffOptions(all: true)).isEquivalent)

    if let json = try? JSONParser.parse(bytes) {
        let once = Redactor.body(json)
        check(Redactor.body(once) == once, "redaction is not idempotent")
        check(!containsSecretValue(once), "a secret-named member kept its value")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let url = Redactor.url(text)
    check(Redactor.url(url) == url, "URL redaction is not idempotent")
    let statement = Redactor.statement(text)
    check(Redactor.statement(statement) == statement, "statement redaction is not idempotent")

    // Whatever a secret literal or a password parameter holds, none of it is left.
    let literal = String(text.unicodeScalars.filter { $0 != "\"" && $0 != "\\" })
    check(Redactor.statement("let p = secret(\"" + literal + "\")") == "let p = secret(\"********\")",
          "a secret literal kept some of its text: \(literal.debugDescription)")
    let parameter = String(text.unicodeScalars.filter { $0 != "&" })
    if !parameter.isEmpty {
        check(Redactor.url("http://h/x?password=" + parameter + "&q=1") == "http://h/x?password=********&q=1",
              "a password parameter kept some of its text: \(parameter.debugDescription)")
    }
    return 0
}

/// True when a member with a secret-looking name holds anything but null, "" or the mask.
func containsSecretValue(_ json: JSON) -> Bool {
    switch json {
    case .array(let items): return items.contains(where: containsSecretValue)
    case .object(let object):
        for (key, value) in object {
            if Redactor.isSecretName(key) {
                switch value {
                case .null: continue
                case .string(let s) where s.isEmpty || s == Redactor.mask: continue
                default: return true
                }
            }
            if containsSecretValue(value) { return true }
        }
        return false
    case .null, .bool, .int, .double, .string: return false
    }
}

runFuzzer { fuzzCaseFile($0, $1) }
