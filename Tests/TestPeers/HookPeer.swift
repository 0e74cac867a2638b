import Foundation

/// Tests/TestPeers/hook_peer.py: receivers that check posts as WeCom, DingTalk (with its
/// signature) and a generic webhook do, and record them. Restartable on the same port, for a
/// receiver that is down and comes back.
public final class HookPeer: @unchecked Sendable {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("hook_peer.py").path

    public let directory: String
    public private(set) var peer: PeerProcess?
    public private(set) var port: Int = 0

    /// `secret`: the DingTalk robot's secret, written to DIR/dingtalk.secret.
    public init(secret: String = "SEC-test-secret") throws {
        directory = Peers.temporaryDirectory("hooks")
        try secret.write(toFile: directory + "/dingtalk.secret", atomically: true, encoding: .utf8)
        try start()
    }

    /// Starts the receiver: on its previous port after a stop, else on a free one.
    public func start() throws {
        let log = directory + "/peer-\(UUID().uuidString.prefix(6)).log"
        let process = try PeerProcess(HTTPPeer.python, [Self.script, directory, "\(port)"], log: log)
        for _ in 0..<200 {
            if let line = process.logText.split(separator: "\n").first(where: { $0.hasPrefix("{") }),
               let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let p = object["port"] as? Int {
                port = p
                peer = process
                return
            }
            usleep(50_000)
        }
        process.stop()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "hook_peer.py did not start: \(process.logText)"])
    }

    public func stop() {
        peer?.stop()
        peer = nil
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// What it received so far, oldest first.
    public var received: [[String: Any]] {
        let text = (try? String(contentsOfFile: directory + "/received.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}
