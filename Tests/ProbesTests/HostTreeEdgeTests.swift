import Foundation
import Testing
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// Odd hosts and odd trees: files missing that have a stand-in, files that would block, and the
/// view a service sandbox gives of the mounts. Each is a copy of the healthy-server tree with
/// one thing changed, made in a temporary directory (git keeps no FIFOs).
struct HostTreeEdgeTests {
    static func tree(_ change: (String) throws -> Void) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tree-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: "\(RecordedTreeTests.trees)/healthy-server", toPath: dir)
        try change(dir)
        return dir
    }

    static func collect(_ root: String, readWrite: [String] = ["/"]) async -> TargetReadings {
        var target = Target(id: "t", kind: .host, address: "local")
        target.host = HostSettings(readWriteMounts: readWrite)
        return await LocalHostProbe(root: SystemRoot(root), cpuWindow: 0.01, sampleInterval: 0.01).collect(target)
    }

    static func reading(_ r: TargetReadings, _ metric: String, _ instance: String? = nil) -> Reading? {
        r.readings.first { $0.metric == metric && (instance == nil || $0.instance == instance) }
    }

    @Test func uptimeFromBtimeWhenProcUptimeIsAbsent() async throws {
        let root = try Self.tree { try FileManager.default.removeItem(atPath: "\($0)/proc/uptime") }
        let r = try #require(Self.reading(await Self.collect(root), HostMetric.reboot))
        #expect(r.value == .state("no reboot"))
        #expect(r.source == "/proc/stat btime")
        #expect(r.evidence.map(\.en).contains { $0.hasPrefix("uptime from btime") })
    }

    @Test func mountsFromProc1WhenProcMountsIsAbsent() async throws {
        let root = try Self.tree { dir in
            try FileManager.default.moveItem(atPath: "\(dir)/proc/mounts", toPath: "\(dir)/proc/1/mounts")
        }
        let data = await Self.collect(root)
        #expect(Self.reading(data, HostMetric.filesystem, "/var")?.number == 20)
        #expect(Self.reading(data, HostMetric.mountMode)?.value == .state("rw"))
        #expect(Self.reading(data, HostMetric.mountMode)?.source == "/proc/1/mounts")
    }

    /// A recorded tree without its statvfs table: filesystems are UNKNOWN, never this machine's.
    @Test func nothingComesFromTheLiveMachineUnderRoot() async throws {
        let root = try Self.tree { try FileManager.default.removeItem(atPath: "\($0)/statvfs") }
        let fs = await Self.collect(root).readings.filter { $0.metric == HostMetric.filesystem }
        #expect(fs.map(\.instance) == ["/", "/var", "/srv/my data"])
        #expect(fs.allSatisfy { $0.unavailableReason?.en.contains("not in the recorded tree") == true }, "\(fs.map(\.value))")
    }

    /// proc/stat as a FIFO with no writer: reading it would block forever. It is not read, and
    /// the CPU reading alone is UNKNOWN with the reason.
    @Test func aFIFOWhereAFileShouldBeIsUnknownNotAHang() async throws {
        let root = try Self.tree { dir in
            try FileManager.default.removeItem(atPath: "\(dir)/proc/stat")
            #expect(mkfifo("\(dir)/proc/stat", 0o644) == 0)
        }
        let data = await Self.collect(root)
        let cpu = try #require(Self.reading(data, HostMetric.cpu))
        #expect(cpu.unavailableReason?.en.contains("not a regular file") == true, "\(cpu.value)")
        #expect(Self.reading(data, HostMetric.memory)?.number != nil)
    }

    /// A kernel log that cannot be read (a FIFO, a directory, or EPERM on the live device) is
    /// UNKNOWN with the reason, never "0 errors".
    @Test(arguments: ["fifo", "directory"])
    func anUnreadableKernelLogIsUnknownNotZeroErrors(kind: String) async throws {
        let root = try Self.tree { dir in
            try FileManager.default.removeItem(atPath: "\(dir)/dev/kmsg")
            if kind == "fifo" { #expect(mkfifo("\(dir)/dev/kmsg", 0o644) == 0) }
            else { try FileManager.default.createDirectory(atPath: "\(dir)/dev/kmsg", withIntermediateDirectories: false) }
        }
        let log = try #require(Self.reading(await Self.collect(root), HostMetric.logErrors))
        #expect(log.number == nil, "\(log.value)")
        #expect(log.unavailableReason?.en.contains("/dev/kmsg") == true, "\(log.value)")
    }

    /// A service under ProtectSystem=strict sees / read-only through its own bind mount, while the
    /// filesystem itself is read-write: mountinfo's superblock options tell the truth.
    @Test func theSandboxesViewOfAMountIsNotTheFilesystemsState() async throws {
        let root = try Self.tree { dir in
            try FileManager.default.createDirectory(atPath: "\(dir)/proc/self", withIntermediateDirectories: true)
            try """
            24 1 8:1 / / ro,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
            25 24 0:22 / /proc rw,nosuid shared:2 - proc proc rw
            26 24 8:2 / /var ro,relatime shared:3 - xfs /dev/sda2 rw
            27 24 8:17 / /srv/my\\040data rw shared:4 - ext4 /dev/sdb1 ro

            """.write(toFile: "\(dir)/proc/self/mountinfo", atomically: true, encoding: .utf8)
        }
        let data = await Self.collect(root, readWrite: ["/", "/var", "/srv/my data"])
        #expect(Self.reading(data, HostMetric.mountMode, "mount:/")?.value == .state("rw"))
        #expect(Self.reading(data, HostMetric.mountMode, "mount:/var")?.value == .state("rw"))
        // A filesystem that is really read-only (superblock ro, e.g. after errors=remount-ro) still is.
        #expect(Self.reading(data, HostMetric.mountMode, "mount:/srv/my data")?.value == .state("ro"))
        #expect(Self.reading(data, HostMetric.mountMode)?.source == "/proc/self/mountinfo")
    }

    /// The call is abandoned at its timeout, and not started again while it is stuck: a FIFO
    /// opened for reading blocks until a writer comes, which the test controls.
    @Test func aStuckCallIsAbandonedAndNotRepeated() async throws {
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let key = "open \(fifo)"
        let first = await AbandonableCall.run(key: key, timeout: 0.2) { open(fifo, O_RDONLY) }
        guard case .timedOut = first else { Issue.record("expected a timeout, got \(first)"); return }
        let second = await AbandonableCall.run(key: key, timeout: 5) { open(fifo, O_RDONLY) }
        guard case .stillStuck = second else { Issue.record("expected stillStuck, got \(second)"); return }
        // A writer releases the stuck open; then the key is free again.
        let writer = open(fifo, O_WRONLY)
        #expect(writer >= 0)
        var freed = false
        for _ in 0..<500 where !freed {
            if case .done(let fd) = await AbandonableCall.run(key: key, timeout: 5, { open(fifo, O_RDONLY | O_NONBLOCK) }) {
                freed = true
                close(fd)
            } else {
                await Task.yield()
            }
        }
        close(writer)
        #expect(freed)
    }

    @Test func statvfsFiguresThatCannotBeTrueNeverTrap() {
        let broken = FilesystemUsage(blocks: 10, blocksFree: 20, blocksAvailable: .max, blockSize: 4096, files: 1, filesFree: 2)
        #expect(broken.usedPercent == nil)
        #expect(broken.inodesUsedPercent == nil)
        let huge = FilesystemUsage(blocks: .max, blocksFree: 0, blocksAvailable: .max, blockSize: 4096, files: 0, filesFree: 0)
        #expect(huge.usedPercent == 50)
    }

    @Test func meminfoSumsAbove64BitsNeverTrap() throws {
        let info = try MemInfo.parse("MemTotal: 1000 kB\nMemFree: 18446744073709551615 kB\nBuffers: 10 kB\nCached: 10 kB\n")
        #expect(info.available == nil)
        #expect(info.usedPercent == nil)
        let swap = try MemInfo.parse("MemTotal: 1000 kB\nMemAvailable: 500 kB\nSwapTotal: 99999999999999999999999 kB\nSwapFree: 1 kB\n")
        #expect(swap.unreadable["SwapTotal"] == "99999999999999999999999")
    }
}
