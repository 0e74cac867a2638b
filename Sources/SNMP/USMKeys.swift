internal import CNetSNMP

/// net-snmp keeps one USM user record per (engine id, user name) for the whole process and,
/// when a session opens for a user it already knows, keeps the keys it has: a second target with
/// the same user but another passphrase would authenticate with the first one's keys, and a
/// rotated or revoked secret would go on working until a restart. So each session
///   - holds the user's record alone from open to close (the engine gives sessions of one user on
///     one agent turns), and
///   - once the agent's engine id is known, has the record's keys made again from its own
///     passphrases.
/// Engine thread only: the user table is libsnmp's and unlocked.
enum USMKeys {
    /// An SNMPv3 discovery request: a GET with no objects, no user and no authentication, which the
    /// agent answers with a Report carrying its engine id (RFC 3414 section 4).
    static func probePDU() -> UnsafeMutablePointer<netsnmp_pdu>? {
        guard let pdu = snmp_pdu_create(Int32(PDUType.get)) else { return nil }
        pdu.pointee.version = Int(SNMP_VERSION_3)
        pdu.pointee.securityName = strdup("")
        pdu.pointee.securityNameLen = 0
        pdu.pointee.securityLevel = SNMP_SEC_LEVEL_NOAUTH
        pdu.pointee.securityModel = SNMP_SEC_MODEL_USM
        return pdu
    }

    /// After the probe's Report: replaces the user record's keys with keys localized from this
    /// session's own passphrases. False when the agent's engine id is still unknown.
    static func rekey(_ handle: UnsafeMutableRawPointer) -> Bool {
        guard let session = snmp_sess_session(handle) else { return false }
        let s = session.pointee
        guard s.securityEngineIDLen > 0 else { return false }
        if let user = usm_get_user(s.securityEngineID, s.securityEngineIDLen, s.securityName) {
            free(user.pointee.authKey); user.pointee.authKey = nil; user.pointee.authKeyLen = 0
            free(user.pointee.privKey); user.pointee.privKey = nil; user.pointee.privKeyLen = 0
            free(user.pointee.authProtocol); user.pointee.authProtocol = nil; user.pointee.authProtocolLen = 0
            free(user.pointee.privProtocol); user.pointee.privProtocol = nil; user.pointee.privProtocolLen = 0
        }
        // The library fills a record once per session; let it fill this one again.
        session.pointee.flags &= ~UInt(SNMP_FLAGS_USER_CREATED)
        return usm_create_user_from_session(session) == SNMPERR_SUCCESS
    }
}
