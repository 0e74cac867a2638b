import Foundation
import Testing
import TestPeers

/// Children that tests start at the same moment inherit none of each other's pipes and sockets
/// (Spawning).
/// A child holding another's stdout pipe or exit socket kept that command's reader waiting and
/// its child unreaped for as long as it lived: a fresh-clone run once hung that way.
struct SpawningTests {
    final class Started: @unchecked Sendable {
        let lock = NSLock()
        var children: [(Process, Pipe)] = []
    }

    @Test func childrenStartedAtOnceHoldNoneOfEachOthersDescriptors() throws {
        let started = Started()
        // As in the full suite, where hundreds of descriptors are open: Foundation's window
        // between listing them and spawning grows with their count. At most half the limit, so
        // that the pipes below can still be made.
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let open = (0..<min(2_000, Int(limit.rlim_cur) / 2)).map { _ in Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC) }
        defer { open.forEach { close($0) } }
        // Four threads at once, each starting children whose stdout is a pipe of their own.
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<25 {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: "/bin/sleep")
                child.arguments = ["60"]
                guard let out = try? Spawning.start(child, prepare: { () -> Pipe in
                    let out = Pipe()
                    child.standardOutput = out
                    return out
                }) else { continue }
                started.lock.withLock { started.children.append((child, out)) }
            }
        }
        let children = started.children
        defer {
            for (child, _) in children { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() }
        }
        #expect(children.count == 100)
        // What each child holds above stdin, stdout and stderr, by name (pipe:[inode], socket:[inode]).
        func name(_ fd: Int32, in pid: Int32 = getpid()) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)") }
        let pipes = Set(children.compactMap { name($0.1.fileHandleForReading.fileDescriptor) })
        #expect(pipes.count == children.count)
        var holders: [String: [Int32]] = [:]
        for (child, _) in children {
            let pid = child.processIdentifier
            let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap(Int32.init).filter { $0 > 2 }
            for held in Set(fds.compactMap { name($0, in: pid) }) { holders[held, default: []].append(pid) }
        }
        // Each child holds one socket of its own: the one Foundation watches to learn that it exited.
        // Another child's stdout, or a socket two children hold, is a leak. (Descriptors of other
        // suites may reach one child for reasons of their own; they are not looked for.)
        let leaked = holders.filter { held, pids in pipes.contains(held) || (held.hasPrefix("socket:") && pids.count > 1) }
        #expect(leaked.isEmpty, "held by children not their own: \(leaked)")
    }
}
