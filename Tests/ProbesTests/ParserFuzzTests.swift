import Foundation
import Testing
@testable import HTTP
@testable import InspectorCore
@testable import Probes
@testable import ProcFS
import TestPeers

/// Every parser of outside input, fed generated variants of real inputs: bytes flipped, cut,
/// repeated, numbers replaced by extreme ones. A parser may refuse; it must never trap (a trap
/// ends this test process, so reaching the end is the assertion). The generator is seeded and the
/// seed is in the failure message, so a failing input can be made again. The loops run on threads
/// of their own (`onOwnThread`): seconds of CPU on the shared test threads would starve the other
/// suites' waits.
struct ParserFuzzTests {
    static let trees = RecordedTreeTests.trees
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
    static let rounds = 300

    typealias Generator = SeededGenerator

    static let extremes = ["18446744073709551616", "-9223372036854775809", "9223372036854775807", "1e308", "-1e308", "nan",
                           "inf", "0", "-0", "4294967296", "99999999999999999999999999", "0x7fffffff", "", " ", "\u{0}", "\u{1B}[2J"]

    /// A variant of `text`: one or a few of these mutations.
    static func mutate(_ text: String, _ g: inout Generator) -> String {
        var s = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &g) {
            switch Int.random(in: 0..<6, using: &g) {
            case 0 where !s.isEmpty:   // flip bytes
                for _ in 0..<Int.random(in: 1...8, using: &g) { s[Int.random(in: 0..<s.count, using: &g)] = UInt8.random(in: 0...255, using: &g) }
            case 1 where !s.isEmpty:   // cut
                s = Array(s.prefix(Int.random(in: 0..<s.count, using: &g)))
            case 2:                    // numbers become extreme
                var out = String(decoding: s, as: UTF8.self)
                let words = out.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == ":" })
                if let w = words.randomElement(using: &g), w.allSatisfy({ $0.isNumber }) {
                    out = out.replacingOccurrences(of: String(w), with: extremes.randomElement(using: &g)!)
                }
                s = Array(out.utf8)
            case 3 where !s.isEmpty:   // repeat a slice
                let a = Int.random(in: 0..<s.count, using: &g)
                let b = min(s.count, a + Int.random(in: 1...200, using: &g))
                s.insert(contentsOf: Array(repeating: s[a..<b], count: Int.random(in: 1...50, using: &g)).joined(), at: a)
            case 4:                    // an extreme token anywhere
                s.insert(contentsOf: Array(extremes.randomElement(using: &g)!.utf8), at: Int.random(in: 0...s.count, using: &g))
            default:                   // delete a slice
                guard !s.isEmpty else { break }
                let a = Int.random(in: 0..<s.count, using: &g)
                s.removeSubrange(a..<min(s.count, a + Int.random(in: 1...40, using: &g)))
            }
        }
        return String(decoding: s, as: UTF8.self)
    }

    static func variants(of file: String, seed: UInt64, body: (String) -> Void) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var g = Generator(seed: seed)
        body(text)
        for _ in 0..<rounds { body(mutate(text, &g)) }
    }

    @Test func procAndSysParsersNeverTrap() async throws {
        try await onOwnThread { try self.procAndSysParsersNeverTrapBody() }
    }

    func procAndSysParsersNeverTrapBody() throws {
        let tree = "\(Self.trees)/healthy-server"
        try Self.variants(of: "\(tree)/proc/stat", seed: 1) { _ = try? ProcStat.parse($0) }
        try Self.variants(of: "\(tree)/proc/meminfo", seed: 2) { text in
            if let m = try? MemInfo.parse(text) { _ = m.available; _ = m.usedPercent }
        }
        try Self.variants(of: "\(tree)/proc/loadavg", seed: 3) { _ = try? LoadAvg.parse($0) }
        try Self.variants(of: "\(tree)/proc/uptime", seed: 4) { _ = try? parseUptime($0) }
        try Self.variants(of: "\(tree)/proc/mounts", seed: 5) { _ = Mounts.parse($0) }
        var m = Generator(seed: 6)
        let mountinfo = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
            + "40 22 0:35 / /srv/my\\040data ro,nosuid - xfs /dev/sdb1 ro,attr2\n"
        for _ in 0..<Self.rounds { _ = Mounts.parseMountInfo(Self.mutate(mountinfo, &m)) }
        try Self.variants(of: "\(tree)/statvfs", seed: 7) { text in
            for usage in FilesystemUsage.parseRecorded(text).values { _ = usage.usedPercent; _ = usage.inodesUsedPercent }
        }
        try Self.variants(of: "\(tree)/dev/kmsg", seed: 8) { _ = KernelMessages.parse($0, bootTime: 1.7e9) }
        var g = Generator(seed: 9)
        for _ in 0..<Self.rounds { _ = StatfsChild.parse(Self.mutate("1000 200 150 4096 64000 60000", &g)) }
    }

    /// Whole recorded trees with one file mutated, through the probe (hwmon, processes, mounts).
    @Test func theHostProbeNeverTrapsOnAMutatedTree() async throws {
        let base = "\(Self.trees)/healthy-server"
        let files = ["proc/stat", "proc/meminfo", "proc/loadavg", "proc/uptime", "proc/mounts", "statvfs", "dev/kmsg",
                     "sys/class/hwmon/hwmon0/temp1_input", "sys/class/hwmon/hwmon0/temp1_max", "proc/1/comm", "proc/1/cmdline"]
            .filter { FileManager.default.fileExists(atPath: "\(base)/\($0)") }
        var g = Generator(seed: 10)
        for round in 0..<40 {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-tree-\(UUID().uuidString)").path
            try FileManager.default.copyItem(atPath: base, toPath: dir)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let file = files[round % files.count]
            let original = try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8)
            try Self.mutate(original, &g).write(toFile: "\(dir)/\(file)", atomically: true, encoding: .utf8)
            let readings = await HostTreeEdgeTests.collect(dir)
            #expect(!readings.readings.isEmpty, "round \(round) \(file)")
        }
    }

    @Test func configChecklistAndProfileParsersNeverTrap() async throws {
        try await onOwnThread { try self.configChecklistAndProfileParsersNeverTrapBody() }
    }

    func configChecklistAndProfileParsersNeverTrapBody() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/profiles", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sources: [(String, UInt64, (String) -> Void)] = [
            ("\(Self.repo)/Config/inspect.yaml", 11, { text in
                try? text.write(toFile: dir + "/inspect.yaml", atomically: true, encoding: .utf8)
                _ = try? ConfigLoader.load(file: dir + "/inspect.yaml", hostname: "fuzz")
            }),
            ("\(Self.repo)/Config/checklists/server.yaml", 12, { text in
                try? text.write(toFile: dir + "/server.yaml", atomically: true, encoding: .utf8)
                _ = try? CardParser.checklist(file: dir + "/server.yaml")
            }),
            ("\(Self.repo)/Config/profiles/ups-mib.yaml", 13, { text in
                try? text.write(toFile: dir + "/profiles/p.yaml", atomically: true, encoding: .utf8)
                _ = try? ProfileParser.load(file: dir + "/profiles/p.yaml")
            }),
            ("\(Self.repo)/Config/metrics.yaml", 14, { text in _ = try? MetricCatalogue.parse(text, file: "metrics.yaml") }),
        ]
        for (file, seed, body) in sources { try Self.variants(of: file, seed: seed, body: body) }
    }

    @Test func expressionsRangesAndDurationsNeverTrap() async throws {
        try await onOwnThread { try self.expressionsRangesAndDurationsNeverTrapBody() }
        // Nesting and length past the limits are refused, not a stack overflow.
        #expect(throws: Expression.ParseError.self) { try Expression.parse(String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000)) }
        #expect(throws: Expression.ParseError.self) { try Expression.parse(String(repeating: "-", count: 50_000) + "1") }
        #expect(throws: Expression.ParseError.self) { try Expression.parse(String(repeating: "1+", count: 10_000) + "1") }
        #expect(try Expression.parse(String(repeating: "(", count: 60) + "1" + String(repeating: ")", count: 60)) == .number(1))
    }

    func expressionsRangesAndDurationsNeverTrapBody() throws {
        var g = Generator(seed: 15)
        for _ in 0..<2000 {
            _ = try? Expression.parse(Self.mutate("100 * (total - avail) / total + delta(user) - -2", &g))
            _ = try? NagiosRange.parse(Self.mutate("@10:20", &g))
            _ = parseDuration(Self.mutate("250ms", &g))
            _ = try? SNMPAddress.parse(Self.mutate("snmp://public@127.0.0.1:161?timeout=2&retries=1&max_repetitions=10", &g))
        }
    }

    /// HTTP bodies and the values a JSON pointer finds in them.
    @Test func httpBodiesNeverTrap() async throws {
        try await onOwnThread { try self.httpBodiesNeverTrapBody() }
    }

    func httpBodiesNeverTrapBody() throws {
        var settings = HTTPSettings()
        settings.bodyRegex = "OK"
        settings.json = [.init(pointer: "/sensors/0/temperature", metric: "temperature.celsius", unit: "°C"),
                         .init(pointer: "/a/99999999999999999999/b", metric: "x", unit: ""), .init(pointer: "/status", metric: "y", unit: "")]
        let probe = HTTPProbe()
        var g = Generator(seed: 16)
        let body = #"{"sensors": [{"temperature": 23.5, "humidity": 41}], "status": "ok", "deep": [[[[1]]]]}"#
        for i in 0..<Self.rounds * 3 {
            var r = HTTPResponse()
            r.status = [200, 0, -1, 999, Int.max, Int.min][i % 6]
            r.body = Data(Self.mutate(body, &g).utf8)
            r.truncated = i % 7 == 0
            r.timings.total = [0.1, .nan, .infinity, -1, 1e308][i % 5]
            r.certificateExpiry = i % 3 == 0 ? Date(timeIntervalSince1970: [1e15, -1e15, 0][i % 3]) : nil
            _ = probe.readings(r, settings: settings, https: i % 2 == 0)
        }
        // Nested past what JSONSerialization accepts.
        var deep = HTTPResponse()
        deep.status = 200
        deep.body = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        _ = probe.readings(deep, settings: settings, https: false)
    }
}
