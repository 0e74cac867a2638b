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

    public enum Answer: Sendable, Equatable {
        case usage(FilesystemUsage)
        /// stat could not be started or said something else; the reason.
        case failed(String)
    }

    /// Blocking: spawns `stat -f` (ChildOutput), reads its answer and reaps it. Call it on a thread
    /// you can abandon (AbandonableCall): the read blocks for as long as the filesystem does.
    public static func ask(_ path: String) -> Answer {
        switch ChildOutput.run(statTool, ["-f", "-c", "%b %f %a %S %c %d", "--", path]) {
        case .success(let answer): return parse(answer.output)
        case .failure(let failure): return .failed(failure.description)
        }
    }

    /// "blocks free available blocksize files filesfree", as the format above prints them.
    static func parse(_ text: String) -> Answer {
        let fields = text.split(whereSeparator: \.isWhitespace).compactMap { UInt64($0) }
        guard fields.count == 6 else { return .failed("stat -f answered \"\(text.prefix(80))\"") }
        return .usage(FilesystemUsage(blocks: fields[0], blocksFree: fields[1], blocksAvailable: fields[2],
                                      blockSize: fields[3], files: fields[4], filesFree: fields[5]))
    }
}
