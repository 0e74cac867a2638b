import Foundation
import Testing
@testable import ProcFS

struct ParserTests {
    @Test func procStatBusyExcludesIowait() throws {
        let a = try ProcStat.parse("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 100 0 100 700 100 0 0 0 0 0\nbtime 1700000000\n")
        let b = try ProcStat.parse("cpu  150 0 150 750 200 0 0 0 0 0\ncpu0 150 0 150 750 200 0 0 0 0 0\nbtime 1700000000\n")
        let u = try #require(utilisation(from: a.total, to: b.total))
        #expect(u.busy == 40)     // 100 busy jiffies of 250 (50 idle, 100 iowait)
        #expect(u.iowait == 40)
        #expect(a.cores.count == 1 && a.bootTime == 1_700_000_000)
    }

    @Test func counterGoingBackwardsGivesNoFigure() throws {
        let a = try ProcStat.parse("cpu  200 0 0 800 0 0 0 0\n"), b = try ProcStat.parse("cpu  100 0 0 900 0 0 0 0\n")
        #expect(utilisation(from: a.total, to: b.total) == nil)
    }

    @Test(arguments: ["", "garbage\n", "cpu  1 2\n", "cpu  a b c d\n"])
    func procStatRejectsGarbage(text: String) {
        #expect(throws: ProcError.self) { try ProcStat.parse(text) }
    }

    @Test func memInfoUsesMemAvailable() throws {
        let m = try MemInfo.parse("MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\nSwapTotal: 200 kB\nSwapFree: 50 kB\n")
        #expect(m.usedPercent == 75)
        #expect(m.swapUsedPercent == 75)
    }

    @Test func memInfoWithoutMemAvailableFallsBackToFreeBuffersCached() throws {
        let m = try MemInfo.parse("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 300 kB\nSwapTotal: 0 kB\n")
        #expect(m.usedPercent == 50)
        #expect(m.swapUsedPercent == nil)
    }

    @Test func mountsUnescapeAndSkipPseudo() {
        let entries = Mounts.parse("/dev/sda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/sdb /srv/my\\040data xfs ro 0 0\n/dev/sda1 / ext4 ro 0 0\n")
        #expect(entries[2].mountPoint == "/srv/my data" && entries[2].readOnly)
        let real = Mounts.real(entries)
        #expect(real.map(\.mountPoint) == ["/", "/srv/my data"])
        #expect(real[0].readOnly)     // the later mount over / hides the first
    }

    @Test func bindMountsAreCountedOnceLikeDf() {
        let entries = Mounts.parse("""
        /dev/vda /run/netns ext4 rw 0 0
        /dev/vda / ext4 rw 0 0
        /dev/vdb /srv xfs rw 0 0
        /dev/sda2 /home btrfs rw,subvol=/home 0 0
        /dev/sda2 /data btrfs rw,subvol=/data 0 0
        """)
        #expect(Mounts.real(entries).map(\.mountPoint) == ["/", "/srv", "/home", "/data"])
    }

    @Test func statvfsUsedPercentMatchesDf() {
        // df: used = blocks - bfree = 40; used% = 40 / (40 + 50 available) = 44.4 %
        let u = FilesystemUsage(blocks: 100, blocksFree: 60, blocksAvailable: 50, blockSize: 4096, files: 10, filesFree: 4)
        #expect(abs(u.usedPercent! - 44.444) < 0.01)
        #expect(u.inodesUsedPercent == 60)
        #expect(FilesystemUsage(blocks: 0, blocksFree: 0, blocksAvailable: 0, blockSize: 4096, files: 0, filesFree: 0).usedPercent == nil)
    }

    @Test func loadAndUptime() throws {
        #expect(try LoadAvg.parse("0.50 1.25 2.00 1/100 42\n").fifteen == 2)
        #expect(throws: ProcError.self) { try LoadAvg.parse("0.5") }
        #expect(try parseUptime("12.5 40.0\n") == 12.5)
        #expect(throws: ProcError.self) { try parseUptime("") }
    }

    @Test func kernelMessagesCarryPriorityAndWallTime() {
        let text = "3,10,5000000,-;disk error\n SUBSYSTEM=scsi\n30,11,6000000,-;daemon notice\n2,12,7000000,c;crit msg\nnot a record\n"
        let msgs = KernelMessages.parse(text, bootTime: 1000)
        #expect(msgs.map(\.priority) == [3, 6, 2])    // 30 = facility 3, level 6
        #expect(msgs[0].time == 1005)
        let summary = LogSummary.summarise(msgs, since: 1006, source: "/dev/kmsg")
        #expect(summary.errors == 0 && summary.critical == 1)
    }
}

struct NaturalOrderTests {
    @Test func digitsCompareByValue() {
        #expect(["hwmon10", "hwmon2", "hwmon1", "fan", "fan1_min"].sorted(by: naturalOrder) == ["fan", "fan1_min", "hwmon1", "hwmon2", "hwmon10"])
        #expect(["cpu11", "cpu9", "cpu"].sorted(by: naturalOrder) == ["cpu", "cpu9", "cpu11"])
    }
}
