/// One syslog message as a network device sends it: RFC 3164 (the BSD format most switches
/// still send) or RFC 5424. Only what the inspection needs is kept: the priority, the sender's
/// own name and the text.
public struct SyslogMessage: Sendable, Equatable {
    public enum Format: String, Sendable { case rfc3164, rfc5424 }

    public var facility: Int
    /// 0 emerg, 1 alert, 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug.
    public var severity: Int
    public var format: Format
    public var hostname: String?
    public var app: String?
    /// The message text, control characters replaced by spaces.
    public var text: String

    public static let severityNames = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]
    public var severityName: String { Self.severityNames[severity] }
}

/// Why bytes were not a syslog message. Counted per source, never thrown past the receiver.
public struct SyslogMalformed: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// A lenient reader, as receivers must be: RFC 3164 says anything after the priority is a
/// message, and real devices (Cisco's "123: *Mar 1 00:00:00.000: %SYS-5-...") prove it. Only a
/// missing or impossible priority, an empty message or a truncated RFC 5424 header is malformed.
public enum SyslogParser {
    /// Longest text kept of one message; the rest is cut (a report shows lines, not dumps).
    public static let maxText = 1024

    public static func parse(_ bytes: ArraySlice<UInt8>) -> Result<SyslogMessage, SyslogMalformed> {
        var rest = bytes
        // Trailing framing left by senders: LF, CR, NUL.
        while let last = rest.last, last == 0x0A || last == 0x0D || last == 0 { rest = rest.dropLast() }
        guard rest.first == UInt8(ascii: "<") else { return .failure(.init(description: "no <PRI> at the start")) }
        rest = rest.dropFirst()
        var pri = 0, digits = 0
        while let c = rest.first, (0x30...0x39).contains(c) {
            pri = pri * 10 + Int(c - 0x30)
            digits += 1
            rest = rest.dropFirst()
            if digits > 3 { return .failure(.init(description: "priority longer than 3 digits")) }
        }
        guard digits > 0, rest.first == UInt8(ascii: ">") else { return .failure(.init(description: "no <PRI> at the start")) }
        guard pri <= 191 else { return .failure(.init(description: "priority \(pri) is above 191")) }
        rest = rest.dropFirst()
        let (facility, severity) = (pri >> 3, pri & 7)
        if rest.starts(with: [UInt8(ascii: "1"), UInt8(ascii: " ")]) {
            return rfc5424(rest.dropFirst(2), facility: facility, severity: severity)
        }
        return rfc3164(rest, facility: facility, severity: severity)
    }

    public static func parse(_ bytes: [UInt8]) -> Result<SyslogMessage, SyslogMalformed> { parse(bytes[...]) }

    /// TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG], "-" for a nil field.
    static func rfc5424(_ bytes: ArraySlice<UInt8>, facility: Int, severity: Int) -> Result<SyslogMessage, SyslogMalformed> {
        var rest = bytes
        var fields: [String?] = []
        for _ in 0..<5 {
            guard let space = rest.firstIndex(of: 0x20) else {
                return .failure(.init(description: "RFC 5424 header ends after \(fields.count + 1) of 6 fields"))
            }
            let field = String(decoding: rest[rest.startIndex..<space], as: UTF8.self)
            fields.append(field == "-" ? nil : field)
            rest = rest[(space + 1)...]
        }
        guard let sdEnd = structuredDataEnd(rest) else {
            return .failure(.init(description: "RFC 5424 structured data is not closed"))
        }
        var msg = rest[sdEnd...]
        if msg.first == 0x20 { msg = msg.dropFirst() }
        if msg.starts(with: [0xEF, 0xBB, 0xBF]) { msg = msg.dropFirst(3) }   // the UTF-8 BOM RFC 5424 allows
        let text = clean(msg)
        guard !text.isEmpty else { return .failure(.init(description: "empty message")) }
        return .success(SyslogMessage(facility: facility, severity: severity, format: .rfc5424,
                                      hostname: fields[1], app: fields[2], text: text))
    }

    /// Index after STRUCTURED-DATA: "-" or one or more [ID param="value"...] elements, where
    /// `\]` and `\"` are escaped inside values.
    static func structuredDataEnd(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>.Index? {
        var i = bytes.startIndex
        if bytes.first == UInt8(ascii: "-") { return i + 1 }
        guard bytes.first == UInt8(ascii: "[") else { return nil }
        while i < bytes.endIndex, bytes[i] == UInt8(ascii: "[") {
            var inQuotes = false
            i += 1
            while i < bytes.endIndex {
                let c = bytes[i]
                if c == UInt8(ascii: "\\"), inQuotes { i += 2; continue }
                if c == UInt8(ascii: "\"") { inQuotes.toggle() }
                if c == UInt8(ascii: "]"), !inQuotes { break }
                i += 1
            }
            guard i < bytes.endIndex else { return nil }
            i += 1
        }
        return i
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Mmm dd hh:mm:ss HOSTNAME TAG: text" when it is there; otherwise all of it is the text.
    static func rfc3164(_ bytes: ArraySlice<UInt8>, facility: Int, severity: Int) -> Result<SyslogMessage, SyslogMalformed> {
        let all = clean(bytes)
        guard !all.isEmpty else { return .failure(.init(description: "empty message")) }
        var hostname: String?, app: String?
        var text = Substring(all)
        let words = all.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        // Month, day (space-padded), time, then the host name.
        if words.count >= 5, months.contains(String(words[0])), Int(words[1]) != nil,
           words[2].count == 8, words[2].filter({ $0 == ":" }).count == 2 {
            hostname = String(words[3])
            text = words[4...].joined(separator: " ")[...]
            // A tag is a word ending in ':' or "[pid]:" (e.g. "sshd[42]:").
            if let first = text.split(separator: " ", maxSplits: 1).first, first.hasSuffix(":"), first.count > 1 {
                let tag = first.dropLast()
                app = String(tag.split(separator: "[").first ?? tag)
                text = text.dropFirst(first.count).drop { $0 == " " }
            }
        }
        return .success(SyslogMessage(facility: facility, severity: severity, format: .rfc3164,
                                      hostname: hostname, app: app, text: text.isEmpty ? all : String(text)))
    }

    /// UTF-8 (invalid sequences replaced), control characters as spaces, trimmed and cut to `maxText`.
    static func clean(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var kept = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            scalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
            kept += 1
            if kept >= maxText { break }
        }
        let text = Substring(String(scalars))
        let start = text.firstIndex { $0 != " " } ?? text.endIndex
        let end = text.lastIndex { $0 != " " }.map(text.index(after:)) ?? start
        return String(text[start..<max(start, end)])
    }
}
