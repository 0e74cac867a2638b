import Foundation

/// One log message with its syslog priority (0 emerg ... 3 err ... 7 debug).
public struct LogMessage: Sendable, Equatable {
    public var priority: Int
    /// Seconds since the epoch.
    public var time: Double
    public var text: String

    public init(priority: Int, time: Double, text: String) {
        self.priority = priority
        self.time = time
        self.text = text
    }
}

/// Counts of messages at err or worse since a point in time, with the most frequent as evidence.
public struct LogSummary: Sendable, Equatable {
    public var source: String
    public var since: Double
    public var errors: Int            // priority 3
    public var critical: Int          // priorities 0-2
    public var top: [(text: String, count: Int)]

    public static func == (a: LogSummary, b: LogSummary) -> Bool {
        a.source == b.source && a.since == b.since && a.errors == b.errors && a.critical == b.critical
            && a.top.map(\.text) == b.top.map(\.text) && a.top.map(\.count) == b.top.map(\.count)
    }

    public static func summarise(_ messages: [LogMessage], since: Double, source: String, top n: Int = 5) -> LogSummary {
        let relevant = messages.filter { $0.priority <= 3 && $0.time >= since }
        var counts: [String: Int] = [:]
        var firstSeen: [String] = []
        for m in relevant {
            if counts[m.text] == nil { firstSeen.append(m.text) }
            counts[m.text, default: 0] += 1
        }
        let top = firstSeen.map { ($0, counts[$0]!) }.sorted { $0.1 > $1.1 }.prefix(n)
        return LogSummary(source: source, since: since,
                          errors: relevant.filter { $0.priority == 3 }.count,
                          critical: relevant.filter { $0.priority < 3 }.count,
                          top: top.map { (text: $0.0, count: $0.1) })
    }
}

/// The kernel ring buffer in /dev/kmsg's format: "PRI,SEQ,USEC,FLAGS;text", continuation
/// lines (" KEY=value") after a record. PRI carries the facility in its upper bits.
public enum KernelMessages {
    public static func parse(_ text: String, bootTime: Double) -> [LogMessage] {
        var out: [LogMessage] = []
        // Byte-level: the header is ASCII; only the message text is decoded.
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let first = line.first, first != UInt8(ascii: " "),
                  let semicolon = line.firstIndex(of: UInt8(ascii: ";")) else { continue }
            let header = line[..<semicolon].split(separator: UInt8(ascii: ","), maxSplits: 3)
            guard header.count >= 3, let pri = integer(header[0]), let usec = integer(header[2]) else { continue }
            out.append(LogMessage(priority: pri & 7, time: bootTime + Double(usec) / 1_000_000,
                                  text: String(decoding: line[line.index(after: semicolon)...], as: UTF8.self)))
        }
        return out
    }

    static func integer(_ bytes: Substring.UTF8View.SubSequence) -> Int? {
        guard !bytes.isEmpty, bytes.count < 19 else { return nil }
        var value = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    /// Reads the live /dev/kmsg (one record per read(2), non-blocking until EAGAIN) or, in a
    /// recorded tree, a regular file of the same format.
    public static func read(_ root: SystemRoot) throws(ProcError) -> String {
        let path = root.resolve("/dev/kmsg")
        var info = stat()
        guard stat(path, &info) == 0 else { throw .missing("/dev/kmsg") }
        if (info.st_mode & S_IFMT) == S_IFREG { return try root.read("/dev/kmsg") }
        guard (info.st_mode & S_IFMT) == S_IFCHR else { throw .unreadable("/dev/kmsg", "not the kernel log device (not a character device)") }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable("/dev/kmsg", String(cString: strerror(errno))) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var text = ""
        // Bounded: the ring buffer holds at most a few thousand records.
        for _ in 0..<100_000 {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                text += String(decoding: buffer[0..<n], as: UTF8.self)
                if !text.hasSuffix("\n") { text += "\n" }
            } else if n < 0 && errno == EPIPE {
                continue  // a record was overwritten while reading; the next read goes on
            } else if n < 0 && errno != EAGAIN {
                // EPERM (dmesg_restrict without CAP_SYSLOG), EINVAL...: nothing was read, which
                // must not pass for "no errors".
                throw .unreadable("/dev/kmsg", String(cString: strerror(errno)))
            } else {
                break     // EAGAIN: the end of the buffer
            }
        }
        return text
    }
}
