#if canImport(Glibc)
import Glibc
#endif

/// What connecting to one TCP port gave.
public struct ConnectOutcome: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case open
        /// The host answered with a reset: nothing listens there.
        case refused
        /// No answer within the timeout: filtered, or the host is down.
        case timedOut
        /// The network said the host or network cannot be reached.
        case unreachable(String)
        case failed(String)
    }
    public var address: String
    public var state: State
    /// Seconds from the start of the connect to the handshake's end, when it connected.
    public var connectSeconds: Double?
    /// What the service sent first (up to 4 KB), when a greeting was asked for.
    public var greeting: String?
}

/// A plain TCP connect with a timeout, and optionally the service's greeting (an SSH or SMTP banner).
/// Blocking: run it off the cooperative pool. Bounded by `timeout` for the connect plus `timeout` for the greeting.
public enum TCPConnect {
    /// `enough`: stops reading the greeting early once it holds what is wanted.
    public static func connect(host: String, port: Int, timeout: Double, readGreeting: Bool,
                               enough: (String) -> Bool = { _ in false }) -> Result<ConnectOutcome, EchoFailure> {
        let address: SocketAddress
        switch SocketAddress.resolve(host, port: port, stream: true) {
        case .success(let a): address = a
        case .failure(let f): return .failure(f)
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(EchoFailure(kind: .socket, description: "no TCP socket: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var outcome = ConnectOutcome(address: address.text, state: .timedOut)
        let start = Clock.now()
        var error: Int32 = 0
        if address.withSockaddr({ sa, len in Glibc.connect(fd, sa, len) }) != 0 {
            error = errno
            if error == EINPROGRESS {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard wait(&pfd, until: start + timeout) else { return .success(outcome) }
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            }
        }
        switch error {
        case 0: outcome.state = .open
        case ECONNREFUSED: outcome.state = .refused
        case ETIMEDOUT: outcome.state = .timedOut
        case EHOSTUNREACH, ENETUNREACH: outcome.state = .unreachable(String(cString: strerror(error)))
        default: outcome.state = .failed(String(cString: strerror(error)))
        }
        guard outcome.state == .open else { return .success(outcome) }
        outcome.connectSeconds = Clock.now() - start
        if readGreeting { outcome.greeting = greeting(fd, until: Clock.now() + timeout, enough: enough) }
        return .success(outcome)
    }

    /// Polls until the deadline; true when the socket is ready.
    static func wait(_ pfd: inout pollfd, until deadline: Double) -> Bool {
        while true {
            let left = deadline - Clock.now()
            guard left > 0 else { return false }
            let r = poll(&pfd, 1, Int32((left * 1000).rounded(.up)))
            if r > 0 { return true }
            if r < 0 && errno != EINTR { return false }
        }
    }

    static func greeting(_ fd: Int32, until deadline: Double, enough: (String) -> Bool) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while bytes.count < 4096 {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard wait(&pfd, until: deadline) else { break }
            let n = recv(fd, &chunk, chunk.count, Int32(MSG_DONTWAIT))
            if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard n > 0 else { break }
            bytes += chunk[0..<min(n, 4096 - bytes.count)]
            if enough(String(decoding: bytes, as: UTF8.self)) { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
