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
    try bindLoopback(backlog: nil).port
}

/// The address 127.0.0.1:`port`.
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A TCP socket bound to 127.0.0.1 on a free port, listening with `backlog` (not listening
/// when nil), and that port.
func bindLoopback(backlog: Int32?) throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SilentServerError.socket }
    var addr = loopbackAddress(port: 0)
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    guard bound == 0, backlog.map({ listen(fd, $0) == 0 }) ?? true else { close(fd); throw SilentServerError.socket }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}

/// A TCP socket listening on 127.0.0.1 on a free port; nothing accepts unless the owner does.
public final class LoopbackListener: @unchecked Sendable {
    /// The listening socket.
    public let fd: Int32
    /// The port it listens on.
    public let port: Int

    /// Listens with an accept queue of `backlog` connections.
    public init(backlog: Int32 = 16) throws {
        (fd, port) = try bindLoopback(backlog: backlog)
    }

    /// Starts a non-blocking connection to the listener and returns its socket (the caller
    /// closes it); the connection waits in the accept queue, or is dropped when that is full.
    public func connectWithoutWaiting() -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = loopbackAddress(port: port)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }

    /// Closes the listening socket.
    public func stop() { close(fd) }
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
