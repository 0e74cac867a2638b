internal import CCurl
import Foundation

/// How to reach the mail server. The password stays in memory and is never logged.
public struct SMTPSettings: Sendable {
    /// smtp://host:port (STARTTLS) or smtps://host:port (TLS from the start).
    public var url: String
    public var from: String
    public var username: String?
    public var password: String?
    public var caFile: String?
    /// STARTTLS is required on smtp:// unless this is false, which only a loopback server may ask for.
    public var requireTLS = true
    public var timeout: Double = 30

    public init(url: String, from: String) {
        self.url = url
        self.from = from
    }
}

/// What happened to one message.
public enum DeliveryOutcome: Sendable, Equatable {
    case sent
    /// Try again later (connection refused, timeout, 4xx, authentication not yet possible).
    case temporary(String)
    /// Never going to work (5xx): the message goes to failed/ with the server's answer.
    case permanent(String)
}

/// Sends one message with libcurl's SMTP, synchronously.
public struct SMTPSender: Sendable {
    public let settings: SMTPSettings

    public init(_ settings: SMTPSettings) { self.settings = settings }

    public func send(_ message: Data, from: String, to recipients: [String]) -> DeliveryOutcome {
        guard let easy = curl_easy_init() else {
            return .temporary("cannot start libcurl" + (inspector_curl_unavailable().map { ": " + String(cString: $0) } ?? ""))
        }
        defer { curl_easy_cleanup(easy) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var rcpt: UnsafeMutablePointer<curl_slist>?
        for r in recipients { rcpt = curl_slist_append(rcpt, "<\(MailMessage.bareAddress(r))>") }
        defer { curl_slist_free_all(rcpt) }
        let body = ReadContext(message)
        let s = settings
        inspector_setopt_string(easy, CURLOPT_URL, s.url)
        inspector_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        inspector_setopt_string(easy, CURLOPT_MAIL_FROM, "<\(MailMessage.bareAddress(from))>")
        inspector_setopt_pointer(easy, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(rcpt))
        inspector_setopt_long(easy, CURLOPT_UPLOAD, 1)
        inspector_setopt_long(easy, CURLOPT_INFILESIZE, message.count)
        inspector_setopt_long(easy, CURLOPT_USE_SSL, s.requireTLS ? Int(CURLUSESSL_ALL.rawValue) : Int(CURLUSESSL_NONE.rawValue))
        inspector_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(min(10, s.timeout) * 1000))
        inspector_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(s.timeout * 1000))
        inspector_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        if let ca = s.caFile { inspector_setopt_string(easy, CURLOPT_CAINFO, ca) }
        if let user = s.username { inspector_setopt_string(easy, CURLOPT_USERNAME, user) }
        if let password = s.password { inspector_setopt_string(easy, CURLOPT_PASSWORD, password) }
        inspector_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        inspector_setopt_write(easy, CURLOPT_READFUNCTION, { buffer, size, count, context in
            let ctx = Unmanaged<ReadContext>.fromOpaque(context!).takeUnretainedValue()
            let n = min(size * count, ctx.data.count - ctx.offset)
            if n > 0 {
                ctx.data.copyBytes(to: UnsafeMutableRawPointer(buffer!).assumingMemoryBound(to: UInt8.self), from: ctx.offset..<(ctx.offset + n))
                ctx.offset += n
            }
            return n
        })
        inspector_setopt_pointer(easy, CURLOPT_READDATA, Unmanaged.passUnretained(body).toOpaque())
        let code = curl_easy_perform(easy)
        var reply = 0
        inspector_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &reply)
        if code == CURLE_OK { return .sent }
        let detail = String(cString: errorBuffer)
        let why = (detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail) + (reply > 0 ? " (server replied \(reply))" : "")
        return (500...599).contains(reply) ? .permanent(why) : .temporary(why)
    }
}

final class ReadContext {
    let data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }
}
