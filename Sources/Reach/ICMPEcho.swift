#if canImport(Glibc)
import Glibc
#endif

/// What one round of ICMP echo requests to one host gave.
public struct EchoOutcome: Sendable, Equatable {
    /// The address the requests went to (the host name resolved).
    public var address: String
    public var sent: Int
    /// Round-trip times in seconds of the replies received, in the order of their requests.
    public var roundTrips: [Double]
    /// ICMP errors and send failures seen on the way ("destination unreachable from 10.0.0.1").
    public var errors: [String]
    /// Which socket carried the requests: an unprivileged ICMP datagram socket or a raw one.
    public var socket: EchoSocket

    public var received: Int { roundTrips.count }
    public var lossPercent: Double { sent == 0 ? 100 : Double(sent - received) / Double(sent) * 100 }
}

public enum EchoSocket: String, Sendable { case datagram = "ICMP datagram socket", raw = "raw ICMP socket" }

/// Why no echo request could be sent at all: the host has no address, or the process may not send ICMP.
public struct EchoFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable { case resolve, permission, socket }
    public var kind: Kind
    public var description: String
}

/// ICMP echo (ping) without the ping binary: an unprivileged datagram socket where
/// net.ipv4.ping_group_range admits the process's group, else a raw socket (CAP_NET_RAW).
/// Blocking: run it off the cooperative pool. Its duration is bounded by count × interval + timeout.
public enum ICMPEcho {
    public static func ping(host: String, count: Int, interval: Double, timeout: Double) -> Result<EchoOutcome, EchoFailure> {
        let address: SocketAddress
        switch SocketAddress.resolve(host, port: nil, stream: false) {
        case .success(let a): address = a
        case .failure(let f): return .failure(f)
        }
        let v6 = address.family == AF_INET6
        let proto = v6 ? Int32(IPPROTO_ICMPV6) : Int32(IPPROTO_ICMP)
        var kind = EchoSocket.datagram
        var fd = socket(address.family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto)
        if fd < 0 {
            let datagramError = errno
            fd = socket(address.family, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto)
            kind = .raw
            if fd < 0 {
                let rawError = errno
                if [EACCES, EPERM].contains(datagramError) && [EACCES, EPERM].contains(rawError) {
                    return .failure(EchoFailure(kind: .permission, description:
                        "ICMP is not permitted: group \(getegid()) is outside net.ipv4.ping_group_range and the process lacks CAP_NET_RAW"))
                }
                return .failure(EchoFailure(kind: .socket, description: "no ICMP socket: \(String(cString: strerror(rawError)))"))
            }
        }
        defer { close(fd) }
        var pinger = Pinger(fd: fd, address: address, v6: v6, raw: kind == .raw)
        return .success(pinger.run(count: max(1, count), interval: max(0, interval), timeout: max(0.01, timeout), socket: kind))
    }
}

/// One round of requests on one socket.
struct Pinger {
    let fd: Int32
    let address: SocketAddress
    let v6: Bool
    let raw: Bool
    /// Raw sockets see every ICMP packet on the host: the id and this token pick out our replies.
    let identifier = UInt16.random(in: 1...UInt16.max)
    let token = UInt64.random(in: 1...UInt64.max)
    var sentAt: [Double] = []
    var replies: [Int: Double] = [:]
    var errors: [String] = []

    init(fd: Int32, address: SocketAddress, v6: Bool, raw: Bool) {
        self.fd = fd
        self.address = address
        self.v6 = v6
        self.raw = raw
    }

    mutating func run(count: Int, interval: Double, timeout: Double, socket: EchoSocket) -> EchoOutcome {
        var nextSend = Clock.now()
        var deadline = Double.infinity
        while true {
            let now = Clock.now()
            if sentAt.count < count && now >= nextSend {
                send(sequence: sentAt.count, at: now)
                nextSend = now + interval
                if sentAt.count == count { deadline = now + timeout }
            }
            if replies.count == count || now >= deadline { break }
            let wake = sentAt.count < count ? nextSend : deadline
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(max(0, min((wake - now) * 1000, 60_000)).rounded(.up))
            if poll(&pfd, 1, ms) > 0 { drain() }
        }
        let trips = (0..<sentAt.count).compactMap { replies[$0] }
        return EchoOutcome(address: address.text, sent: sentAt.count, roundTrips: trips, errors: errors, socket: socket)
    }

    mutating func send(sequence: Int, at now: Double) {
        var packet = [UInt8](repeating: 0, count: 24)
        packet[0] = v6 ? 128 : 8   // echo request
        packet[4] = UInt8(identifier >> 8); packet[5] = UInt8(identifier & 0xff)
        packet[6] = UInt8(sequence >> 8 & 0xff); packet[7] = UInt8(sequence & 0xff)
        withUnsafeBytes(of: token.bigEndian) { for (i, b) in $0.enumerated() { packet[8 + i] = b } }
        // ICMPv6 checksums cover a pseudo-header: the kernel fills them in.
        if !v6 {
            let sum = Self.checksum(packet)
            packet[2] = UInt8(sum >> 8); packet[3] = UInt8(sum & 0xff)
        }
        sentAt.append(now)
        let n = address.withSockaddr { sa, len in sendto(fd, packet, packet.count, 0, sa, len) }
        if n < 0 { note("send failed: \(String(cString: strerror(errno)))") }
    }

    mutating func drain() {
        var buffer = [UInt8](repeating: 0, count: 1500)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard n > 0 else { return }
            var packet = buffer[0..<n]
            // A raw IPv4 socket hands over the IP header too.
            if raw && !v6 {
                let header = Int(packet[packet.startIndex] & 0x0f) * 4
                guard packet.count >= header + 8 else { continue }
                packet = packet.dropFirst(header)
            }
            handle(Array(packet))
        }
    }

    mutating func handle(_ icmp: [UInt8]) {
        guard icmp.count >= 8 else { return }
        let type = icmp[0]
        let replyType: UInt8 = v6 ? 129 : 0
        if type == replyType {
            guard icmp.count >= 16 else { return }
            let id = UInt16(icmp[4]) << 8 | UInt16(icmp[5])
            // A datagram socket's kernel rewrote the id to its own and delivers only its replies.
            if raw && id != identifier { return }
            var echoed: UInt64 = 0
            for i in 0..<8 { echoed = echoed << 8 | UInt64(icmp[8 + i]) }
            let sequence = Int(icmp[6]) << 8 | Int(icmp[7])
            guard echoed == token, sequence < sentAt.count, replies[sequence] == nil else { return }
            replies[sequence] = Clock.now() - sentAt[sequence]
        } else if raw, let what = Self.errorName(type: type, v6: v6) {
            // An error quotes the offending packet: ours if it carries our id.
            let quoted = v6 ? 8 + 40 : 8 + Int(icmp.count > 8 ? icmp[8] & 0x0f : 5) * 4
            guard icmp.count >= quoted + 8, UInt16(icmp[quoted + 4]) << 8 | UInt16(icmp[quoted + 5]) == identifier else { return }
            note("\(what) (code \(icmp[1]))")
        }
    }

    mutating func note(_ error: String) {
        if !errors.contains(error) { errors.append(error) }
    }

    static func errorName(type: UInt8, v6: Bool) -> String? {
        switch (v6, type) {
        case (false, 3), (true, 1): "destination unreachable"
        case (false, 11), (true, 3): "time exceeded"
        default: nil
        }
    }

    /// RFC 1071.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i + 1 < bytes.count { sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]); i += 2 }
        if i < bytes.count { sum += UInt32(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}

enum Clock {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
