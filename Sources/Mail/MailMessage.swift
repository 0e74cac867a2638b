import Foundation

/// A complete RFC 5322 message with MIME parts: multipart/mixed holding multipart/alternative
/// (plain text and HTML) and attachments. Non-ASCII subjects and names are RFC 2047 encoded.
public struct MailMessage: Sendable {
    public struct Attachment: Sendable {
        public var filename: String
        public var contentType: String
        public var data: Data

        public init(filename: String, contentType: String, data: Data) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: String
    public var to: [String]
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment] = []
    /// Stable per report ("<run-id.kind@inspect.host>"): a resend is recognisable.
    public var messageID: String
    public var date: Date

    public init(from: String, to: [String], subject: String, text: String, html: String? = nil,
                attachments: [Attachment] = [], messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
    }

    /// The message as sent, CRLF line ends.
    public func rendered(boundarySeed: String = UUID().uuidString) -> Data {
        let mixed = "mixed-\(boundarySeed)", alternative = "alt-\(boundarySeed)"
        var out = ""
        func line(_ s: String) { out += s + "\r\n" }
        line("From: \(MailMessage.encodeAddress(from))")
        line("To: \(to.map(MailMessage.encodeAddress).joined(separator: ", "))")
        line("Subject: \(MailMessage.encodeHeader(subject))")
        line("Date: \(MailMessage.rfc5322Date(date))")
        line("Message-ID: \(messageID)")
        line("MIME-Version: 1.0")
        line("X-Mailer: inspect")
        line("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
        line("")
        line("--\(mixed)")
        line("Content-Type: multipart/alternative; boundary=\"\(alternative)\"")
        line("")
        line("--\(alternative)")
        part(&out, contentType: "text/plain; charset=utf-8", data: Data(text.utf8), disposition: nil)
        if let html {
            line("--\(alternative)")
            part(&out, contentType: "text/html; charset=utf-8", data: Data(html.utf8), disposition: nil)
        }
        line("--\(alternative)--")
        for a in attachments {
            line("--\(mixed)")
            part(&out, contentType: "\(a.contentType); name=\"\(MailMessage.encodeHeader(a.filename))\"", data: a.data,
                 disposition: "attachment; filename=\"\(MailMessage.encodeHeader(a.filename))\"")
        }
        line("--\(mixed)--")
        return Data(out.utf8)
    }

    private func part(_ out: inout String, contentType: String, data: Data, disposition: String?) {
        out += "Content-Type: \(contentType)\r\n"
        out += "Content-Transfer-Encoding: base64\r\n"
        if let disposition { out += "Content-Disposition: \(disposition)\r\n" }
        out += "\r\n"
        // Base64 in lines of 76 characters (RFC 2045).
        let encoded = data.base64EncodedString()
        var i = encoded.startIndex
        while i < encoded.endIndex {
            let next = encoded.index(i, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            out += encoded[i..<next] + "\r\n"
            i = next
        }
    }

    /// RFC 2047 encoded-word for non-ASCII text ("=?UTF-8?B?...?="), split so no word exceeds 75 characters.
    public static func encodeHeader(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) else { return text }
        var words: [String] = []
        var chunk = Data()
        for ch in text {
            let bytes = Data(String(ch).utf8)
            if chunk.count + bytes.count > 45 {   // 45 bytes -> 60 base64 characters
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// "技术主管 <boss@example.com>": the display name encoded, the address as is.
    static func encodeAddress(_ address: String) -> String {
        guard let lt = address.firstIndex(of: "<") else { return address }
        let name = address[..<lt].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? String(address[lt...]) : "\(encodeHeader(name)) \(address[lt...])"
    }

    /// The bare address of "Name <addr>" or "addr".
    public static func bareAddress(_ address: String) -> String {
        if let lt = address.firstIndex(of: "<"), let gt = address.lastIndex(of: ">"), lt < gt {
            return String(address[address.index(after: lt)..<gt]).trimmingCharacters(in: .whitespaces)
        }
        return address.trimmingCharacters(in: .whitespaces)
    }

    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss +0000"
        return f.string(from: date)
    }
}
