// Loopback helpers for the end-to-end tests: a free port, and a server that accepts
// connections and never answers (for timeouts).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port on which every connection is refused, for the rest of the test process:
/// a socket is bound to it but never listens, and stays open, so no other test (they run in
/// parallel) can take the port between this call and the connection attempt.
public func unusedLoopbackPort() throws -> Int {
    try bindLoopback(listening: false).port
}

/// A TCP socket bound to 127.0.0.1 on a free port, listening or not, and that port.
private func bindLoopback(listening: Bool) throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SilentServerError.socket }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    guard bound == 0, !listening || listen(fd, 16) == 0 else { close(fd); throw SilentServerError.socket }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}

/// A TCP socket bound to 127.0.0.1 on a free port.
final class LoopbackListener: @unchecked Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        (fd, port) = try bindLoopback(listening: true)
    }

    func stop() { close(fd) }
}

/// Accepts connections on loopback and never answers them.
public final class SilentServer: @unchecked Sendable {
    private let listener: LoopbackListener
    public var port: Int { listener.port }

    public init() throws {
        listener = try LoopbackListener()
        let fd = listener.fd
        Thread.detachNewThread {
            var held: [Int32] = []
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { break }
                held.append(c)
            }
            for c in held { close(c) }
        }
    }

    public func stop() { shutdown(listener.fd, Int32(SHUT_RDWR)); listener.stop() }
}

/// Why a loopback socket could not be opened.
public enum SilentServerError: Error {
    case socket
}
