import Foundation

/// Debian's snmpsimd serving the real device recordings of ../shared/testdata/snmp on 127.0.0.1
/// (community = file name), plus generated variants: a slow agent (delay variation) and the
/// hp-2530 capture with the empty values snmpsimd 0.4.5 cannot encode replaced (SOURCES.md).
public final class SNMPSimulator: @unchecked Sendable {
    public static let binary = Peers.executable("/usr/bin/snmpsimd")
    /// One instance with every recording for the whole test process. snmpsimd indexes all the
    /// recordings before it binds (hundreds of thousands of entries); five suites starting five
    /// instances at once kept a 2-core machine indexing for over a minute.
    public static let shared = Result { try SNMPSimulator() }
    public static let recordings = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/testdata/snmp").standardized.path
    /// Recordings this project keeps itself, beside this file (Recordings/SOURCES.md).
    public static let ownRecordings = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Recordings").standardized.path

    /// The folder a recording lives in: ours or the shared one.
    static func path(of recording: String) -> String {
        let own = "\(ownRecordings)/\(recording).snmprec"
        return FileManager.default.fileExists(atPath: own) ? own : "\(recordings)/\(recording).snmprec"
    }
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
        let files = try [Self.recordings, Self.ownRecordings].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: folder).map { (folder, $0) }
        }
        for (folder, file) in files where file.hasSuffix(".snmprec") && slowMilliseconds == nil {
            var text = try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8)
            if file == "hp-2530.snmprec" {
                text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    if line.hasSuffix("|64|") { return line + "0.0.0.0" }
                    if line.hasSuffix("|66|") { return line + "0" }
                    return String(line)
                }.joined(separator: "\n")
            }
            try text.write(toFile: "\(data)/\(file)", atomically: true, encoding: .utf8)
        }
        if slowMilliseconds == nil {
            for variant in Self.variants {
                let base = try String(contentsOfFile: Self.path(of: variant.base), encoding: .utf8)
                try Self.patch(base, variant.changes).write(toFile: "\(data)/\(variant.name).snmprec", atomically: true, encoding: .utf8)
            }
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

    /// Real recordings with a few values made hostile, each served as its own community: what
    /// devices answer in the field when a sensor, a firmware or an agent misbehaves.
    public static let variants: [(name: String, base: String, changes: [String: String])] = [
        // Garbage values: the -1 "unknown" sentinel for runtime, a charge of 2^31-1 %, "NaN" as a
        // string for the battery temperature, a TimeTicks where the load gauge belongs.
        ("hostile-ups", "tripplite", ["1.3.6.1.2.1.33.1.2.3.0": "2|-1", "1.3.6.1.2.1.33.1.2.4.0": "2|2147483647",
                                      "1.3.6.1.2.1.33.1.2.7.0": "4|NaN", "1.3.6.1.2.1.33.1.4.4.1.5.1": "67|800"]),
        // snmpsim's error variation on GET: genError on one detect OID (battery status), which Debian's
        // pysnmp answers as noError with NULL for every object of the request, and noAccess on the
        // battery temperature, a proper error status with its index.
        ("generr-ups", "tripplite", ["1.3.6.1.2.1.33.1.2.1.0": "2:error|op=get,status=genError,value=2",
                                     "1.3.6.1.2.1.33.1.2.7.0": "2:error|op=get,status=noAccess,value=30"]),
        // noAccess while walking the input voltage column (on GET and GETNEXT/GETBULK alike).
        ("walkerr-ups", "tripplite", ["1.3.6.1.2.1.33.1.3.3.1.3.1": "2:error|op=any,status=noAccess,value=115"]),
        // Declares three output lines but answers line 1 only; upsInputNumLines is -1.
        ("partial-ups", "tripplite", ["1.3.6.1.2.1.33.1.4.3.0": "2|3", "1.3.6.1.2.1.33.1.3.2.0": "2|-1"]),
        // A 120 V unit whose mains sagged to 100 V.
        ("lowline-ups", "tripplite", ["1.3.6.1.2.1.33.1.3.3.1.3.1": "2|100"]),
        // ENTITY-SENSOR garbage: a value sent as the string "52.0", a scale outside the MIB's range.
        ("hostile-arista", "arista_eos", ["1.3.6.1.2.1.99.1.1.1.4.100006001": "4|52.0", "1.3.6.1.2.1.99.1.1.1.2.100006014": "2|99"]),
        // A NAS in trouble: DSM says the system failed, disk 2 crashed and runs at 58 C, Volume 1
        // degraded; and a status for the second SCSI disk, down, as Windows' agent gives disks one.
        ("failing-nas", "synology_ds214play", ["1.3.6.1.4.1.6574.1.1.0": "2|2", "1.3.6.1.4.1.6574.2.1.1.5.1": "2|5",
                                               "1.3.6.1.4.1.6574.2.1.1.6.1": "2|58", "1.3.6.1.4.1.6574.3.1.1.3.0": "2|11",
                                               "1.3.6.1.2.1.25.3.2.1.5.393233": "2|5"]),
    ]

    /// `text` with the lines of the given OIDs replaced (or added), in OID order as snmpsimd needs.
    static func patch(_ text: String, _ changes: [String: String]) -> String {
        var lines: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let bar = line.firstIndex(of: "|") else { continue }
            lines[String(line[..<bar])] = String(line)
        }
        for (oid, rest) in changes { lines[oid] = "\(oid)|\(rest)" }
        let key = { (oid: String) in oid.split(separator: ".").map { Int($0) ?? 0 } }
        return lines.keys.sorted { key($0).lexicographicallyPrecedes(key($1)) }.map { lines[$0]! }.joined(separator: "\n") + "\n"
    }

    /// snmpsimd indexes the recordings before it binds: the large hp-2530 capture takes seconds.
    func waitUntilListening() throws {
        try Peers.waitForUDP(port, peer: peer, name: "snmpsimd", attempts: 1200, interval: 50_000)
    }

    public func stop() { peer.stop() }
}
