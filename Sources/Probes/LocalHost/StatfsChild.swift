import CSpawn
import Foundation
import ProcFS

/// statvfs of one mount, asked of a child process (`stat -f`). A thread blocked in statfs on a
/// dead NFS server or a stuck FUSE daemon cannot be killed, not even by SIGKILL, and a process
/// does not end while one of its threads is blocked so: `inspect now` would print its report and
/// never exit, and the daemon would ignore SIGTERM. A stuck child is simply left behind; it holds
/// none of our descriptors (its stdin and stderr are /dev/null, its stdout a pipe of our own).
public enum StatfsChild {
    static let statTool = "/usr/bin/stat"
    private static let spawnLock = NSLock()

    public enum Answer: Sendable, Equatable {
        case usage(FilesystemUsage)
        /// stat could not be started or said something else; the reason.
        case failed(String)
    }

    /// Blocking: spawns `stat -f`, reads its answer and reaps it. Call it on a thread you can
    /// abandon (AbandonableCall): the read blocks for as long as the filesystem does.
    public static func ask(_ path: String) -> Answer {
        // Pipe, close-on-exec and spawn under one lock: another of these spawns must not inherit
        // this pipe's write end (our read would then wait for that child as well).
        spawnLock.lock()
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            spawnLock.unlock()
            return .failed("pipe: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else: a caller's pipe (Nagios reading our output) must not stay open in a
        // child stuck in the kernel, or the caller waits for it too.
        inspector_spawn_closefrom(&actions, 3)
        let argv = [statTool, "-f", "-c", "%b %f %a %S %c %d", "--", path]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var env: [UnsafeMutablePointer<CChar>?] = [strdup("LC_ALL=C"), nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, statTool, &actions, nil, &cArgs, &env)
        close(pipeFDs[1])
        spawnLock.unlock()
        guard spawned == 0 else {
            close(pipeFDs[0])
            return .failed("\(statTool) could not be started: \(String(cString: strerror(spawned)))")
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let n = read(pipeFDs[0], &buffer, buffer.count)
            if n > 0 { output.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(pipeFDs[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return parse(String(decoding: output, as: UTF8.self))
    }

    /// "blocks free available blocksize files filesfree", as the format above prints them.
    static func parse(_ text: String) -> Answer {
        let fields = text.split(whereSeparator: \.isWhitespace).compactMap { UInt64($0) }
        guard fields.count == 6 else { return .failed("stat -f answered \"\(text.prefix(80))\"") }
        return .usage(FilesystemUsage(blocks: fields[0], blocksFree: fields[1], blocksAvailable: fields[2],
                                      blockSize: fields[3], files: fields[4], filesFree: fields[5]))
    }
}
