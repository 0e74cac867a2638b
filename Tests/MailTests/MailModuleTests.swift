import Foundation
import Testing
import TestPeers
@testable import Mail

/// The Mail module on its own: messages as RFC 5322 and MIME, and the outbox delivering them to
/// a real SMTP server (Debian's aiosmtpd: STARTTLS and AUTH required) with its outcomes.
struct MailMessageTests {
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    func message(subject: String = "巡检报告 2026-11-24", to: [String] = ["技术主管 <boss@example.com>"]) -> MailMessage {
        MailMessage(from: "Inspector <inspect@example.com>", to: to, subject: subject, text: "正常 normal\n", html: "<p>正常</p>",
                    attachments: [.init(filename: "报告.pdf", contentType: "application/pdf", data: Data([0x25, 0x50, 0x44, 0x46]))],
                    messageID: "<r1.inspection@inspect.example.com>", date: Self.date)
    }

    func headers(_ data: Data) -> [String] {
        (String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n\r\n").first ?? "").components(separatedBy: "\r\n")
    }

    @Test func headersAreASCIIWithEncodedWords() {
        let data = message().rendered(boundarySeed: "seed")
        let head = headers(data)
        #expect(head.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }, "\(head)")
        #expect(head.contains("Date: Wed, 18 Nov 2026 11:06:40 +0000"))
        #expect(head.contains("Message-ID: <r1.inspection@inspect.example.com>"))
        #expect(head.first { $0.hasPrefix("Subject: =?UTF-8?B?") } != nil)
        #expect(head.first { $0.hasPrefix("To: =?UTF-8?B?") && $0.hasSuffix(" <boss@example.com>") } != nil)
        // Every line within RFC 5322's 78 characters, CRLF only.
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 && !$0.contains("\n") && !$0.contains("\r") })
    }

    /// A subject with CR or LF (from a device's text) cannot start a header of its own.
    @Test func aLineBreakInTheSubjectIsEncodedNotAHeader() {
        let data = message(subject: "ups-a\r\nBcc: victim@example.com").rendered(boundarySeed: "seed")
        #expect(!headers(data).contains { $0.hasPrefix("Bcc:") }, "\(headers(data))")
    }

    @Test func theEnvelopeComesFromTheHeaders() {
        let (from, to) = Outbox.envelope(message(to: ["技术主管 <boss@example.com>", "ops@example.com"]).rendered())
        #expect(from == "inspect@example.com")
        #expect(to == ["boss@example.com", "ops@example.com"])
    }
}

@Suite(.serialized, .enabled(if: SMTPPeer.available, "needs python3-aiosmtpd (Scripts/test.sh installs it)"))
struct OutboxDeliveryTests {
    static let peer = Result { try SMTPPeer() }

    func settings(_ peer: SMTPPeer, password: String = "s3cret-mail") -> SMTPSettings {
        var s = SMTPSettings(url: "smtp://127.0.0.1:\(peer.port)", from: "inspect@example.com")
        s.username = "inspector"
        s.password = password
        s.caFile = peer.caFile
        s.timeout = 10
        return s
    }

    func outbox() -> Outbox { Outbox(spool: NSTemporaryDirectory() + "inspect-outbox-\(UUID().uuidString)") }

    func queued(_ to: String, in box: Outbox) throws -> String {
        try box.queue(MailMessage(from: "inspect@example.com", to: [to], subject: "test \(to)", text: "body",
                                  messageID: "<\(UUID().uuidString)@inspect>", date: Date()))
    }

    /// Accepted, refused for good (550) and refused for now (451): sent/, failed/ with the
    /// server's answer, and kept with a back-off.
    @Test func eachOutcomeEndsInItsPlace() async throws {
        let peer = try Self.peer.get()
        let box = outbox()
        _ = try queued("ok@example.com", in: box)
        _ = try queued("reject@example.com", in: box)
        _ = try queued("later@example.com", in: box)
        let settings = settings(peer)
        // The outbox's clock is the test's: a busy machine between the two flushes cannot outlast the back-off.
        let start = Date()
        let result = try await onOwnThread { try box.flush(with: SMTPSender(settings), now: start) }
        #expect(result.sent.count == 1 && result.failed.count == 1 && result.queued.count == 1, "\(result)")
        #expect(result.failed.first?.1.contains("550") == true)
        #expect(result.queued.first?.1.contains("451") == true)
        #expect(peer.messages.contains { String(decoding: $0, as: UTF8.self).contains("To: ok@example.com") })
        // The temporary failure waits for its back-off unless asked to try now.
        let again = try await onOwnThread { try box.flush(with: SMTPSender(settings), now: start.addingTimeInterval(1)) }
        #expect(again.waiting.count == 1 && again.sent.isEmpty, "\(again)")
    }

    @Test func aWrongPasswordIsNotSentAndNeverShown() async throws {
        let peer = try Self.peer.get()
        let box = outbox()
        _ = try queued("ok@example.com", in: box)
        let settings = settings(peer, password: "wrong-Pa55")
        let result = try await onOwnThread { try box.flush(with: SMTPSender(settings)) }
        #expect(result.sent.isEmpty && result.failed.count + result.queued.count == 1, "\(result)")
        #expect(!"\(result)".contains("wrong-Pa55"))
    }
}
