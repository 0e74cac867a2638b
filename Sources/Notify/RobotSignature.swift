internal import COpenSSL
import Foundation

/// DingTalk's 加签 scheme: the robot URL gets `timestamp` (milliseconds) and `sign`, the
/// URL-encoded base64 of HMAC-SHA256 over "timestamp\nsecret" keyed with the secret. DingTalk
/// refuses a timestamp more than an hour old, so it is signed when sent, not when queued.
public enum RobotSignature {
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    public static func dingTalkSign(secret: String, timestampMillis: Int64) -> String {
        let mac = hmacSHA256(key: Array(secret.utf8), message: Array("\(timestampMillis)\n\(secret)".utf8))
        return Data(mac).base64EncodedString()
    }

    /// The robot URL with `&timestamp=...&sign=...` appended.
    public static func dingTalkURL(_ url: String, secret: String, at date: Date) -> String {
        let ts = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let sign = dingTalkSign(secret: secret, timestampMillis: ts).addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return url + (url.contains("?") ? "&" : "?") + "timestamp=\(ts)&sign=\(sign)"
    }
}
