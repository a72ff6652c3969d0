// Reads a JSON file, parses it and pretty-prints it to standard output, like `jq .`.
// Usage: json-bench FILE [--compact] [--parse-only] [--color] [--read]
// The benchmark target of `scripts/bench-json`; not part of the product.
import ATSJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a message to standard error.
func complain(_ message: String) {
    var text = message + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first(where: { !$0.hasPrefix("--") }) else {
    complain("usage: json-bench FILE [--compact] [--parse-only] [--color] [--read]")
    exit(2)
}

/// Parses the file through a read-only mapping. As the parser reports progress, the pages
/// it has finished with are dropped from memory, so that the input and the parsed value are
/// not both resident (`--read` reads the whole file into one buffer instead).
func parse(_ path: String, streaming: Bool) -> JSON {
    let fd = open(path, O_RDONLY)
    var info = stat()
    guard fd >= 0, fstat(fd, &info) == 0 else {
        complain("json-bench: cannot read \(path)")
        exit(1)
    }
    defer { close(fd) }
    let size = Int(info.st_size)
    guard size > 0, let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
        complain("json-bench: cannot map \(path)")
        exit(1)
    }
    defer { munmap(mapping, size) }
    let bytes = UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: size)
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    do {
        if !streaming {
            let copy = Array(bytes)
            return try JSONParser.parse(copy)
        }
        _ = madvise(mapping, size, MADV_SEQUENTIAL)
        var released = 0
        return try JSONParser.parse(buffer: bytes) { offset in
            let upTo = offset / page * page
            if upTo > released {
                _ = madvise(mapping + released, upTo - released, MADV_DONTNEED)
                released = upTo
            }
        }
    } catch {
        complain("json-bench: \(path): \(error)")
        exit(1)
    }
}

// The input buffer is released once parsed: only the value lives on.
let value = parse(path, streaming: !arguments.contains("--read"))
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
