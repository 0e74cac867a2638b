import Foundation
import Testing
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// SXKR-010 from /proc/mdstat, in the kernel's format (drivers/md/md.c, md_seq_show): the
/// samples below follow what Debian 12's kernel prints for each state.
struct SoftwareRAIDTests {
    static let mdstat = """
    Personalities : [raid1] [raid0] [raid6] [raid5] [raid4] [linear]
    md0 : active raid1 sdb1[1] sda1[0]
          1046528 blocks super 1.2 [2/2] [UU]

    md1 : active raid1 sdb2[2](F) sda2[0]
          487253952 blocks super 1.2 [2/1] [U_]
          bitmap: 3/4 pages [12KB], 65536KB chunk

    md2 : active raid5 sdf1[4] sde1[2] sdd1[1] sdc1[0]
          2929889280 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/3] [UUU_]
          [===>.................]  recovery = 17.6% (171896960/976629760) finish=104.2min speed=128705K/sec

    md3 : active raid0 sdh1[1] sdg1[0]
          3906764800 blocks super 1.2 512k chunks

    md4 : active raid1 sdj1[1] sdi1[0]
          976630464 blocks super 1.2 [2/2] [UU]
          [=====>...............]  check = 28.4% (277440512/976630464) finish=61.0min speed=190950K/sec

    md127 : inactive sdk1[0](S)
          976630488 blocks super 1.2

    unused devices: <none>

    """

    @Test func parsesEveryArray() {
        let arrays = MDStat.parse(Self.mdstat)
        #expect(arrays.map(\.name) == ["md0", "md1", "md2", "md3", "md4", "md127"])
        #expect(arrays[1].failedMembers == ["sdb2"] && arrays[1].degraded && arrays[1].slots == "U_")
        #expect(arrays[2].operation == "recovery" && arrays[2].progress == 17.6 && arrays[2].finish == "104.2min")
        #expect(arrays[3].level == "raid0" && arrays[3].expected == nil && !arrays[3].degraded)
        #expect(arrays[5].activity == "inactive" && arrays[5].members.first?.spare == true)
    }

    @Test func judgedBySXKR010() throws {
        let dir = NSTemporaryDirectory() + "inspect-md-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/proc", withIntermediateDirectories: true)
        try Self.mdstat.write(toFile: dir + "/proc/mdstat", atomically: true, encoding: .utf8)
        let root = SystemRoot(dir)
        let readings = HostCollectors(root: root, settings: HostSettings(), hwmon: Hwmon.read(root), spinningBefore: []).softwareRAID()
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/checklists/server.yaml").standardized.path
        let card = try #require(try CardParser.checklist(file: config).map(\.0).first { $0.id == "SXKR-010" })
        let host = Target(id: "h", kind: .host, address: "local")
        let findings = Evaluator().evaluate(TargetReadings(target: host, readings: readings), cards: [card])
        let level = Dictionary(uniqueKeysWithValues: findings.map { ($0.instance, $0.level) })
        #expect(level == ["md0": .ok, "md1": .critical, "md2": .warning, "md3": .ok, "md4": .ok, "md127": .critical])
        let md1 = try #require(findings.first { $0.instance == "md1" })
        #expect(md1.evidence.contains { $0.en == "failed members: sdb2" })
        #expect(md1.reason?.en.contains("degraded") == true)
        let md2 = try #require(findings.first { $0.instance == "md2" })
        #expect(md2.evidence.contains { $0.en == "recovery 17.6 %, finish 104.2min" })
        #expect(md2.evidence.contains { $0.zh.contains("同步成员 3/4 [UUU_]") })
        // No md driver: no /proc/mdstat, no finding (the card skips).
        let bare = SystemRoot(NSTemporaryDirectory())
        #expect(HostCollectors(root: bare, settings: HostSettings(), hwmon: Hwmon.read(bare), spinningBefore: []).softwareRAID().isEmpty)
    }
}
