import ArgumentParser
import Foundation
import InspectorApp
import Probes
import Spool

/// `inspect smart-snapshot`: root's half of SMART for the daemon. smartctl opens the disks only as
/// root; the daemon runs as `inspect`. inspect-smart.timer runs this as root every 30 min and the
/// daemon reads the snapshot (SXKR-010), as long as it is under 2 h old.
struct SmartSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smart-snapshot",
        abstract: "Read every disk's SMART with smartctl and keep the answers for the daemon.",
        discussion: """
        Runs smartctl --scan-open, then smartctl --json -a on each disk found, and writes what \
        smartctl answered to FILE (atomically, mode 644). Run as root, by inspect-smart.timer. \
        Without smartctl, or not as root, the snapshot says so and the daemon's report gives the reason.
        """)

    @Option(name: .long, help: ArgumentHelp("Where to write the snapshot.", valueName: "file"))
    var out = ResolvedPaths.smartSnapshot()

    func run() async throws {
        let snapshot = await SmartCollector().take()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try AtomicFile.write(try encoder.encode(snapshot), to: out, mode: 0o644)
        } catch {
            FileHandle.standardError.write(Data("inspect smart-snapshot: \(error)\n".utf8))
            throw ExitCode(73)
        }
        let failed = snapshot.disks.filter { $0.answer.output == nil }.count
        print("\(out): \(snapshot.disks.count) disk(s)" + (failed > 0 ? ", \(failed) without an answer" : "")
              + (snapshot.installed ? "" : " (smartctl is not installed)") + (snapshot.root ? "" : " (not root: smartctl opens no disk)"))
    }
}
