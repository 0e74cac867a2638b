import Foundation
import Testing
import TestPeers

/// A full spool disk: a clear log line, no crash, events kept and delivered once there is room.
/// The spool sits on a small tmpfs the test mounts (the tests run as root).
@Suite(.serialized, .enabled(if: getuid() == 0 && HTTPPeer.available, "needs root (to mount a tmpfs) and the HTTP peer"))
struct DiskFullTests {
    @Test func eventsWaitForRoomAndArriveOnce() async throws {
        let switchName = "diskfull"
        let peer = try DaemonTests.peer.get()
        try peer.flip(switchName, to: 200)
        let dir = CommandRunner.temporaryDirectory()
        let spool = dir + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=256k", "tmpfs", spool]
        try Spawning.start(mount)
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mount failed")
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = ["-l", spool]
            try? Spawning.start(umount)
            umount.waitUntilExit()
        }
        // Fill the disk, leaving no room for an event.
        let filler = spool + "/filler"
        FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        let chunk = Data(repeating: 0x41, count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        try? handle.close()

        let config = try DaemonTests().config(dir: dir, switchName: switchName)
        let daemon = try DaemonTests.Daemon.start(dir: dir, config: config)
        defer { daemon.signal(SIGKILL) }
        #expect(await daemon.waitFor("running"), "\(daemon.log)")
        try peer.flip(switchName, to: 500)
        #expect(await daemon.waitFor("cannot persist alerts"), "\(daemon.log)")
        #expect(daemon.log.contains("No space left on device"))
        // Three more polls on the full disk: still running, nothing delivered.
        let polled = peer.hits(switchName)
        #expect(await waitUntil(timeout: 30) { peer.hits(switchName) >= polled + 3 })
        #expect(daemon.process.isRunning)
        #expect(DaemonTests.events(dir).isEmpty)
        // Room again: the kept event arrives, once.
        try FileManager.default.removeItem(atPath: filler)
        #expect(await daemon.waitFor("being written again"), "\(daemon.log)")
        let events = DaemonTests.events(dir)
        #expect(events.map { $0["state"] as? String } == ["raised"])
        // The error was logged once, not on every tick.
        #expect(daemon.log.components(separatedBy: "cannot persist alerts").count - 1 == 1, "\(daemon.log)")
        try peer.flip(switchName, to: 200)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
