import Foundation
import InspectorCore

/// The body each kind of channel takes: a generic webhook gets the JSON document itself
/// (inspect.event/1 for alerts); WeCom and DingTalk group robots get a markdown message.
public enum RobotPayload {
    /// WeCom refuses markdown content over 4,096 bytes; DingTalk's limit is larger. Cut on a
    /// character boundary, with a mark.
    static let maxMarkdownBytes = 4000

    public static func body(kind: NotifyChannel.Kind, title: String, lines: [String], document: Data) -> String {
        switch kind {
        case .webhook:
            return String(decoding: document, as: UTF8.self)
        case .wecom:
            let content = cut("### \(title)\n" + lines.joined(separator: "\n"))
            return json(["msgtype": "markdown", "markdown": ["content": content]])
        case .dingtalk:
            // DingTalk's markdown needs a blank line between lines to break them.
            let text = cut("### \(title)\n\n" + lines.joined(separator: "\n\n"))
            return json(["msgtype": "markdown", "markdown": ["title": title, "text": text]])
        }
    }

    static func cut(_ text: String) -> String {
        guard text.utf8.count > maxMarkdownBytes else { return text }
        var out = ""
        var bytes = 0
        for ch in text {
            let n = String(ch).utf8.count
            if bytes + n > maxMarkdownBytes - 4 { break }
            out.append(ch)
            bytes += n
        }
        return out + " …"
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
