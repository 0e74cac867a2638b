import FlyingFox
import FlyingSocks
import Foundation
import InspectorCore

/// Serves GET /metrics over HTTP/1.1 (FlyingFox) with the text the `render` closure makes at
/// each scrape, optionally behind basic auth. Binds what it is given; the config keeps it on
/// loopback unless told otherwise.
public final class MetricsServer: Sendable {
    public struct Credentials: Sendable {
        public var user: String
        public var password: String
        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }
    }

    let server: HTTPServer

    public init(address: ListenAddress, credentials: Credentials?, render: @escaping @Sendable () -> [UInt8]) throws {
        let socketAddress: any FlyingSocks.SocketAddress = address.host.contains(":")
            ? try sockaddr_in6.inet6(ip6: address.host, port: address.port)
            : try sockaddr_in.inet(ip4: address.host == "localhost" ? "127.0.0.1" : address.host, port: address.port)
        let expected = credentials.map { "Basic " + Data("\($0.user):\($0.password)".utf8).base64EncodedString() }
        let handler: @Sendable (HTTPRequest) async throws -> HTTPResponse = { request in
            if let expected, !Self.same(request.headers[.authorization] ?? "", expected) {
                return HTTPResponse(statusCode: .unauthorized, headers: HTTPHeaders([HTTPHeader("WWW-Authenticate"): "Basic realm=\"inspect\""]))
            }
            guard request.path == "/metrics" else {
                return HTTPResponse(statusCode: .notFound, headers: HTTPHeaders([.contentType: "text/plain; charset=utf-8"]),
                                    body: Data("Inspector: the metrics are at /metrics\n".utf8))
            }
            return HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentType: "text/plain; version=0.0.4; charset=utf-8"]), body: Data(render()))
        }
        server = HTTPServer(address: socketAddress, timeout: 15, logger: .disabled, handler: ClosureHTTPHandler(handler))
    }

    /// Listens until cancelled; throws when the address cannot be bound.
    public func run() async throws {
        try await server.run()
    }

    public func waitUntilListening(timeout: Double = 5) async throws {
        try await server.waitUntilListening(timeout: timeout)
    }

    /// The port actually bound (the one asked for, or the kernel's choice for port 0).
    public var port: UInt16? {
        get async {
            switch await server.listeningAddress {
            case .ip4(_, let port), .ip6(_, let port): port
            default: nil
            }
        }
    }

    public func stop() async { await server.stop() }

    /// Compares without stopping at the first difference, so the time taken says nothing of the password.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }
}
