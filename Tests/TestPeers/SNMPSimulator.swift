import Foundation

/// Debian's snmpsimd serving the real device recordings of ../shared/testdata/snmp on 127.0.0.1
/// (community = file name), plus generated variants: a slow agent (delay variation) and the
/// hp-2530 capture with the empty values snmpsimd 0.4.5 cannot encode replaced (SOURCES.md).
public final class SNMPSimulator: @unchecked Sendable {
    public static let binary = Peers.executable("/usr/bin/snmpsimd")
    public static let recordings = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/testdata/snmp").standardized.path
    public static var available: Bool {
        binary != nil && FileManager.default.fileExists(atPath: recordings + "/tripplite.snmprec")
    }

    public let port: UInt16
    public let peer: PeerProcess
    let directory: String

    /// The recordings; or, with `slowMilliseconds`, only the `slow-ups` community, answering
    /// every request after that delay. snmpsimd is single-threaded and its delay variation stalls
    /// every other request, so a slow device gets an instance of its own.
    public init(slowMilliseconds: Int? = nil) throws {
        port = Peers.freePort()
        directory = Peers.temporaryDirectory("snmpsim")
        let data = directory + "/data", cache = directory + "/cache"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.recordings) where file.hasSuffix(".snmprec") && slowMilliseconds == nil {
            var text = try String(contentsOfFile: "\(Self.recordings)/\(file)", encoding: .utf8)
            if file == "hp-2530.snmprec" {
                text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    if line.hasSuffix("|64|") { return line + "0.0.0.0" }
                    if line.hasSuffix("|66|") { return line + "0" }
                    return String(line)
                }.joined(separator: "\n")
            }
            try text.write(toFile: "\(data)/\(file)", atomically: true, encoding: .utf8)
        }
        // The ABB UPS again, every value delayed: a slow device.
        if let slowMilliseconds {
        let abb = try String(contentsOfFile: "\(Self.recordings)/abbups_abbups.snmprec", encoding: .utf8)
        let slow = abb.split(separator: "\n").map { line -> String in
            let f = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
            guard f.count == 3 else { return String(line) }
            let value = f[1].hasSuffix("x") ? "hexvalue=\(f[2])" : "value=\(f[2])"
            return "\(f[0])|\(f[1].replacingOccurrences(of: "x", with: "")):delay|\(value),wait=\(slowMilliseconds)"
        }.joined(separator: "\n")
        try slow.write(toFile: "\(data)/slow-ups.snmprec", atomically: true, encoding: .utf8)
        }
        chmod(directory, 0o755)
        chmod(data, 0o755)
        chmod(cache, 0o777)
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        peer = try PeerProcess(binary, ["--data-dir=\(data)", "--cache-dir=\(cache)", "--agent-udpv4-endpoint=127.0.0.1:\(port)",
                                        "--variation-modules-dir=/usr/share/snmpsim/variation",
                                        "--process-user=nobody", "--process-group=nogroup"],
                               log: directory + "/snmpsimd.log")
        try waitUntilListening()
    }

    /// snmpsimd indexes the recordings before it binds: the large hp-2530 capture takes seconds.
    func waitUntilListening() throws {
        try Peers.waitForUDP(port, peer: peer, name: "snmpsimd", attempts: 1200, interval: 50_000)
    }

    public func stop() { peer.stop() }
}
