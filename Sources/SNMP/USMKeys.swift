internal import CNetSNMP
import Foundation

/// net-snmp keeps one USM user record per (engine id, user name) for the whole process and,
/// when a session opens for a user it already knows, keeps the keys it has: a second target with
/// the same user but another passphrase would authenticate with the first one's keys, and a
/// rotated or revoked secret would go on working until a restart. So each session
///   - holds the user's record alone from open to close (one at a time per user and agent), and
///   - right after opening, has the record's keys made again from its own passphrases.
enum USMKeys {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var inUse: [String: DispatchSemaphore] = [:]

    /// Waits until no other session of `user` on `agent` is open, then claims it. A semaphore,
    /// not a mutex: the session may be closed on another thread than the one that opened it.
    static func claim(user: String, agent: String) -> DispatchSemaphore {
        let gate = lock.withLock {
            let key = "\(user)@\(agent)"
            if let gate = inUse[key] { return gate }
            let gate = DispatchSemaphore(value: 1)
            inUse[key] = gate
            return gate
        }
        gate.wait()
        return gate
    }

    /// Discovers the agent's engine id now (the library would at the first request, and fill the
    /// user record from whatever it already holds), then replaces the record's keys with keys
    /// localized from this session's own passphrases. False when the agent did not answer.
    static func probeAndRekey(_ handle: UnsafeMutableRawPointer) -> Bool {
        guard let session = snmp_sess_session(handle) else { return false }
        guard snmpv3_engineID_probe(handle, session) == 1 else { return false }
        return lock.withLock {
            let s = session.pointee
            guard s.securityEngineIDLen > 0, let user = usm_get_user(s.securityEngineID, s.securityEngineIDLen, s.securityName) else { return false }
            free(user.pointee.authKey); user.pointee.authKey = nil; user.pointee.authKeyLen = 0
            free(user.pointee.privKey); user.pointee.privKey = nil; user.pointee.privKeyLen = 0
            free(user.pointee.authProtocol); user.pointee.authProtocol = nil; user.pointee.authProtocolLen = 0
            free(user.pointee.privProtocol); user.pointee.privProtocol = nil; user.pointee.privProtocolLen = 0
            // The library fills a record once per session; let it fill this one again.
            session.pointee.flags &= ~UInt(SNMP_FLAGS_USER_CREATED)
            return usm_create_user_from_session(session) == SNMPERR_SUCCESS
        }
    }
}
