internal import CCurl
import Foundation

/// Runs HTTP transfers concurrently on one thread through libcurl's multi interface. A hung
/// server costs only its own timeout; requests may be submitted from any thread or task.
public final class HTTPEngine: @unchecked Sendable {
    /// nil when libcurl could not be loaded: every request then fails with the reason.
    private let multi: UnsafeMutableRawPointer?
    /// Why this engine can make no request (dlopen's message: libcurl cannot be loaded), or nil. A
    /// probe makes its target UNKNOWN with this reason: the agent's own fault is no verdict on it.
    public let unavailable: String?
    private let lock = NSLock()
    private var pending: [Transfer] = []
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]

    /// The one engine of the process: its thread runs for the process's life.
    public static let shared = HTTPEngine()

    private init() {
        HTTPEngine.initialiseLibrary()
        multi = curl_multi_init()
        guard multi != nil else {
            unavailable = inspector_curl_unavailable().map { String(cString: $0) } ?? "curl_multi_init failed"
            return
        }
        unavailable = nil
        let thread = Thread { HTTPEngine.shared.loop() }
        thread.name = "inspect-http"
        thread.start()
    }

    private static let once: Void = { curl_global_init(3) }()   // CURL_GLOBAL_ALL
    static func initialiseLibrary() { _ = once }

    /// Performs `request` and returns what happened; never throws: failures are in the response.
    public func perform(_ request: HTTPRequest) async -> HTTPResponse {
        guard let multi else {
            var response = HTTPResponse()
            response.failure = HTTPFailure(phase: .other, curlCode: Int(CURLE_FAILED_INIT.rawValue),
                                           message: "libcurl cannot be loaded: \(unavailable ?? "")")
            return response
        }
        return await withCheckedContinuation { continuation in
            let transfer = Transfer(request, continuation)
            lock.lock()
            pending.append(transfer)
            lock.unlock()
            curl_multi_wakeup(multi)
        }
    }

    private func loop() {
        while true {
            lock.lock()
            let starting = pending
            pending.removeAll()
            lock.unlock()
            for t in starting {
                guard let easy = t.start() else {
                    t.finish(code: CURLE_FAILED_INIT.rawValue)
                    continue
                }
                running[easy] = t
                curl_multi_add_handle(multi, easy)
            }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                running.removeValue(forKey: easy)?.finish(code: code.rawValue)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}

/// One transfer's state, alive from submission to completion.
final class Transfer {
    let request: HTTPRequest
    let continuation: CheckedContinuation<HTTPResponse, Never>
    var easy: UnsafeMutableRawPointer?
    var headers: UnsafeMutablePointer<curl_slist>?
    var body = Data()
    var truncated = false
    /// curl writes its detailed message here; it must stay put while the handle lives.
    let errorBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        return buffer
    }()

    deinit { errorBuffer.deallocate() }

    init(_ request: HTTPRequest, _ continuation: CheckedContinuation<HTTPResponse, Never>) {
        self.request = request
        self.continuation = continuation
    }

    /// Creates and configures the easy handle.
    func start() -> UnsafeMutableRawPointer? {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        let r = request
        inspector_setopt_string(easy, CURLOPT_URL, r.url)
        inspector_setopt_string(easy, CURLOPT_CUSTOMREQUEST, r.method)
        if r.method == "HEAD" { inspector_setopt_long(easy, CURLOPT_NOBODY, 1) }
        if r.connectOnly { inspector_setopt_long(easy, CURLOPT_CONNECT_ONLY, 1) }
        // Only http and https, also across redirects (no file://, ftp://, gopher://...).
        inspector_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        inspector_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        inspector_setopt_long(easy, CURLOPT_FOLLOWLOCATION, r.maxRedirects > 0 ? 1 : 0)
        inspector_setopt_long(easy, CURLOPT_MAXREDIRS, r.maxRedirects)
        inspector_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(r.connectTimeout))
        inspector_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(r.totalTimeout))
        inspector_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        // A fresh connection per check: its connect and TLS times mean something, and a reused
        // TLS connection would carry no certificate to read the expiry from.
        inspector_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
        inspector_setopt_long(easy, CURLOPT_FORBID_REUSE, 1)
        inspector_setopt_long(easy, CURLOPT_CERTINFO, 1)
        inspector_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, r.tlsVerify ? 1 : 0)
        inspector_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, r.tlsVerify ? 2 : 0)
        if let ca = r.caFile { inspector_setopt_string(easy, CURLOPT_CAINFO, ca) }
        if let user = r.username { inspector_setopt_string(easy, CURLOPT_USERNAME, user) }
        if let password = r.password { inspector_setopt_string(easy, CURLOPT_PASSWORD, password) }
        inspector_setopt_string(easy, CURLOPT_USERAGENT, "inspect/0.1 (+Inspector)")
        for h in r.headers { headers = curl_slist_append(headers, h) }
        if let headers { inspector_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers)) }
        inspector_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        inspector_setopt_write(easy, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let n = size * count
            let room = transfer.request.maxBody - transfer.body.count
            if n > room {
                if room > 0 { transfer.body.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: room) }
                transfer.truncated = true
                return 0   // stops an endless body: curl reports a write error, which is expected here
            }
            transfer.body.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: n)
            return n
        })
        inspector_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
        return easy
    }

    func finish(code: UInt32) {
        var response = HTTPResponse(body: body, truncated: truncated)
        if let easy {
            var status = 0
            inspector_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            response.status = status > 0 ? status : nil
            var redirects = 0
            inspector_getinfo_long(easy, CURLINFO_REDIRECT_COUNT, &redirects)
            response.redirects = redirects
            func time(_ info: CURLINFO) -> Double {
                var micro: curl_off_t = 0
                inspector_getinfo_offset(easy, info, &micro)
                return Double(micro) / 1_000_000
            }
            response.timings = HTTPTimings(dns: time(CURLINFO_NAMELOOKUP_TIME_T), connect: time(CURLINFO_CONNECT_TIME_T),
                                           tls: time(CURLINFO_APPCONNECT_TIME_T), firstByte: time(CURLINFO_STARTTRANSFER_TIME_T),
                                           total: time(CURLINFO_TOTAL_TIME_T))
            var url: UnsafeMutablePointer<CChar>?
            inspector_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &url)
            response.effectiveURL = url.map { String(cString: $0) }
            (response.certificateExpiry, response.certificateSubject) = certificate(easy)
            curl_easy_cleanup(easy)
        }
        curl_slist_free_all(headers)
        let truncatedOnPurpose = code == CURLE_WRITE_ERROR.rawValue && truncated
        if code != CURLE_OK.rawValue && !truncatedOnPurpose {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(CURLcode(code))) : detail
            response.failure = HTTPFailure(phase: Self.phase(code, response.timings), curlCode: Int(code), message: message)
        }
        continuation.resume(returning: response)
    }

    /// The leaf certificate's notAfter and subject, from CURLINFO_CERTINFO ("Expire date:...").
    func certificate(_ easy: UnsafeMutableRawPointer) -> (Date?, String?) {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard inspector_getinfo_certinfo(easy, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0,
              let first = info.pointee.certinfo?[0] else { return (nil, nil) }
        var expiry: Date?, subject: String?
        var entry: UnsafeMutablePointer<curl_slist>? = first
        while let e = entry {
            let text = String(cString: e.pointee.data)
            if text.hasPrefix("Expire date:") { expiry = Self.certificateDate(String(text.dropFirst("Expire date:".count))) }
            if text.hasPrefix("Subject:") { subject = String(text.dropFirst("Subject:".count)) }
            entry = e.pointee.next
        }
        return (expiry, subject)
    }

    /// OpenSSL's "Nov  4 18:00:00 2027 GMT".
    static func certificateDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        let squeezed = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return formatter.date(from: squeezed)
    }

    /// Seconds as libcurl's milliseconds, between 1 ms and a day whatever the caller passes.
    static func milliseconds(_ seconds: Double) -> Int {
        Int(min(max(seconds.isNaN ? 1 : seconds, 0.001), 86_400) * 1000)
    }

    static func phase(_ code: UInt32, _ t: HTTPTimings) -> HTTPFailure.Phase {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_COULDNT_RESOLVE_PROXY.rawValue: return .dns
        case CURLE_COULDNT_CONNECT.rawValue: return .connect
        case CURLE_OPERATION_TIMEDOUT.rawValue: return .timeout
        case CURLE_SSL_CONNECT_ERROR.rawValue, CURLE_PEER_FAILED_VERIFICATION.rawValue, CURLE_SSL_CERTPROBLEM.rawValue,
             CURLE_SSL_CIPHER.rawValue, CURLE_SSL_CACERT_BADFILE.rawValue, CURLE_SSL_ISSUER_ERROR.rawValue: return .tls
        case CURLE_TOO_MANY_REDIRECTS.rawValue: return .redirect
        case CURLE_UNSUPPORTED_PROTOCOL.rawValue: return .protocolNotAllowed
        case CURLE_SEND_ERROR.rawValue: return .send
        case CURLE_RECV_ERROR.rawValue, CURLE_GOT_NOTHING.rawValue, CURLE_PARTIAL_FILE.rawValue: return .receive
        default: return .other
        }
    }
}
