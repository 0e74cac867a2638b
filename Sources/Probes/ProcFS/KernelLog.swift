import Foundation

/// One log message with its syslog priority (0 emerg ... 3 err ... 7 debug).
public struct LogMessage: Sendable, Equatable {
    public var priority: Int
    /// Seconds since the epoch.
    public var time: Double
    public var text: String
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
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.first == " " { continue }
            guard let semicolon = line.firstIndex(of: ";") else { continue }
            let header = line[..<semicolon].split(separator: ",")
            guard header.count >= 3, let pri = Int(header[0]), let usec = Double(header[2]) else { continue }
            out.append(LogMessage(priority: pri & 7, time: bootTime + usec / 1_000_000,
                                  text: String(line[line.index(after: semicolon)...])))
        }
        return out
    }

    /// Reads the live /dev/kmsg (one record per read(2), non-blocking until EAGAIN) or, in a
    /// recorded tree, a regular file of the same format.
    public static func read(_ root: SystemRoot) throws(ProcError) -> String {
        let path = root.resolve("/dev/kmsg")
        var info = stat()
        guard stat(path, &info) == 0 else { throw .missing("/dev/kmsg") }
        if (info.st_mode & S_IFMT) == S_IFREG { return try root.read("/dev/kmsg") }
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
            } else {
                break     // EAGAIN: end of buffer
            }
        }
        return text
    }
}

/// systemd journal through `journalctl` (JSON lines).
public enum Journal {
    public static func parse(_ text: String) -> [LogMessage] {
        text.split(separator: "\n").compactMap { line in
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let pri = (object["PRIORITY"] as? String).flatMap({ Int($0) }),
                  let usec = (object["__REALTIME_TIMESTAMP"] as? String).flatMap({ Double($0) }) else { return nil }
            // MESSAGE is an array of bytes when it is not valid UTF-8.
            let text: String
            if let s = object["MESSAGE"] as? String { text = s }
            else if let bytes = object["MESSAGE"] as? [Int] { text = String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self) }
            else { text = "" }
            let ident = (object["SYSLOG_IDENTIFIER"] as? String).map { "\($0): " } ?? ""
            return LogMessage(priority: pri, time: usec / 1_000_000, text: ident + text)
        }
    }

    /// True when this host keeps a journal that journalctl can read.
    public static func available(_ root: SystemRoot) -> Bool {
        root.isLive && FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl")
            && (root.exists("/var/log/journal") || root.exists("/run/log/journal"))
    }

    /// Messages at err or worse since `since` (epoch seconds), with a time limit.
    public static func read(since: Double, timeout: Double) throws(ProcError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        process.arguments = ["--priority=0..3", "--since=@\(Int(since))", "--output=json", "--no-pager",
                             "--quiet", "--output-fields=PRIORITY,MESSAGE,SYSLOG_IDENTIFIER"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw .unreadable("journalctl", "\(error)") }
        let deadline = DispatchTime.now() + timeout
        DispatchQueue.global().asyncAfter(deadline: deadline) { if process.isRunning { process.terminate() } }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw .unreadable("journalctl", "exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
