import ATSJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The contents of a case file, as far as it could be read.
public struct CaseFile: Sendable, Equatable {
    /// One header per recording session, in order (usually one).
    public var headers: [CaseFileHeader]
    /// Every exchange, in file order.
    public var exchanges: [CaseFileExchange]
    /// Lines that were skipped, with why.
    public var problems: [CaseFileProblem]

    /// A case file from its parts (empty by default).
    public init(headers: [CaseFileHeader] = [], exchanges: [CaseFileExchange] = [], problems: [CaseFileProblem] = []) {
        self.headers = headers
        self.exchanges = exchanges
        self.problems = problems
    }

    /// The first session's header, if the file has one.
    public var header: CaseFileHeader? { headers.first }
}

/// Reads case files tolerantly: blank lines are skipped, a bad line is reported with its
/// line number and skipped, and nothing in the file can make it crash or hang.
public enum CaseFileReader {
    /// Reads the case file at `path`. Throws only when the file cannot be read at all.
    public static func read(path: String) throws(CaseFileError) -> CaseFile {
        parse(try readBytes(path: path))
    }

    /// Parses the bytes of a case file.
    public static func parse(_ bytes: [UInt8]) -> CaseFile {
        var file = CaseFile()
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            lineNumber += 1
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do throws(CaseFileLineError) {
                try parseLine(line, number: lineNumber, into: &file)
            } catch {
                file.problems.append(CaseFileProblem(line: lineNumber, error: error))
            }
        }
        return file
    }

    private static func parseLine(_ line: ArraySlice<UInt8>, number: Int, into file: inout CaseFile) throws(CaseFileLineError) {
        let json: JSON
        do throws(JSONParseError) { json = try JSONParser.parse(line) } catch { throw .notJSON(error) }
        guard json.objectValue != nil else { throw .notAnObject }
        switch json["type"]?.stringValue {
        case "header":
            file.headers.append(CaseFileHeader(caseJSON: json))
        case "server":
            let server = CaseFileServer(caseJSON: json)
            if file.headers.isEmpty {
                file.headers.append(CaseFileHeader(atsVersion: "unknown", locale: "", timeZone: "", commandLine: [], startedAt: ""))
            }
            file.headers[file.headers.count - 1].server = server
        case "exchange":
            file.exchanges.append(try CaseFileExchange(caseJSON: json, line: number))
        case let other:
            throw .unknownType(other)
        }
    }

    /// The whole file, read with `read(2)`.
    static func readBytes(path: String) throws(CaseFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: CaseFileWriter.errorText()) }
        defer { _ = close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: CaseFileWriter.errorText())
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[..<n])
        }
        return out
    }
}

/// `read(2)`, named apart from `CaseFileReader.read(path:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
