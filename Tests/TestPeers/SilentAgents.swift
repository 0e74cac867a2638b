import Foundation

/// UDP sockets on loopback that receive SNMP requests and never answer: dead devices whose
/// traffic a test can see. Every datagram is logged in arrival order as (agent index, nth request
/// to that agent), so a test can prove that polls overlapped without looking at a clock.
public final class SilentAgents: @unchecked Sendable {
    public let ports: [UInt16]
    private let sockets: [Int32]
    private let lock = NSLock()
    private var log: [(agent: Int, request: Int)] = []

    public init(count: Int) throws {
        var sockets: [Int32] = [], ports: [UInt16] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard fd >= 0, bound == 0 else { throw CocoaError(.fileWriteUnknown) }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            sockets.append(fd)
            ports.append(UInt16(bigEndian: address.sin_port))
        }
        self.sockets = sockets
        self.ports = ports
        for (index, fd) in sockets.enumerated() {
            let thread = Thread { [weak self] in
                var buffer = [UInt8](repeating: 0, count: 65536)
                var seen = 0
                while recv(fd, &buffer, buffer.count, 0) > 0 {
                    seen += 1
                    guard let self else { return }
                    self.lock.withLock { self.log.append((index, seen)) }
                }
            }
            thread.start()
        }
    }

    /// The datagrams received so far, in order.
    public var arrivals: [(agent: Int, request: Int)] { lock.withLock { log } }

    deinit { sockets.forEach { shutdown($0, Int32(SHUT_RDWR)); close($0) } }
}
