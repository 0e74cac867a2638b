#if canImport(Glibc)
import Glibc
#endif

/// One resolved IPv4 or IPv6 address, with its port.
struct SocketAddress {
    var storage = sockaddr_storage()
    var length: socklen_t = 0

    var family: Int32 { Int32(storage.ss_family) }

    /// The first address getaddrinfo gives for the host (a name or a literal).
    static func resolve(_ host: String, port: Int?, stream: Bool) -> Result<SocketAddress, EchoFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, port.map(String.init), &hints, &list)
        guard status == 0, let first = list else {
            // AI_ADDRCONFIG refuses ::1 and 127.0.0.1 on a host whose only interface is loopback.
            hints.ai_flags = 0
            let retry = getaddrinfo(host, port.map(String.init), &hints, &list)
            guard retry == 0, let first = list else {
                return .failure(EchoFailure(kind: .resolve, description: "cannot resolve \(host): \(String(cString: gai_strerror(retry)))"))
            }
            defer { freeaddrinfo(first) }
            return .success(SocketAddress(first.pointee))
        }
        defer { freeaddrinfo(first) }
        return .success(SocketAddress(first.pointee))
    }

    init(_ info: addrinfo) {
        length = info.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: info.ai_addr, count: Int(info.ai_addrlen)))
        }
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafeBytes(of: storage) { body($0.baseAddress!.assumingMemoryBound(to: sockaddr.self), length) }
    }

    /// The numeric address, as reports show it.
    var text: String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = withSockaddr { sa, len in getnameinfo(sa, len, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) }
        return status == 0 ? String(cString: host) : "?"
    }
}
