import Foundation
import Testing
import TestPeers
@testable import SNMP

/// The SNMP client against a real net-snmp snmpd on 127.0.0.1.
@Suite(.enabled(if: SNMPDaemon.binary != nil, "needs Debian's snmpd (Scripts/test.sh installs it)"))
struct SNMPClientTests {
    /// One agent for the whole suite; its watchdog stops it when the test process ends.
    static let shared = Result { try SNMPDaemon() }
    let daemon: SNMPDaemon
    static let sysDescr = OID("1.3.6.1.2.1.1.1.0")!
    static let sysObjectID = OID("1.3.6.1.2.1.1.2.0")!
    static let system = OID("1.3.6.1.2.1.1")!

    init() throws { daemon = try Self.shared.get() }

    func endpoint(_ version: SNMPEndpoint.Version = .v2c, community: String = "public", timeout: Double = 1) -> SNMPEndpoint {
        SNMPEndpoint(host: "127.0.0.1", port: daemon.port, version: version, community: community, timeout: timeout, retries: 0)
    }

    @Test func v2cGetReturnsTypedValues() async throws {
        let session = try await SNMPSession(endpoint())
        let values = try await session.get([Self.sysDescr, Self.sysObjectID, OID("1.3.6.1.2.1.1.3.0")!])
        #expect(values[Self.sysDescr]?.text.hasPrefix("Linux") == true, "\(values)")
        #expect(values[Self.sysObjectID] == .oid(OID("1.3.6.1.4.1.8072.3.2.10")!))
        if case .timeTicks = values[OID("1.3.6.1.2.1.1.3.0")!] {} else { Issue.record("sysUpTime is not TimeTicks") }
    }

    @Test func absentObjectsAreAbsentNotZero() async throws {
        let session = try await SNMPSession(endpoint())
        let values = try await session.get([OID("1.3.6.1.2.1.1.99.0")!, OID("1.3.6.1.2.1.1.1.99")!, OID("1.3.6.1.9999.1.0")!])
        #expect(values.values.allSatisfy { $0.isAbsent }, "\(values)")
        #expect(values.values.allSatisfy { $0.number == nil })
    }

    @Test func v1MarksAMissingObjectAndStillReadsTheRest() async throws {
        let session = try await SNMPSession(endpoint(.v1))
        let values = try await session.get([Self.sysDescr, OID("1.3.6.1.2.1.1.99.0")!])
        #expect(values[Self.sysDescr]?.text.hasPrefix("Linux") == true)
        #expect(values[OID("1.3.6.1.2.1.1.99.0")!] == .noSuchObject)
    }

