import Foundation
import Testing
import TestPeers
@testable import SNMP

/// net-snmp keeps the localized USM keys of a user per (engine id, user name) for the whole
/// process. Each session must still authenticate with exactly its own passphrases: a wrong one
/// fails every time, for that session only, however sessions of the same user interleave.
@Suite(.serialized, .enabled(if: SNMPDaemon.binary != nil, "needs Debian's snmpd"))
struct SNMPv3CredentialTests {
    /// Two agents: two engines holding the same users.
    static let agents = Result { [try SNMPDaemon(), try SNMPDaemon()] }
    static let sysDescr = OID("1.3.6.1.2.1.1.1.0")!

    func endpoint(_ port: UInt16, user: String, auth: String, priv: String?) -> SNMPEndpoint {
        var e = SNMPEndpoint(host: "127.0.0.1", port: port, version: .v3, timeout: 0.5, retries: 0)
        e.user = user
        e.level = priv == nil ? .authNoPriv : .authPriv
        e.authProtocol = user.hasPrefix("sha256") ? .sha256 : .sha
        e.authPassphrase = auth
        if let priv { e.privProtocol = .aes; e.privPassphrase = priv }
        return e
    }

    /// true when the session read sysDescr.
    func reads(_ e: SNMPEndpoint) async -> Bool {
        guard let session = try? await SNMPSession(e) else { return false }
        return (try? await session.get([Self.sysDescr]))?[Self.sysDescr] != nil
    }

    @Test func rightAndWrongPassphrasesAlternatingOnOneAgent() async throws {
        let port = try Self.agents.get()[0].port
        let failures = await alternate(port)
        #expect(failures.isEmpty, "\(failures)")
    }

    /// What went wrong, in words: expectations are checked by the caller, on the test's own task.
    func alternate(_ port: UInt16) async -> [String] {
        var failures: [String] = []
        for round in 0..<6 {
            for (user, priv) in [("sha1", nil), ("sha1aes", "privpass123"), ("sha256aes", "privpass123")] as [(String, String?)] {
                if !(await reads(endpoint(port, user: user, auth: "authpass123", priv: priv))) { failures.append("round \(round) \(user): right passphrase refused") }
                if await reads(endpoint(port, user: user, auth: "wrongpass123", priv: priv)) { failures.append("round \(round) \(user): wrong auth passphrase accepted") }
                if let priv, await reads(endpoint(port, user: user, auth: "authpass123", priv: "wrong" + priv)) {
                    failures.append("round \(round) \(user): wrong priv passphrase accepted")
                }
            }
        }
        return failures
    }

    /// The daemon's case: a secret rotated (now wrong) and then corrected, between polls.
    @Test func aRevokedPassphraseStopsWorkingAndACorrectedOneRecovers() async throws {
        let port = try Self.agents.get()[1].port
        let outcomes = [await reads(endpoint(port, user: "sha1aes", auth: "authpass123", priv: "privpass123")),
                        await reads(endpoint(port, user: "sha1aes", auth: "revoked-pass", priv: "privpass123")),
                        await reads(endpoint(port, user: "sha1aes", auth: "authpass123", priv: "privpass123"))]
        #expect(outcomes == [true, false, true])
    }

    /// Many sessions at once, on two engines, same users: each outcome is its own.
    @Test func concurrentSessionsOfOneUserKeepTheirOwnKeys() async throws {
        let ports = try Self.agents.get().map(\.port)
        let outcomes = await withTaskGroup(of: (Bool, Bool).self) { group in
            for i in 0..<24 {
                let right = i % 2 == 0
                let e = endpoint(ports[i % 4 < 2 ? 0 : 1], user: "sha1aes", auth: right ? "authpass123" : "wrongpass123", priv: "privpass123")
                group.addTask { (right, await self.reads(e)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0.0 && !$0.1 }.isEmpty, "right passphrases refused: \(outcomes)")
        #expect(outcomes.filter { !$0.0 && $0.1 }.isEmpty, "wrong passphrases accepted: \(outcomes)")
    }
}
