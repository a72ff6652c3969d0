// Reads a JSON file, parses it and pretty-prints it to standard output, like `jq .`.
// Usage: json-bench FILE [--compact] [--parse-only] [--color]
// The benchmark target of `scripts/bench-json`; not part of the product.
import ATSJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first(where: { !$0.hasPrefix("--") }) else {
    fputs("usage: json-bench FILE [--compact] [--parse-only] [--color]\n", stderr)
    exit(2)
}

/// The whole file, read with one buffer of the file's size.
func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    let size = Int(info.st_size)
    var done = 0
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n <= 0 { break }
            done += n
        }
        count = done
    }
    return done == size ? bytes : nil
}

func parse(_ path: String) -> JSON {
    guard let bytes = readFile(path) else {
        fputs("json-bench: cannot read \(path)\n", stderr)
        exit(1)
    }
    do {
        return try JSONParser.parse(bytes)
    } catch {
        fputs("json-bench: \(path): \(error)\n", stderr)
        exit(1)
    }
}

// The input buffer is released once parsed: only the value lives on.
let value = parse(path)
if arguments.contains("--parse-only") { exit(0) }
var writer = arguments.contains("--compact") ? JSONWriter.compact : JSONWriter.pretty
if arguments.contains("--color") { writer.colors = .jq }
writer.write(value, chunkSize: 1 << 16) { chunk in
    var offset = 0
    while offset < chunk.count {
        let n = write(1, chunk.baseAddress! + offset, chunk.count - offset)
        if n <= 0 { exit(1) }
        offset += n
    }
}
_ = write(1, "\n", 1)
