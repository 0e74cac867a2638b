import Foundation

/// Tests/TestPeers/http_peer.py: a plain HTTP server and four HTTPS servers (valid, expiring in
/// 3 days, expired, wrong host name) with certificates it makes at start.
public final class HTTPPeer: @unchecked Sendable {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("http_peer.py").path
    public static let python = "/usr/bin/python3"
    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: python)
            && (try? Process.run(URL(fileURLWithPath: python), arguments: ["-c", "import cryptography"]))
                .map { $0.waitUntilExit(); return $0.terminationStatus == 0 } == true
    }

    public let directory: String
    public let peer: PeerProcess
    public let ports: [String: Int]
    public let caFile: String

    public init() throws {
        directory = Peers.temporaryDirectory("http")
        peer = try PeerProcess(Self.python, [Self.script, directory], log: directory + "/peer.log")
        for _ in 0..<200 {
            if let line = peer.logText.split(separator: "\n").first(where: { $0.hasPrefix("{") }),
               let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let ports = object["ports"] as? [String: Int], let ca = object["ca"] as? String {
                self.ports = ports
                caFile = ca
                return
            }
            usleep(50_000)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "http_peer.py did not start: \(peer.logText)"])
    }

    public func url(_ path: String, server: String = "http") -> String {
        server == "http" ? "http://127.0.0.1:\(ports["http"]!)\(path)" : "https://localhost:\(ports[server]!)\(path)"
    }

    /// The status /flip?name=NAME answers with from now on; each test flips its own switch.
    public func flip(_ name: String, to status: Int) throws {
        try "\(status)".write(toFile: directory + "/flip-status-\(name)", atomically: true, encoding: .utf8)
    }

    /// How many requests /flip?name=NAME has had: a count of polls, so that "nothing more
    /// happened" can be checked after polls did happen rather than after a fixed sleep.
    public func hits(_ name: String) -> Int {
        (try? String(contentsOf: URL(string: url("/hits?name=\(name)"))!, encoding: .utf8)).flatMap { Int($0) } ?? 0
    }

    public func stop() { peer.stop() }
}
