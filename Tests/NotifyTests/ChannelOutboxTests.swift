import Foundation
import InspectorCore
import Notify
import Testing
import TestPeers

/// Posts to chat robots and webhooks through the channel outbox, against receivers that check
/// them as WeCom and DingTalk do (DingTalk's signature included).
@Suite(.serialized)
struct ChannelOutboxTests {
    @Test func hmacMatchesRFC4231() {
        let mac = RobotSignature.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func post(_ channel: String, _ kind: NotifyChannel.Kind, subject: String = "20261205T010203.004Z-abc") -> ChannelOutbox.Post {
        let event = #"{"schema":"inspect.event/1","dedup_key":"ups-a|UPS-002||1","state":"raised"}"#
        return .init(channel: channel, kind: kind.rawValue, subject: subject,
                     body: RobotPayload.body(kind: kind, title: "P1 告警：ups-a UPS-002 电池电量", lines: ["级别: 严重", "实测值: 15 %"],
                                             document: Data(event.utf8)))
    }

    @Test func eachKindIsDeliveredOnceAndRefusalsAreKept() throws {
        let peer = try HookPeer(secret: "SEC-right")
        defer { peer.stop() }
        let spool = Peers.temporaryDirectory("channels")
        let outbox = ChannelOutbox(spool: spool)
        let destinations: [String: ChannelOutbox.Destination] = [
            "wecom": .init(url: peer.url("/wecom?key=K"), robot: true, secret: nil),
            "ding": .init(url: peer.url("/dingtalk?access_token=T"), robot: true, secret: "SEC-right"),
            "ding-wrong": .init(url: peer.url("/dingtalk?access_token=T"), robot: true, secret: "SEC-wrong"),
            "hook": .init(url: peer.url("/webhook"), robot: false, secret: nil),
            "refuses": .init(url: peer.url("/reject"), robot: false, secret: nil),
        ]
        for (id, kind) in [("wecom", NotifyChannel.Kind.wecom), ("ding", .dingtalk), ("ding-wrong", .dingtalk), ("hook", .webhook), ("refuses", .webhook)] {
            #expect(try outbox.queue(post(id, kind)))
        }
        #expect(try outbox.queue(post("hook", .webhook)) == false)   // the same event to the same channel: once
        let result = try outbox.flush(now: Date(), poster: WebhookPoster(), destination: { destinations[$0] })
        #expect(Set(result.sent) == Set(["wecom", "ding", "hook"].map { post($0, .webhook).fileName }))
        #expect(Set(result.failed.map(\.0)) == Set(["ding-wrong", "refuses"].map { post($0, .webhook).fileName }))
        let reason = try String(contentsOfFile: "\(outbox.failedDirectory)/\(post("refuses", .webhook).fileName).reason", encoding: .utf8)
        #expect(reason.contains("HTTP 400") && reason.contains("refuses every post"))
        let signReason = try String(contentsOfFile: "\(outbox.failedDirectory)/\(post("ding-wrong", .webhook).fileName).reason", encoding: .utf8)
        #expect(signReason.contains("310000"))
        let received = peer.received
        #expect(received.filter { $0["ok"] as? Bool == true }.count == 3)
        let ding = received.first { $0["path"] as? String == "/dingtalk" && $0["signed"] as? Bool == true }
        #expect(((ding?["body"] as? [String: Any])?["markdown"] as? [String: Any])?["title"] as? String == "P1 告警：ups-a UPS-002 电池电量")
        // Sent posts are not sent again, and a queue of an already sent one is refused.
        #expect(try outbox.flush(now: Date(), poster: WebhookPoster(), destination: { destinations[$0] }).sent.isEmpty)
        #expect(try outbox.queue(post("wecom", .wecom)) == false)
    }

    @Test func aReceiverThatIsDownGetsThePostWhenItComesBack() throws {
        let peer = try HookPeer()
        defer { peer.stop() }
        peer.stop()   // down: connection refused on its port
        let spool = Peers.temporaryDirectory("channels-down")
        let outbox = ChannelOutbox(spool: spool)
        let url = peer.url("/webhook")
        try outbox.queue(post("hook", .webhook))
        let t0 = Date()
        let first = try outbox.flush(now: t0, poster: WebhookPoster(timeout: 5), destination: { _ in .init(url: url, robot: false, secret: nil) })
        #expect(first.queued.count == 1 && first.sent.isEmpty)
        #expect(outbox.nextDue() == t0.addingTimeInterval(15))
        try peer.start()
        // Backing off: not tried again before its time.
        let early = try outbox.flush(now: t0.addingTimeInterval(5), poster: WebhookPoster(), destination: { _ in .init(url: url, robot: false, secret: nil) })
        #expect(early.sent.isEmpty && early.queued.isEmpty)
        let later = try outbox.flush(now: t0.addingTimeInterval(15), poster: WebhookPoster(), destination: { _ in .init(url: url, robot: false, secret: nil) })
        #expect(later.sent.count == 1)
        #expect(peer.received.count == 1 && outbox.nextDue() == nil)
    }

    @Test func robotAnswersAreJudgedByTheirErrcode() {
        #expect(WebhookPoster.judge(status: 200, answer: #"{"errcode":0,"errmsg":"ok"}"#, robot: true) == .delivered)
        #expect(WebhookPoster.judge(status: 200, answer: #"{"errcode":45009,"errmsg":"api freq out of limit"}"#, robot: true)
                == .retry(#"HTTP 200: {"errcode":45009,"errmsg":"api freq out of limit"}"#))
        if case .refused = WebhookPoster.judge(status: 200, answer: #"{"errcode":93000,"errmsg":"invalid webhook url"}"#, robot: true) {} else {
            Issue.record("an invalid robot key must be refused, not retried")
        }
        if case .retry = WebhookPoster.judge(status: 502, answer: "", robot: false) {} else { Issue.record("5xx is retried") }
        if case .refused = WebhookPoster.judge(status: 404, answer: "", robot: false) {} else { Issue.record("4xx is refused") }
        #expect(WebhookPoster.judge(status: 204, answer: "", robot: false) == .delivered)
    }

    @Test func longMessagesAreCutForWeCom() throws {
        let body = RobotPayload.body(kind: .wecom, title: "t", lines: Array(repeating: "很长的一行文字", count: 400), document: Data())
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
        let content = (object["markdown"] as! [String: Any])["content"] as! String
        #expect(content.utf8.count <= 4096 && content.hasSuffix("…"))
    }
}
