import Foundation
import Testing
import TestPeers
@testable import Probes
@testable import ProcFS

/// The sd-journal reader on real journal files, written by Debian's systemd-journal-remote
/// from journal export format.
struct JournalTests {
    static let converter = "/lib/systemd/systemd-journal-remote"

    func journal(_ entries: [(usec: Int, priority: Int, ident: String, message: String)]) throws -> String {
        try Self.journal(entries.map { ($0.usec, "PRIORITY=\($0.priority)\nSYSLOG_IDENTIFIER=\($0.ident)\nMESSAGE=\($0.message)") })
    }

    /// A directory holding one journal file with these entries (time in µs, then export-format fields).
    static func journal(_ entries: [(usec: Int, fields: String)]) throws -> String {
        let dir = NSTemporaryDirectory() + "inspect-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let export = entries.map {
            "__REALTIME_TIMESTAMP=\($0.usec)\n__MONOTONIC_TIMESTAMP=\($0.usec % 1_000_000_000)\n_BOOT_ID=0123456789abcdef0123456789abcdef\n\($0.fields)\n\n"
        }.joined()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        process.arguments = ["-o", "\(dir)/test.journal", "-"]
        let input = try Spawning.start(process) {
            let input = Pipe()
            process.standardInput = input
            process.standardError = FileHandle.nullDevice
            return input
        }
        input.fileHandleForWriting.write(Data(export.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return dir
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: converter), "needs systemd-journal-remote (Scripts/test.sh installs it)"))
    func readsErrorsSinceAPointInTime() throws {
        let dir = try journal([
            (1_795_000_001_000_000, 3, "smartd", "Device: /dev/sda, 8 Currently unreadable (pending) sectors"),
            (1_795_000_002_000_000, 6, "cron", "info only"),
            (1_795_000_003_000_000, 2, "kernel", "EXT4-fs error (device sda1)"),
            (1_795_000_004_000_000, 3, "smartd", "Device: /dev/sda, 8 Currently unreadable (pending) sectors"),
        ])
        let all = try Journal.read(since: 1_795_000_000, directory: dir)
        #expect(all.map(\.priority) == [3, 2, 3])           // the info message is not matched
        #expect(all[0].text == "smartd: Device: /dev/sda, 8 Currently unreadable (pending) sectors")
        #expect(all[0].time == 1_795_000_001)
        let later = try Journal.read(since: 1_795_000_002.5, directory: dir)
        #expect(later.map(\.priority) == [2, 3])
        let summary = LogSummary.summarise(all, since: 0, source: "journal")
        #expect(summary.errors == 2 && summary.critical == 1)
        #expect(summary.top.first?.count == 2)
    }

    @Test func emptyJournalIsAnErrorNotZeroMessages() throws {
        let dir = NSTemporaryDirectory() + "inspect-journal-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(throws: ProcError.self) { try Journal.read(since: 0, directory: dir) }
    }
}
