import Foundation
import Logging

/// Log lines on stderr. Under systemd (JOURNAL_STREAM set) each line starts with the syslog
/// priority in angle brackets, which journald turns into the entry's priority.
struct StderrLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .notice
    var metadata: Logger.Metadata = [:]
    /// journald is on the other end of stderr (read once for the process).
    static let journal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { _, new in new }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let prefix = Self.journal ? "<\(Self.priority(level))>" : "inspect: \(level): "
        let text = prefix + "\(message)" + (fields.isEmpty ? "" : " " + fields) + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