    @Test(arguments: [SNMPEndpoint.Version.v1, .v2c], [1, 3, 50])
    func walkReturnsTheSubtreeInOrder(version: SNMPEndpoint.Version, repetitions: Int) async throws {
        var e = endpoint(version)
        e.maxRepetitions = repetitions
        let session = try await SNMPSession(e)
        let rows = try await session.walk(Self.system)
        #expect(rows.count >= 7)
        #expect(rows.allSatisfy { Self.system.isPrefix(of: $0.0) })
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.0 < $1.0 })
        #expect(rows.first?.0 == Self.sysDescr)
    }

    @Test func bulkWalkNeedsFewerRequestsThanGetNext() async throws {
        var bulk = endpoint(.v2c)
        bulk.maxRepetitions = 25
        let a = try await SNMPSession(bulk)
        let rowsA = try await a.walk(OID("1.3.6.1.2.1.2")!)
        let b = try await SNMPSession(endpoint(.v1))
        let rowsB = try await b.walk(OID("1.3.6.1.2.1.2")!)
        #expect(rowsA.map(\.0) == rowsB.map(\.0))
        #expect(a.requests * 5 < b.requests, "bulk \(a.requests) vs getnext \(b.requests)")
    }

    @Test(arguments: SNMPDaemon.users)
    func v3EveryLevelAndProtocol(user: String, auth: String?, priv: String?, level: String) async throws {
        var e = endpoint(.v3)
        e.user = user
        e.level = priv != nil ? .authPriv : auth != nil ? .authNoPriv : .noAuthNoPriv
        if let auth { e.authProtocol = SNMPEndpoint.AuthProtocol(rawValue: auth)!; e.authPassphrase = "authpass123" }
        if let priv { e.privProtocol = SNMPEndpoint.PrivProtocol(rawValue: priv)!; e.privPassphrase = "privpass123" }
        let session = try await SNMPSession(e)
        #expect(try await session.get([Self.sysDescr])[Self.sysDescr]?.text.hasPrefix("Linux") == true)
    }

    @Test func wrongCommunityIsATimeout() async throws {
        let session = try await SNMPSession(endpoint(community: "wrong", timeout: 0.3))
        await #expect(throws: SNMPError.timeout(session.endpoint.description)) { try await session.get([Self.sysDescr]) }
    }

    @Test func stoppedAgentIsATimeoutWithinTheRequestTimeout() async throws {
        let port = Peers.freePort()
        // On the engine, as polls run: the measure is the engine's, not how busy the suite keeps
        // the shared threads the test would otherwise resume on.
        let (failed, elapsed) = try await withTaskExecutorPreference(SNMPEngine.shared) {
            let session = try await SNMPSession(SNMPEndpoint(host: "127.0.0.1", port: port, timeout: 0.2, retries: 1))
            let started = Date()
            let failed: Bool
            do { _ = try await session.get([Self.sysDescr]); failed = false } catch { failed = true }
            return (failed, Date().timeIntervalSince(started))
        }
        #expect(failed)
        #expect(elapsed < 2, "\(elapsed) s")
    }

    @Test func budgetStopsFurtherRequests() async throws {
        let session = try await SNMPSession(SNMPEndpoint(host: "127.0.0.1", port: Peers.freePort(), timeout: 0.2, retries: 0), budget: 0.3)
        _ = try? await session.get([Self.sysDescr])
        _ = try? await session.get([Self.sysDescr])
        await #expect(throws: SNMPError.budgetExceeded(0.3)) { try await session.get([Self.sysDescr]) }
    }
}

/// Wrong SNMPv3 credentials get their own agent: net-snmp keeps USM keys per (engine id, user)
/// for the whole process, so a wrong passphrase for a user would disturb concurrent good sessions
/// of the same user on the same agent.
@Suite(.serialized, .enabled(if: SNMPDaemon.binary != nil, "needs Debian's snmpd"))
struct SNMPv3FailureTests {
    static let shared = Result { try SNMPDaemon() }

    func endpoint(_ version: SNMPEndpoint.Version, timeout: Double) throws -> SNMPEndpoint {
        SNMPEndpoint(host: "127.0.0.1", port: try Self.shared.get().port, version: version, timeout: timeout, retries: 0)
    }

    static let sysDescr = SNMPClientTests.sysDescr

    @Test(arguments: [("sha1aes", "wrongpass123", "privpass123"), ("sha1aes", "authpass123", "wrongpriv123"), ("nosuchuser", "authpass123", "privpass123")])
    func wrongV3CredentialsFail(user: String, authPass: String, privPass: String) async throws {
        var e = try endpoint(.v3, timeout: 0.5)
        e.user = user
        e.level = .authPriv
        e.authPassphrase = authPass
        e.privPassphrase = privPass
        let session = try await SNMPSession(e)
        do {
            _ = try await session.get([Self.sysDescr])
            Issue.record("read with wrong credentials")
        } catch {
            // A wrong auth key or user is reported by the agent; a wrong privacy key makes the agent
            // unable to decrypt, so it stays silent: a timeout.
            switch error {
            case .authentication, .timeout: break
            default: Issue.record("unexpected \(error)")
            }
            #expect(!error.description.contains(authPass) && !error.description.contains(privPass))
        }
    }

}
