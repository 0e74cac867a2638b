import CSystemd
import Foundation
import ProcFS

/// The systemd journal, read in-process through sd-journal (no journalctl process per run).
public enum Journal {
    /// Entries are capped so that a log storm cannot make one inspection slow or large.
    public static let maximumEntries = 50_000

    /// True when this host keeps a journal: the live root and a journal directory.
    public static func available(_ root: SystemRoot) -> Bool {
        root.isLive && (root.exists("/var/log/journal") || root.exists("/run/log/journal"))
    }

    /// Messages at err or worse (priorities 0-3) since `since`, seconds since the epoch, from
    /// the local journal or from the journal files in `directory`.
    public static func read(since: Double, directory: String? = nil) throws(ProcError) -> [LogMessage] {
        var handle: OpaquePointer?
        let opened = directory.map { sd_journal_open_directory(&handle, $0, 0) } ?? sd_journal_open(&handle, Int32(SD_JOURNAL_LOCAL_ONLY))
        guard opened >= 0, let journal = handle else {
            throw .unreadable("journal", String(cString: strerror(-opened)))
        }
        defer { sd_journal_close(journal) }
        // An empty journal (journald not running, or nothing persisted) says nothing: not "0 errors".
        sd_journal_seek_head(journal)
        guard sd_journal_next(journal) > 0 else { throw .unreadable("the journal", "it has no entries (journald not running, or not persistent)") }
        for priority in 0...3 { sd_journal_add_match(journal, "PRIORITY=\(priority)", 0) }
        sd_journal_seek_realtime_usec(journal, UInt64(max(0, since) * 1_000_000))
        var messages: [LogMessage] = []
        while messages.count < maximumEntries, sd_journal_next(journal) > 0 {
            var usec: UInt64 = 0
            guard sd_journal_get_realtime_usec(journal, &usec) >= 0 else { continue }
            let priority = field(journal, "PRIORITY").flatMap { Int($0) } ?? 3
            let ident = field(journal, "SYSLOG_IDENTIFIER").map { "\($0): " } ?? ""
            messages.append(LogMessage(priority: priority, time: Double(usec) / 1_000_000, text: ident + (field(journal, "MESSAGE") ?? "")))
        }
        return messages
    }

    /// How a unit's last start ended, as systemd (PID 1) logged it: its job's result ("done" or
    /// why not) or the unit's failure result ("exit-code"), with the time; nil when the journal
    /// (or the newest `lookBack` entries about the unit) holds none. `systemctl show` forgets a
    /// oneshot unit's run once the unit is unloaded; the journal keeps it.
    public static func lastRun(unit: String, directory: String? = nil, lookBack: Int = 2_000) -> (time: Double, result: String)? {
        var handle: OpaquePointer?
        let opened = directory.map { sd_journal_open_directory(&handle, $0, 0) } ?? sd_journal_open(&handle, Int32(SD_JOURNAL_LOCAL_ONLY))
        guard opened >= 0, let journal = handle else { return nil }
        defer { sd_journal_close(journal) }
        sd_journal_add_match(journal, "UNIT=\(unit)", 0)
        sd_journal_add_match(journal, "_PID=1", 0)
        sd_journal_seek_tail(journal)
        var seen = 0
        while seen < lookBack, sd_journal_previous(journal) > 0 {
            seen += 1
            var usec: UInt64 = 0
            guard sd_journal_get_realtime_usec(journal, &usec) >= 0 else { continue }
            let time = Double(usec) / 1_000_000
            if let failed = field(journal, "UNIT_RESULT") { return (time, failed) }
            if field(journal, "JOB_TYPE") == "start", let result = field(journal, "JOB_RESULT") { return (time, result) }
        }
        return nil
    }

    /// One field of the current entry; sd-journal hands out "NAME=value" bytes.
    static func field(_ journal: OpaquePointer, _ name: String) -> String? {
        var data: UnsafeRawPointer?
        var length = 0
        guard sd_journal_get_data(journal, name, &data, &length) >= 0, let data else { return nil }
        let bytes = UnsafeRawBufferPointer(start: data, count: length).dropFirst(name.utf8.count + 1)
        return String(decoding: bytes, as: UTF8.self)
    }
}
