import Foundation
import Testing
import TestPeers

/// Reports by mail: `inspect now --mail-to` queues, `inspect mail` sends through a real SMTP
/// server (aiosmtpd) with STARTTLS and AUTH.
@Suite(.serialized, .enabled(if: SMTPPeer.available, "needs Debian's python3-aiosmtpd and python3-cryptography"))
struct MailTests {
    func setup(port: UInt16, ca: String?, scheme: String = "smtp") throws -> (dir: String, config: String) {
        let dir = CommandRunner.temporaryDirectory()
        let secret = dir + "/smtp.secret"
        try "username=inspector\npassword=s3cret-mail\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        let config = try CommandRunner.config(in: dir, extra: """
        mail:
          from: "Inspector 巡检 <inspect@example.com>"
          smtp_url: "\(scheme)://localhost:\(port)"
          secrets: \(secret)
          \(ca.map { "ca_file: \($0)" } ?? "")
          allow: [example.com]
        """)
        return (dir, config)
    }

    func queue(_ dir: String, _ config: String, to: [String], lang: String = "zh") async throws -> CommandRunner.Result {
        try await CommandRunner.run(["now", "--config", config, "--root", "\(CommandRunner.trees)/hot-sensor", "--spool", "\(dir)/spool",
                                     "--state", "\(dir)/state", "--cpu-window", "0.05", "--lang", lang] + to.flatMap { ["--mail-to", $0] })
    }

    func mail(_ dir: String, _ config: String) async throws -> CommandRunner.Result {
        try await CommandRunner.run(["mail", "--config", config, "--spool", "\(dir)/spool"])
    }

    func files(_ dir: String, _ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/spool/outbox/\(sub)")) ?? []).filter { $0.hasSuffix(".eml") }
    }

    /// Parsed by Python's email package, as a mail client would.
    func parse(_ message: Data) throws -> [String: Any] {
        let path = NSTemporaryDirectory() + "inspect-mail-\(UUID().uuidString).eml"
        try message.write(to: URL(fileURLWithPath: path))
        let script = """
        import email, json, sys
        from email import policy
        m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
        parts = [{'type': p.get_content_type(), 'name': p.get_filename(), 'body': p.get_content() if p.get_content_maintype() == 'text' or p.get_content_type() == 'application/json' else None} for p in m.walk() if not p.is_multipart()]
        for p in parts:
            if isinstance(p['body'], bytes): p['body'] = p['body'].decode()
        print(json.dumps({'subject': m['Subject'], 'from': str(m['From']), 'to': str(m['To']), 'id': m['Message-ID'], 'parts': parts}))
        """
        let result = Process()
        result.executableURL = URL(fileURLWithPath: HTTPPeer.python)
        result.arguments = ["-c", script, path]
        let out = try Spawning.start(result) {
            let out = Pipe()
            result.standardOutput = out
            return out
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        result.waitUntilExit()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func deliveredWithChineseSubjectAndAttachmentsIntact() async throws {
        let smtp = try SMTPPeer()
        defer { smtp.stop() }
        let (dir, config) = try setup(port: smtp.port, ca: smtp.caFile)
        #expect(try await queue(dir, config, to: ["技术主管 <boss@example.com>"]).status == 2)   // hot sensor: critical
        let sent = try await mail(dir, config)
        #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
        #expect(files(dir, "sent").count == 1 && files(dir, "new").isEmpty)
        let message = try parse(try #require(smtp.messages.first))
        #expect((message["subject"] as? String)?.hasPrefix("[Inspector] 巡检报告") == true, "\(message["subject"] ?? "")")
        #expect(message["to"] as? String == "技术主管 <boss@example.com>")
        let parts = try #require(message["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html", "text/csv", "application/json"])
        #expect((parts[0]["body"] as? String)?.contains("检查结果") == true)
        let json = try #require((parts[3]["body"] as? String)?.data(using: .utf8))
        let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(report["schema"] as? String == "inspect.report/1")
        #expect((parts[2]["body"] as? String)?.contains("SXKR-005") == true)
    }

    @Test func deliveredOverImplicitTLS() async throws {
        let smtp = try SMTPPeer(implicitTLS: true)
        defer { smtp.stop() }
        let (dir, config) = try setup(port: smtp.port, ca: smtp.caFile, scheme: "smtps")
        _ = try await queue(dir, config, to: ["ops@example.com"], lang: "en")
        let sent = try await mail(dir, config)
        #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
        #expect(smtp.messages.count == 1 && files(dir, "sent").count == 1)
        // The same server through smtp:// (plain, then STARTTLS) cannot work: the message stays queued.
        _ = try await queue(dir, config, to: ["ops@example.com"], lang: "zh")
        let (_, plain) = try setup(port: smtp.port, ca: smtp.caFile)
        let refused = try await mail(dir, plain)
        #expect(refused.status == 75, "\(refused.stdout) \(refused.stderr)")
        #expect(smtp.messages.count == 1)
    }

    @Test func serverDownThenUpDeliversOnce() async throws {
        let port = Peers.freePort(udp: false)
        let (dir, config) = try setup(port: port, ca: nil)
        _ = try await queue(dir, config, to: ["ops@example.com"], lang: "en")
        let down = try await mail(dir, config)
        #expect(down.status == 75)
        #expect(down.stderr.contains("stay queued") && down.stdout.contains("queued"), "\(down.stdout) \(down.stderr)")
        #expect(files(dir, "new").count == 1)
        let smtp = try SMTPPeer(port: port)
        defer { smtp.stop() }
        let (_, withCA) = try setup(port: port, ca: smtp.caFile)
        let up = try await mail(dir, withCA)
        #expect(up.status == 0, "\(up.stdout) \(up.stderr)")
        let again = try await mail(dir, withCA)
        #expect(again.status == 0)
        #expect(smtp.messages.count == 1)
        #expect(files(dir, "sent").count == 1 && files(dir, "new").isEmpty)
    }

    @Test func rejectionGoesToFailedWithTheServersAnswer() async throws {
        let smtp = try SMTPPeer()
        defer { smtp.stop() }
        let (dir, config) = try setup(port: smtp.port, ca: smtp.caFile)
        _ = try await queue(dir, config, to: ["reject@example.com"], lang: "en")
        let result = try await mail(dir, config)
        #expect(result.status == 1)
        let failed = files(dir, "failed")
        #expect(failed.count == 1 && files(dir, "new").isEmpty)
        let reason = try String(contentsOfFile: "\(dir)/spool/outbox/failed/\(failed[0]).reason", encoding: .utf8)
        #expect(reason.contains("550"), "\(reason)")
        #expect(smtp.messages.isEmpty)
    }

    @Test func temporaryRejectionStaysQueued() async throws {
        let smtp = try SMTPPeer()
        defer { smtp.stop() }
        let (dir, config) = try setup(port: smtp.port, ca: smtp.caFile)
        _ = try await queue(dir, config, to: ["later@example.com"], lang: "en")
        let result = try await mail(dir, config)
        #expect(result.status == 75)
        #expect(result.stderr.contains("451"), "\(result.stderr)")
        #expect(files(dir, "new").count == 1)
    }

    @Test func recipientsOutsideTheAllowListAreRefused() async throws {
        let (dir, config) = try setup(port: 25, ca: nil)
        let cli = try await queue(dir, config, to: ["someone@elsewhere.org"], lang: "en")
        #expect(cli.status == 64 && cli.stderr.contains("not in mail.allow"))
        try (try String(contentsOfFile: config, encoding: .utf8) + "\n  recipients: {daily: [x@elsewhere.org]}\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let check = try await CommandRunner.run(["check-config", "--config", config])
        #expect(check.status == 78 && check.stderr.contains("recipient x@elsewhere.org is not in mail.allow"), "\(check.stderr)")
    }

    /// The daemon mails a P1 alert at once to the P1 recipients, through the outbox.
    @Test func daemonMailsAnAlertByItself() async throws {
        let smtp = try SMTPPeer()
        defer { smtp.stop() }
        let peer = try DaemonTests.peer.get()
        try peer.flip("mail", to: 200)
        let (dir, _) = try setup(port: smtp.port, ca: smtp.caFile)
        let config = try DaemonTests().config(dir: dir, switchName: "mail", extra: """
        mail:
          smtp_url: "smtp://localhost:\(smtp.port)"
          secrets: \(dir)/smtp.secret
          ca_file: \(smtp.caFile)
          recipients: {P1: [oncall@example.com]}
        """)
        let daemon = try DaemonTests.Daemon.start(dir: dir, config: config)
        defer { daemon.signal(SIGKILL) }
        #expect(await daemon.waitFor("running"))
        try peer.flip("mail", to: 500)
        #expect(await daemon.waitFor("mail sent"), "\(daemon.log)")
        let message = try parse(try #require(smtp.messages.first))
        // mail.lang defaults to zh: the subject and labels in the users' words.
        #expect((message["subject"] as? String)?.hasPrefix("[Inspector] P1 告警：web WEB-001") == true, "\(message)")
        #expect(message["to"] as? String == "oncall@example.com")
        let parts = try #require(message["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html"])
        #expect((parts[0]["body"] as? String)?.hasPrefix("告警: web WEB-001") == true, "\(parts)")
        #expect((parts[0]["body"] as? String)?.contains("恢复时限: ") == true)
        #expect((parts[1]["body"] as? String)?.contains("<h1>P1 告警: web") == true, "\(parts)")
        try peer.flip("mail", to: 200)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
