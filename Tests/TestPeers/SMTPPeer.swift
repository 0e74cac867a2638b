import Foundation

/// Tests/TestPeers/smtp_peer.py (Debian's aiosmtpd): STARTTLS and AUTH required; reject@ gets
/// 550, later@ gets 451; accepted messages land in `received`.
public final class SMTPPeer: @unchecked Sendable {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_peer.py").path
    public static var available: Bool {
        HTTPPeer.available && (try? Process.run(URL(fileURLWithPath: HTTPPeer.python), arguments: ["-c", "import aiosmtpd"]))
            .map { $0.waitUntilExit(); return $0.terminationStatus == 0 } == true
    }

    public let directory: String
    public let port: UInt16
    public let peer: PeerProcess
    public var caFile: String { directory + "/smtp.pem" }
    public var received: String { directory + "/received" }

    /// On `port` (a free one by default), so a test can start it where a client already failed.
    /// `implicitTLS`: TLS from the first byte (smtps://) instead of STARTTLS.
    public init(port: UInt16 = Peers.freePort(udp: false), implicitTLS: Bool = false) throws {
        directory = Peers.temporaryDirectory("smtp")
        self.port = port
        peer = try PeerProcess(HTTPPeer.python, [Self.script, directory, String(port)] + (implicitTLS ? ["smtps"] : []),
                               log: directory + "/peer.log")
        for _ in 0..<200 {
            if peer.logText.contains("\"port\"") { return }
            if !peer.process.isRunning { break }
            usleep(50_000)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "smtp_peer.py did not start: \(peer.logText)"])
    }

    /// The messages received so far.
    public var messages: [Data] {
        ((try? FileManager.default.contentsOfDirectory(atPath: received)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
            .compactMap { FileManager.default.contents(atPath: "\(received)/\($0)") }
    }

    public func stop() { peer.stop() }
}
