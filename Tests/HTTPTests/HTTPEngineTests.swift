import Foundation
import Testing
import TestPeers
@testable import HTTP

/// The libcurl engine on its own, against the real HTTP/TLS peer: status, body limit, timeouts
/// and certificate checks, without any probe or card in between.
@Suite(.enabled(if: HTTPPeer.available, "needs /usr/bin/python3 with cryptography"))
struct HTTPEngineTests {
    static let peer = Result { try HTTPPeer() }

    func request(_ path: String, server: String = "http", _ change: (inout HTTPRequest) -> Void = { _ in }) throws -> HTTPRequest {
        var r = HTTPRequest(url: try Self.peer.get().url(path, server: server))
        r.caFile = try Self.peer.get().caFile
        change(&r)
        return r
    }

    @Test func statusBodyAndTimings() async throws {
        let r = await HTTPEngine.shared.perform(try request("/healthy"))
        #expect(r.status == 200 && r.failure == nil)
        #expect(String(decoding: r.body, as: UTF8.self).hasPrefix("OK"))
        #expect(r.timings.total > 0 && r.timings.total >= r.timings.connect)
    }

    @Test func aBodyPastTheLimitIsCutAndSaysSo() async throws {
        let r = await HTTPEngine.shared.perform(try request("/endless") { $0.maxBody = 10_000; $0.totalTimeout = 5 })
        #expect(r.truncated && r.body.count == 10_000 && r.failure == nil, "\(r.body.count) \(String(describing: r.failure))")
    }

    @Test func aServerThatNeverAnswersIsATimeout() async throws {
        let r = await HTTPEngine.shared.perform(try request("/hang?tag=engine") { $0.totalTimeout = 0.5 })
        #expect(r.failure?.phase == .timeout, "\(String(describing: r.failure))")
    }

    @Test func anExpiredCertificateFailsInTheTLSPhase() async throws {
        let r = await HTTPEngine.shared.perform(try request("/healthy", server: "expired"))
        #expect(r.failure?.phase == .tls, "\(String(describing: r.failure))")
    }
}
