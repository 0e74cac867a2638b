import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// A Linux host over SNMP: Debian's snmpd answering UCD-SNMP and HOST-RESOURCES for this
/// machine, read through the shipped profiles, compared with what /proc says.
@Suite(.enabled(if: SNMPDaemon.binary != nil, "needs Debian's snmpd"))
struct SNMPHostTests {
    static let daemon = Result { try SNMPDaemon(extraConfig: "disk / 10%\n") }
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config").standardized.path
    static let profiles = try! ProfileParser.load(directory: config + "/profiles")

    func target() throws -> Target {
        Target(id: "linux", kind: .host, address: "snmp://public@127.0.0.1:\(try Self.daemon.get().port)?timeout=3")
    }

    /// The daemon's way: the first poll is a first sample, a later one gives the rate.
    @Test func cpuFromRawCountersNeedsTwoPolls() async throws {
        let probe = SNMPProbe(profiles: Self.profiles, limiter: PollLimiter(size: 1))
        let t = try target()
        let first = await probe.collect(t).readings.first { $0.metric == "cpu.utilisation" && $0.instance == "" }
        if case .unavailable(let why) = first?.value { #expect(why.en.contains("two samples") && why.zh.contains("两次采样")) } else { Issue.record("first poll: \(String(describing: first))") }
        // net-snmp refreshes its counters every 5 s or so: poll until they have moved.
        var second: Reading?
        for _ in 0..<30 where second?.number == nil {
            try await Task.sleep(nanoseconds: 1_000_000_000)   // not Thread.sleep: that would hold a shared thread
            second = await probe.collect(t).readings.first { $0.metric == "cpu.utilisation" && $0.instance == "" }
        }
        let value = try #require(second?.number, "\(String(describing: second))")
        #expect((0...100).contains(value))
    }

    /// `inspect now`'s way: one poll samples the counters twice across the window and says so.
    @Test func onePollSamplesTheCountersTwice() async throws {
        let probe = SNMPProbe(profiles: Self.profiles, limiter: PollLimiter(size: 1), rateWindow: 1)
        var t = try target()
        t.address += "&budget=20"
        let cpu = try #require(await probe.collect(t).readings.first { $0.metric == "cpu.utilisation" && $0.instance == "" })
        let value = try #require(cpu.number, "\(cpu.value)")
        #expect((0...100).contains(value))
        #expect(cpu.evidence.map(\.en).contains { $0.hasPrefix("counters sampled twice") }, "\(cpu.evidence)")
    }

    /// Port rates need counters that move: snmpd's own IF-MIB, whose loopback counts the polls'
    /// own traffic. The shipped if-mib profile, less its physical-port filter (lo is
    /// softwareLoopback): never a figure from one sample.
    @Test func portRatesComeFromTwoSamplesOfMovingCounters() async throws {
        var ports = try #require(Self.profiles.first { $0.id == "if-mib" })
        for i in ports.metrics.indices { ports.metrics[i].conditions.removeAll { $0.equals.contains("117") } }
        var t = try target()
        t.address += "&budget=30&profile=if-mib"
        // The daemon's way: the first poll is a first sample; net-snmp refreshes its interface
        // counters every few seconds, so poll until the loopback has moved.
        let probe = SNMPProbe(profiles: [ports], limiter: PollLimiter(size: 1))
        var r = await probe.collect(t)
        func inbound(_ r: TargetReadings) -> Reading? { r.readings.first { $0.metric == "port.in_utilisation" && $0.label == "lo" } }
        for _ in 0..<30 where (inbound(r)?.number ?? 0) == 0 {
            try await Task.sleep(nanoseconds: 1_000_000_000)   // not Thread.sleep: that would hold a shared thread
            r = await probe.collect(t)
        }
        let loopback = try #require(r.readings.first { $0.metric == "port.status" && $0.label == "lo" }, "\(r.readings.map(\.label))")
        #expect(loopback.value == .state("up"))
        let inbound = try #require(r.readings.first { $0.metric == "port.in_utilisation" && $0.instance == loopback.instance })
        let value = try #require(inbound.number, "\(inbound.value)")
        #expect(value > 0 && value <= 100, "\(value)")
        #expect(inbound.evidence.map(\.en).contains { $0.hasPrefix("counters sampled twice") }, "\(inbound.evidence)")
        let errors = try #require(r.readings.first { $0.metric == "port.errors_per_minute" && $0.instance == loopback.instance })
        #expect(errors.number == 0, "\(errors.value)")   // a loopback has no errors: a real zero, not "no second sample"
        let age = try #require(r.readings.first { $0.metric == "port.last_change_age" && $0.instance == loopback.instance }?.number)
        #expect(age >= 0)
    }

    /// UCD counts MemTotal - MemFree - Buffers - Cached, where net-snmp may count reclaimable slab
    /// as cached too. Other tests allocate and free meanwhile, so /proc is read before and after
    /// the poll, and the agent's figure must lie within both definitions at both moments (± 2).
    @Test func memoryMatchesProcMeminfo() async throws {
        func used(_ proc: MemInfo, slab: Bool) -> Double {
            let total = Double(proc.total)
            let cached = Double(proc.fields["Cached"] ?? 0) + (slab ? Double(proc.fields["SReclaimable"] ?? 0) : 0)
            return 100 * (total - Double(proc.fields["MemFree"] ?? 0) - Double(proc.fields["Buffers"] ?? 0) - cached) / total
        }
        let before = try MemInfo.parse(SystemRoot("/").read("/proc/meminfo"))
        let r = await SNMPProbe(profiles: Self.profiles, limiter: PollLimiter(size: 1)).collect(try target())
        let after = try MemInfo.parse(SystemRoot("/").read("/proc/meminfo"))
        let snmp = try #require(r.readings.first { $0.metric == "memory.used_percent" }?.number, "\(r.failure ?? "")")
        let bounds = [before, after].flatMap { [used($0, slab: false), used($0, slab: true)] }
        #expect(snmp >= bounds.min()! - 2 && snmp <= bounds.max()! + 2, "snmp \(snmp) /proc \(bounds)")
    }

    @Test func rootFilesystemFromHostResourcesMatchesStatvfs() async throws {
        let r = await SNMPProbe(profiles: Self.profiles, limiter: PollLimiter(size: 1)).collect(try target())
        let storage = r.readings.filter { $0.metric == "fs.used_percent" && $0.instance.hasPrefix("storage") }
        let root = try #require(storage.first { $0.label == "/" }, "\(storage.map { $0.label ?? "" }) \(r.failure ?? "")")
        var s = statvfs()
        statvfs("/", &s)
        let used = 100 * Double(s.f_blocks - s.f_bfree) / Double(s.f_blocks)
        #expect(abs(root.number! - used) < 1, "\(root.number!) vs \(used)")
        // Only fixed disks: no RAM or virtual memory rows.
        #expect(!storage.contains { ($0.label ?? "").lowercased().contains("memory") })
        // The UCD disk line for / is there too, as dskPercent.
        #expect(r.readings.contains { $0.metric == "fs.used_percent" && $0.label == "/" && $0.instance.hasPrefix("disk") })
    }
}
