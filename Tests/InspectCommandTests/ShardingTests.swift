import Foundation
import InspectorApp
import InspectorCore
import Testing

/// `--shard I/N`: md5 of the target id, last 8 bytes big-endian, mod N, as Prometheus' hashmod.
struct ShardingTests {
    /// Values from Python's hashlib (an independent md5), the same arithmetic as Prometheus.
    @Test func hashesAsPrometheusHashmod() {
        #expect(Sharding.hash("ups-1") == 4_510_918_754_573_025_988)
        #expect(Sharding.hash("switch-a") == 15_822_439_937_954_241_621)
        #expect(Sharding.hash("srv-1") == 12_412_314_969_549_295_089)
        #expect(Sharding.hash("") == 16_825_458_760_271_544_958)
    }

    @Test func everyTargetHasExactlyItsReplicasShards() throws {
        let targets = (0..<500).map { Target(id: "dev-\($0)", kind: .ups, address: "snmp://127.0.0.1") }
        for n in [1, 2, 4, 7] {
            var counts = [Int](repeating: 0, count: n)
            for t in targets {
                let shards = Sharding.shards(of: t, count: n)
                #expect(shards.count == 1, "\(t.id) in \(shards) of \(n)")
                counts[shards[0]] += 1
            }
            // An even split, roughly: no shard gets under half its share of 500 ids.
            #expect(counts.allSatisfy { $0 > 500 / n / 2 }, "\(counts)")
        }
        var replicated = Target(id: "ups-1", kind: .ups, address: "snmp://127.0.0.1")
        replicated.labels["replicas"] = "2"
        #expect(Sharding.shards(of: replicated, count: 4) == [0, 1])
        replicated.labels["replicas"] = "9"
        #expect(Sharding.shards(of: replicated, count: 4) == [0, 1, 2, 3])
        let shard = try #require(Shard.parse("3/4"))
        #expect(Sharding.owns(shard, replicated) && Sharding.owns(nil, replicated))
        #expect(Shard.parse("4/4") == nil && Shard.parse("-1/4") == nil && Shard.parse("1") == nil && Shard.parse("0/0") == nil)
    }

    /// `inspect targets --shard I/N` splits the configured targets with none lost or doubled; a
    /// target with `replicas: 2` is in two shards; the local host is every shard's own.
    @Test func targetsCommandPrintsTheSplit() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let ids = (0..<12).map { "web-\($0)" }
        let path = try CommandRunner.webConfig(in: dir, targets: ids.map { id in
            "{id: \(id), address: \"http://127.0.0.1:9/\(id)\"\(id == "web-3" ? ", labels: {replicas: \"2\"}" : "")}"
        })
        var seen: [String: Int] = [:]
        for i in 0..<3 {
            let result = try await CommandRunner.run(["targets", "--config", path, "--shard", "\(i)/3"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("# shard \(i)/3: "), "\(result.stdout)")
            for line in result.stdout.split(separator: "\n") where !line.hasPrefix("#") {
                let id = String(line.split(separator: "\t")[0])
                seen[id, default: 0] += 1
                #expect(line.contains("shards: ") && line.contains("\(i)"), "\(line)")
            }
        }
        #expect(Set(seen.keys) == Set(ids))
        #expect(seen.filter { $0.value != 1 } == ["web-3": 2], "\(seen)")
        let bad = try await CommandRunner.run(["targets", "--config", path, "--shard", "3/3"])
        #expect(bad.status == 64 && bad.stderr.contains("--shard 3/3"), "\(bad.stderr)")
    }

    /// The template unit is inspect.service with the shard's own ExecStart, state and spool: its
    /// hardening must not drift from the main unit's.
    @Test func templateUnitKeepsTheMainUnitsHardening() throws {
        func settings(_ name: String) throws -> [String] {
            try String(contentsOf: CommandRunner.repo.appendingPathComponent("Config/\(name)"), encoding: .utf8)
                .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        }
        let main = try settings("inspect.service"), template = try settings("inspect@.service")
        let own = ["Description=", "ExecStart=", "StateDirectory=", "EnvironmentFile="]
        #expect(main.filter { l in !own.contains { l.hasPrefix($0) } } == template.filter { l in !own.contains { l.hasPrefix($0) } })
        let exec = try #require(template.first { $0.hasPrefix("ExecStart=") })
        #expect(exec.contains("--shard %I") && exec.contains("--state /var/lib/inspect/%i") && exec.contains("--spool /var/spool/inspect/%i"))
        #expect(template.contains("StateDirectory=inspect/%i"))
    }
}
