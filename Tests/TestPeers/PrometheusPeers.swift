import Foundation

/// Debian's Prometheus 2.42 on a free loopback port, scraping the given targets every second.
public final class PrometheusServer: @unchecked Sendable {
    public static let binary = Peers.executable("/usr/bin/prometheus")
    public static let promtool = Peers.executable("/usr/bin/promtool")
    public let port: UInt16
    public let peer: PeerProcess
    public let directory: String

    public init(scraping targets: [String], extraScrape: String = "") throws {
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        port = Peers.freePort(udp: false)
        directory = Peers.temporaryDirectory("prometheus")
        // honor_labels: the agent's own `instance` and `target` labels stay as it wrote them.
        try """
        global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: inspect
            honor_labels: true
            static_configs: [{targets: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))]}]
        \(extraScrape)
        """.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        peer = try PeerProcess(binary, ["--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
                                        "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"],
                               log: directory + "/prometheus.log")
    }

    /// The result vector of an instant query (empty until the series exists).
    public func query(_ promql: String) async -> [[String: Any]] {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        guard let (body, status) = await HTTPGet.fetch(components.url!.absoluteString), status == 200,
              let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let data = object["data"] as? [String: Any] else { return [] }
        return data["result"] as? [[String: Any]] ?? []
    }

    public func stop() { peer.stop() }
}

/// `promtool check metrics`: nil when the text passes, else what promtool said.
public enum Promtool {
    public static func problems(_ text: String) throws -> String? {
        guard let tool = PrometheusServer.promtool else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["check", "metrics"]
        let (input, output) = try Spawning.start(process) {
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            return (input, output)
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : said
    }
}

/// A plain HTTP GET or POST for the tests, with optional basic auth, through Python's urllib
/// (URLSession on Linux waits forever on a 401 that asks for credentials it has not got).
public enum HTTPGet {
    static let script = """
    import base64, sys, urllib.request, urllib.error
    url, method, user, password, body = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.stdin.buffer.read()
    request = urllib.request.Request(url, method=method, data=body if method != "GET" else None)
    if body: request.add_header("Content-Type", "application/json")
    if user: request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as answer: status, data = answer.status, answer.read()
    except urllib.error.HTTPError as e: status, data = e.code, e.read()
    except Exception as e: status, data = 0, str(e).encode()
    sys.stdout.buffer.write(b"%03d" % status + data)
    """

    public static func fetch(_ url: String, user: String? = nil, password: String? = nil, method: String = "GET",
                             body: Data? = nil) async -> (Data, Int)? {
        try? await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, url, method, user ?? "", password ?? ""]
            let (input, output) = try Spawning.start(process) {
                let input = Pipe(), output = Pipe()
                process.standardInput = input
                process.standardOutput = output
                return (input, output)
            }
            input.fileHandleForWriting.write(body ?? Data())
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard data.count >= 3, let status = Int(String(decoding: data.prefix(3), as: UTF8.self)), status > 0 else { return nil }
            return (data.dropFirst(3), status)
        } ?? nil
    }
}

/// Debian's Alertmanager 0.25 on a free loopback port, with the given config; optionally in a
/// cluster (its own gossip port, and peers'). Restartable on the same ports with empty storage,
/// as after a crash of a host without persistent storage.
public final class AlertmanagerPeer: @unchecked Sendable {
    public static let binary = Peers.executable("/usr/bin/prometheus-alertmanager")
    public let port: UInt16
    public let clusterPort: UInt16
    public let directory: String
    public private(set) var peer: PeerProcess?
    let peers: [UInt16]?

    /// `peers`: nil runs alone (clustering off); else the gossip ports of the other members.
    public init(config: String, peers: [UInt16]? = nil, clusterPort: UInt16? = nil) throws {
        port = Peers.freePort(udp: false)
        self.clusterPort = clusterPort ?? Peers.freePortForTCPAndUDP()
        self.peers = peers
        directory = Peers.temporaryDirectory("alertmanager")
        try config.write(toFile: directory + "/alertmanager.yml", atomically: true, encoding: .utf8)
        try start()
    }

    public func start() throws {
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        let storage = directory + "/data-\(UUID().uuidString.prefix(6))"
        var arguments = ["--config.file=\(directory)/alertmanager.yml", "--storage.path=\(storage)",
                         "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"]
        if let peers {
            arguments += ["--cluster.listen-address=127.0.0.1:\(clusterPort)", "--cluster.advertise-address=127.0.0.1:\(clusterPort)",
                          "--cluster.peer-timeout=2s", "--cluster.gossip-interval=100ms", "--cluster.pushpull-interval=1s",
                          "--cluster.settle-timeout=1s"] + peers.map { "--cluster.peer=127.0.0.1:\($0)" }
        } else {
            arguments.append("--cluster.listen-address=")
        }
        peer = try PeerProcess(binary, arguments, log: directory + "/alertmanager-\(UUID().uuidString.prefix(6)).log")
    }

    public func stop() {
        peer?.stop()
        peer = nil
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public func ready() async -> Bool { await HTTPGet.fetch(url + "/-/ready")?.1 == 200 }

    /// The alerts it holds now (API v2).
    public func alerts() async -> [[String: Any]] {
        guard let (body, status) = await HTTPGet.fetch(url + "/api/v2/alerts"), status == 200 else { return [] }
        return (try? JSONSerialization.jsonObject(with: body) as? [[String: Any]]) ?? []
    }

    /// A counter from its own /metrics (summed over label sets matching `filter`).
    public func metric(_ name: String, _ filter: String = "") async -> Double {
        guard let (body, _) = await HTTPGet.fetch(url + "/metrics") else { return 0 }
        return String(decoding: body, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .filter { filter.isEmpty || $0.contains(filter) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    public var logText: String { peer?.logText ?? "" }
}
