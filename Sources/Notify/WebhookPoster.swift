internal import CCurl
import Foundation

/// What became of one post.
public enum PostOutcome: Sendable, Equatable {
    case delivered
    /// Worth another try later: no connection, a timeout, 5xx, 429, a robot's "too fast".
    case retry(String)
    /// Never going to work as it is (4xx, a robot's error code): kept in failed/ with the answer.
    case refused(String)
}

/// POSTs one JSON body with libcurl, synchronously, and judges the answer: the HTTP status, and
/// for WeCom and DingTalk robots the `errcode` they put in a 200 answer.
public struct WebhookPoster: Sendable {
    public var timeout: Double = 15
    public var caFile: String?

    public init(timeout: Double = 15, caFile: String? = nil) {
        self.timeout = timeout
        self.caFile = caFile
    }

    public func post(_ body: Data, to url: String, robot: Bool) -> PostOutcome {
        guard let easy = curl_easy_init() else {
            return .retry("cannot start libcurl" + (inspector_curl_unavailable().map { ": " + String(cString: $0) } ?? ""))
        }
        defer { curl_easy_cleanup(easy) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8")
        defer { curl_slist_free_all(headers) }
        let answer = Collected()
        inspector_setopt_string(easy, CURLOPT_URL, url)
        inspector_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        inspector_setopt_long(easy, CURLOPT_POST, 1)
        inspector_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
        inspector_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(min(10, timeout) * 1000))
        inspector_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        inspector_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        if let caFile { inspector_setopt_string(easy, CURLOPT_CAINFO, caFile) }
        inspector_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        inspector_setopt_write(easy, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            let c = Unmanaged<Collected>.fromOpaque(context!).takeUnretainedValue()
            let n = size * count
            // An answer is a line of JSON; a receiver that sends megabytes gets its first 64 KiB read.
            if c.data.count < 65_536 { c.data.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: n) }
            return n
        })
        inspector_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(answer).toOpaque())
        let code = body.withUnsafeBytes { raw -> CURLcode in
            inspector_setopt_long(easy, CURLOPT_POSTFIELDSIZE, raw.count)
            inspector_setopt_pointer(easy, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return curl_easy_perform(easy)
        }
        var status = 0
        inspector_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        let text = String(decoding: answer.data.prefix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            return .retry(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        return Self.judge(status: status, answer: text, robot: robot)
    }

    /// Robot error codes that mean "later": WeCom 45009 (API frequency), DingTalk 130101 (too fast).
    static let robotRetryCodes: Set<Int> = [45009, 130101, -1]

    public static func judge(status: Int, answer: String, robot: Bool) -> PostOutcome {
        let shown = "HTTP \(status)" + (answer.isEmpty ? "" : ": \(answer)")
        if status == 429 || status == 408 || (500...599).contains(status) { return .retry(shown) }
        guard (200...299).contains(status) else { return .refused(shown) }
        guard robot else { return .delivered }
        // A robot answers 200 with {"errcode":0,"errmsg":"ok"}; anything else is its refusal.
        guard let object = (try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [String: Any],
              let errcode = (object["errcode"] as? NSNumber)?.intValue else {
            return .refused("\(shown) (no errcode in the robot's answer)")
        }
        if errcode == 0 { return .delivered }
        return robotRetryCodes.contains(errcode) ? .retry(shown) : .refused(shown)
    }
}

final class Collected {
    var data = Data()
}
