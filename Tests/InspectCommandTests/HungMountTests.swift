import Foundation
import Testing
import TestPeers

/// A filesystem whose statfs never answers (a dead NFS server), made with FUSE in a private mount
/// namespace: the thread that asks is stuck for good, and not even SIGKILL frees it. The agent
/// must report the mount UNKNOWN, keep polling everything else, exit at its deadline and honour
/// SIGTERM.
@Suite(.serialized, .enabled(if: HTTPPeer.available, "needs /usr/bin/python3 with cryptography"))
struct HungMountTests {
    static let script = CommandRunner.repo.appendingPathComponent("Tests/TestPeers/hung_fs.py").path

    /// `unshare` arguments that mount the hung filesystem at `mount`, wait for it, then exec
    /// `inspect` with `arguments` inside the namespace (its pid stays the one we started).
    static func inNamespace(mount: String, pidFile: String, _ arguments: [String]) -> [String] {
        ["-m", "--propagation", "private", "/bin/sh", "-c",
         """
         /usr/bin/python3 "$0" "$1" "$2" </dev/null >/dev/null 2>"$2.log" &
         i=0; while [ ! -e "$2" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
         shift 2; exec "$@"
         """, script, mount, pidFile, CommandRunner.binary] + arguments
    }

    static func stopFilesystem(_ pidFile: String) {
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text) { kill(pid, SIGKILL) }
    }

    @Test func nowReportsTheMountUnknownAndExitsAtItsDeadline() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let mount = dir + "/dead-nfs"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        defer { Self.stopFilesystem(dir + "/fs.pid") }
        let result = try await CommandRunner.run(
            Self.inNamespace(mount: mount, pidFile: dir + "/fs.pid",
                             ["now", "--config", try CommandRunner.config(in: dir), "--spool", dir + "/s", "--state", dir + "/t",
                              "--cpu-window", "0.05", "--deadline", "5"]),
            timeout: 60, executable: "/usr/bin/unshare")
        #expect(FileManager.default.fileExists(atPath: dir + "/fs.pid"), "the FUSE mount did not come up: \((try? String(contentsOfFile: dir + "/fs.pid.log", encoding: .utf8)) ?? "")")
        // Exited by itself (the runner's own timeout would have sent SIGTERM: status 15).
        #expect(result.status == 1 || result.status == 2, "\(result.status) \(result.stderr)")
        #expect(result.stdout.contains("statvfs(\(mount)): no answer within 2 s"), "\(result.stdout)")
        // The rest of the host was still read.
        #expect(result.stdout.contains("SXKR-001") && result.stdout.contains("Filesystem usage /"), "\(result.stdout)")
    }

    @Test func theDaemonKeepsPollingAndStopsOnSIGTERM() async throws {
        let peer = try DaemonTests.peer.get()
        let switchName = "hung-mount"
        try peer.flip(switchName, to: 200)
        let dir = CommandRunner.temporaryDirectory()
        let mount = dir + "/dead-nfs"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        defer { Self.stopFilesystem(dir + "/fs.pid") }
        let config = try CommandRunner.webConfig(in: dir, targets: ["{id: web, address: \"\(peer.url("/flip?name=\(switchName)"))\", http: {timeout: 2s}}"],
                                                 local: "{id: test-host, interval: 3s}", checklists: ["web", "server"])
        let process = try Launcher.start("/usr/bin/unshare", Self.inNamespace(mount: mount, pidFile: dir + "/fs.pid",
            ["run", "--config", config, "--interval", "0.2s", "--cpu-window", "0.05", "--spool", dir + "/spool", "--state", dir + "/state"]),
            log: dir + "/daemon.log")
        let daemon = DaemonTests.Daemon(process: process, dir: dir)
        defer { daemon.signal(SIGKILL) }
        #expect(await daemon.waitFor("running"), "\(daemon.log)")
        // The local host has met the hung mount (a statfs child is stuck on it) before the outage.
        #expect(await waitForStuckStatfs(mount), "\(daemon.log)")
        try peer.flip(switchName, to: 503)
        #expect(await waitForWebEvents(dir, ["raised"]), "\(daemon.log)")
        try peer.flip(switchName, to: 200)
        #expect(await waitForWebEvents(dir, ["raised", "cleared"]), "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 15) == 0, "\(daemon.log)")
    }

    /// A `stat -f` of the mount is blocked in the kernel (its process is in /proc).
    func waitForStuckStatfs(_ mount: String, timeout: Double = 30) async -> Bool {
        await waitUntil(timeout: timeout, interval: 0.1) {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
            return pids.contains { pid in
                let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
                return command.contains("stat") && command.contains(mount)
            }
        }
    }

    /// The web target's events (the local host may raise its own, depending on the machine).
    func waitForWebEvents(_ dir: String, _ states: [String], timeout: Double = 30) async -> Bool {
        await waitUntil(timeout: timeout) {
            DaemonTests.events(dir).filter { $0["target"] as? String == "web" }.map { $0["state"] as? String ?? "" } == states
        }
    }
}
