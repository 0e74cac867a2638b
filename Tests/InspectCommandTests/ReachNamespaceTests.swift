import Foundation
import Testing

let namespaceToolsPresent = ["/usr/bin/unshare", "/usr/sbin/sysctl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    && (FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/bin/ip"))

/// `inspect now` run inside network namespaces made for the test (`unshare --net`, as root): one
/// whose loopback ignores ICMP echo (a host that does not answer), and one whose
/// net.ipv4.ping_group_range admits every group (the unprivileged ICMP socket). Both sysctls belong
/// to the namespace; the host's are untouched.
@Suite(.enabled(if: getuid() == 0 && namespaceToolsPresent, "needs root, unshare (util-linux) and ip (iproute2)"))
struct ReachNamespaceTests {
    /// Runs `inspect now` on one ping target in a new network namespace after `setup` (shell).
    func inspectInNamespace(_ setup: String) async throws -> (CommandRunner.Result, [[String: Any]]) {
        let dir = CommandRunner.temporaryDirectory()
        let config = try CommandRunner.webConfig(in: dir, targets: ["{id: silent, address: \"ping://127.0.0.1\", reach: {count: 3, interval: 50ms, timeout: 500ms}}"],
                                                 checklists: ["reach"])
        let script = "ip link set lo up && \(setup) && exec \"$0\" now --config \"$1\" --spool \"$2/spool\" --state \"$2/state\" --format json"
        let r = try await CommandRunner.run(["--net", "/bin/sh", "-c", script, CommandRunner.binary, config, dir], executable: "/usr/bin/unshare")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r, (doc?["findings"] as? [[String: Any]]) ?? [])
    }

    @Test func aHostThatDoesNotAnswerIsAbnormalWithTheReason() async throws {
        let (r, findings) = try await inspectInNamespace("sysctl -qw net.ipv4.icmp_echo_ignore_all=1")
        #expect(r.status == 2, "\(r.stderr)")
        let f = try #require(findings.first { $0["card"] as? String == "NET-001" }, "\(r.stdout) \(r.stderr)")
        #expect(f["status"] as? String == "abnormal" && f["level"] as? String == "critical")
        let loss = (f["measured"] as? [String: Any])?["ping.loss_percent"] as? [String: Any]
        #expect(loss?["current"] as? Double == 100)
        let evidence = (f["evidence"] as? [String]) ?? []
        #expect(evidence.contains { $0.contains("no reply to any of 3 echo requests within 0.5 s") }, "\(evidence)")
        // Not UNKNOWN, not a REACH finding: the probe ran and measured a loss.
        #expect(!findings.contains { $0["card"] as? String == "REACH" })
    }

    @Test func anUnprivilegedICMPSocketServesWhereTheGroupIsAdmitted() async throws {
        let (r, findings) = try await inspectInNamespace("sysctl -qw net.ipv4.ping_group_range='0 2147483647'")
        #expect(r.status == 0, "\(r.stderr)")
        let f = try #require(findings.first { $0["card"] as? String == "NET-001" }, "\(r.stdout) \(r.stderr)")
        #expect(f["status"] as? String == "normal")
        let evidence = (f["evidence"] as? [String]) ?? []
        #expect(evidence.contains { $0.contains("3 replies, over an unprivileged ICMP socket") }, "\(evidence)")
    }
}
