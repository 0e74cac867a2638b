import CSpawn
import Foundation

/// Runs a tool as a child process and reads what it prints: `stat -f`, `systemctl show`,
/// `smartctl --json`. Blocking; call it on a thread you can abandon (AbandonableCall): the child may
/// block in the kernel for as long as a filesystem or a disk does. A stuck child is left behind
/// holding none of our descriptors (stdin and stderr /dev/null, stdout a pipe of our own).
public enum ChildOutput {
    private static let spawnLock = NSLock()

    public struct Answer: Sendable, Equatable {
        /// The exit status (smartctl's is a bit mask), or nil when the child was killed by a signal.
        public var status: Int32?
        public var output: String
    }

    /// nil error text: the answer; else why the tool could not be run.
    public static func run(_ tool: String, _ arguments: [String]) -> Result<Answer, ChildFailure> {
        // The pipe is close-on-exec from birth (pipe2), and made and handed on under one lock:
        // no other child, ours or a library's, may inherit its write end (our read would then
        // wait for that child as well).
        spawnLock.lock()
        var pipeFDs: [Int32] = [0, 0]
        guard inspector_pipe_cloexec(&pipeFDs) == 0 else {
            spawnLock.unlock()
            return .failure(ChildFailure(description: "pipe: \(String(cString: strerror(errno)))"))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else: a caller's pipe (Nagios reading our output) must not stay open in a
        // child stuck in the kernel, or the caller waits for it too.
        inspector_spawn_closefrom(&actions, 3)
        var cArgs = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var env: [UnsafeMutablePointer<CChar>?] = [strdup("LC_ALL=C"), strdup("SYSTEMD_COLORS=0"), strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, &cArgs, &env)
        close(pipeFDs[1])
        spawnLock.unlock()
        guard spawned == 0 else {
            close(pipeFDs[0])
            return .failure(ChildFailure(description: "\(tool) could not be started: \(String(cString: strerror(spawned)))"))
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(pipeFDs[0], &buffer, buffer.count)
            if n > 0 { output.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(pipeFDs[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        let exited = status & 0x7f == 0
        return .success(Answer(status: exited ? (status >> 8) & 0xff : nil, output: String(decoding: output, as: UTF8.self)))
    }
}

public struct ChildFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
