import CSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Receives syslog over UDP and TCP on one address and port, on one thread that waits in
/// poll(2): every datagram and every connection is read in turn, so one chatty device can
/// neither block nor starve the others, and the ledger's rate limit decides what is parsed.
public final class SyslogReceiver: @unchecked Sendable {
    public struct Listen: Sendable, Equatable, CustomStringConvertible {
        /// An IP address, never a name: the receiver must not wait on DNS to start.
        public var host: String
        /// 0 picks a free port (tests), the same for UDP and TCP.
        public var port: UInt16
        public var udp = true
        public var tcp = true

        public init(host: String, port: UInt16, udp: Bool = true, tcp: Bool = true) {
            self.host = host
            self.port = port
            self.udp = udp
            self.tcp = tcp
        }

        public var description: String {
            let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            return "\(address) (\([udp ? "udp" : nil, tcp ? "tcp" : nil].compactMap { $0 }.joined(separator: ", ")))"
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public let ledger: SyslogLedger
    /// The port really bound (the one asked for, or the one picked for 0).
    public let port: UInt16
    public let listen: Listen
    /// Connections open at most; more are closed at once (each costs a buffer).
    public static let maxConnections = 256

    private var udp: Int32 = -1
    private var tcp: Int32 = -1
    private var wake: [Int32] = [-1, -1]
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var started = false, stopped = false

    /// Binds at once, so a port in use or an address not on this host is an error here.
    public init(listen: Listen, ledger: SyslogLedger) throws(Failure) {
        self.ledger = ledger
        var bound: UInt16 = listen.port
        // Port 0: UDP picks one, TCP takes the same; another process may hold that one for TCP, so try again.
        var attempt = 0
        while true {
            attempt += 1
            var u: Int32 = -1, t: Int32 = -1
            do {
                if listen.udp {
                    u = try Self.socket(listen.host, port: listen.port == 0 ? 0 : listen.port, type: SOCK_DGRAM)
                    bound = Self.boundPort(u)
                }
                if listen.tcp { t = try Self.socket(listen.host, port: listen.udp ? bound : listen.port, type: SOCK_STREAM); bound = Self.boundPort(t) }
                udp = u
                tcp = t
                break
            } catch {
                if u >= 0 { close(u) }
                if listen.port != 0 || attempt >= 20 { throw error }
            }
        }
        port = bound
        var l = listen
        l.port = bound
        self.listen = l
        // Close-on-exec from birth: a child another thread spawns meanwhile inherits none of these.
        guard inspector_pipe_cloexec(&wake) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
    }

    deinit {
        stop()
        for fd in [udp, tcp] + wake where fd >= 0 { close(fd) }
    }

    public func start() {
        guard lock.withLock({ defer { started = true }; return !started && !stopped }) else { return }
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        thread.name = "syslog"
        thread.start()
    }

    /// Ends the thread and waits for it; messages already read are in the ledger.
    public func stop() {
        let wasRunning = lock.withLock { defer { stopped = true }; return started && !stopped }
        guard wasRunning else { return }
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
        finished.wait()
    }

    // MARK: The loop

    private struct Client {
        var source: String
        var framer = SyslogFramer()
    }

    private func loop() {
        var clients: [Int32: Client] = [:]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        defer { for fd in clients.keys { close(fd) } }
        while true {
            var fds = [pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
            if udp >= 0 { fds.append(pollfd(fd: udp, events: Int16(POLLIN), revents: 0)) }
            if tcp >= 0 { fds.append(pollfd(fd: tcp, events: Int16(POLLIN), revents: 0)) }
            for fd in clients.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let n = poll(&fds, nfds_t(fds.count), -1)
            if n < 0 { if errno == EINTR { continue } else { return } }
            for p in fds where p.revents != 0 {
                switch p.fd {
                case wake[0]: return
                case udp: readDatagrams(&buffer)
                case tcp: accept(into: &clients)
                default: readStream(p.fd, &clients, &buffer)
                }
            }
        }
    }

    /// Up to 256 datagrams per wake-up, then the connections get their turn.
    private func readDatagrams(_ buffer: inout [UInt8]) {
        for _ in 0..<256 {
            var from = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let n = buffer.withUnsafeMutableBytes { b in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udp, b.baseAddress, b.count, Int32(MSG_DONTWAIT), $0, &length) }
                }
            }
            guard n >= 0 else { return }
            let source = Self.address(from)
            guard ledger.admit(source) else { continue }
            take(source, buffer[0..<n])
        }
    }

    private func accept(into clients: inout [Int32: Client]) {
        var from = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { inspector_accept_cloexec(tcp, $0, &length) }
        }
        guard fd >= 0 else { return }
        guard clients.count < Self.maxConnections else { close(fd); return }
        clients[fd] = Client(source: Self.address(from))
    }

    private func readStream(_ fd: Int32, _ clients: inout [Int32: Client], _ buffer: inout [UInt8]) {
        guard var client = clients[fd] else { return }
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        let frames = n > 0 ? client.framer.feed(buffer[0..<n]) : client.framer.finish()
        for frame in frames {
            switch frame {
            case .message(let bytes): if ledger.admit(client.source) { take(client.source, bytes[...]) }
            case .malformed(let why): ledger.recordMalformed(client.source, SyslogMalformed(description: why))
            }
        }
        if n <= 0 || client.framer.broken {
            close(fd)
            clients[fd] = nil
        } else {
            clients[fd] = client
        }
    }

    private func take(_ source: String, _ bytes: ArraySlice<UInt8>) {
        switch SyslogParser.parse(bytes) {
        case .success(let message): ledger.record(source, message)
        case .failure(let why): ledger.recordMalformed(source, why)
        }
    }

    // MARK: Sockets

    static func socket(_ host: String, port: UInt16, type: __socket_type) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(type.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let info = list else {
            throw Failure(description: "\(host) is not an IP address to listen on: \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        let fd = Glibc.socket(info.pointee.ai_family, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        if type == SOCK_STREAM { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
        // Room for a burst of datagrams while the loop reads a connection (the kernel may cap it).
        var size: Int32 = 1 << 20
        if type == SOCK_DGRAM { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        let what = type == SOCK_STREAM ? "tcp" : "udp"
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot listen for syslog on \(what) \(host):\(port): \(why)")
        }
        if type == SOCK_STREAM, Glibc.listen(fd, 64) != 0 {
            let why = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot listen for syslog on \(what) \(host):\(port): \(why)")
        }
        return fd
    }

    static func boundPort(_ fd: Int32) -> UInt16 {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let family = address.ss_family
        return withUnsafePointer(to: &address) { p in
            if family == sa_family_t(AF_INET6) {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// The sender's address as text; an IPv4 address mapped into IPv6 reads as IPv4.
    static func address(_ storage: sockaddr_storage) -> String {
        var s = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        withUnsafePointer(to: &s) { p in
            if storage.ss_family == sa_family_t(AF_INET6) {
                p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { a in
                    var addr = a.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
                }
            } else {
                p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { a in
                    var addr = a.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
                }
            }
        }
        let result = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return result.hasPrefix("::ffff:") && result.contains(".") ? String(result.dropFirst(7)) : result
    }
}
