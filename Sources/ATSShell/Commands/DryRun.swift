import ATSJSON

/// What `dry-run` prints instead of sending a request: the request line and its curl
/// equivalent, with the password masked.
enum DryRun {
    static func describe(_ request: APIRequestSpec, baseURL: String, user: String) -> String {
        let url = baseURL + request.path + queryString(request.query)
        var curl = "curl -X \(request.method) \(shellQuote(url)) -u \(shellQuote(user + ":********"))"
        curl += " -H 'Accept: \(request.accept ?? "application/json")'"
        switch request.body {
        case .none: break
        case .json(let json):
            curl += " -H 'Content-Type: application/json' --data \(shellQuote(JSONWriter.compact.string(json)))"
        case .file(let name, _):
            curl += " -F \(shellQuote("file=@" + name))"
        }
        return "dry-run: \(request.method) \(url)\n  \(curl)\n"
    }

    /// `?a=1&b=2`, percent-encoded.
    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: ","):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func shellQuote(_ s: String) -> String {
        "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
