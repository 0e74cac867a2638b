internal import CNetSNMP
import Foundation

/// One agent, one net-snmp single-session handle, owned by the engine thread. A session is used
/// by one task at a time: its requests go one after another, while other sessions' run beside it.
public final class SNMPSession: @unchecked Sendable {
    public let endpoint: SNMPEndpoint
    let engine: SNMPEngine
    let id: Int
    /// Wall-clock limit for everything this session does (monotonic ns); nil means none.
    private let deadline: Int64?
    private let budget: Double?
    /// Requests sent and varbinds received, for benchmarks.
    public private(set) var requests = 0
    public private(set) var varbinds = 0
    /// Non-fatal trouble met on the way (a walk cut short by a non-increasing OID).
    public internal(set) var problems: [String] = []

    public init(_ endpoint: SNMPEndpoint, budget: Double? = nil, engine: SNMPEngine = .shared) async throws(SNMPError) {
        self.endpoint = endpoint
        self.engine = engine
        self.budget = budget
        self.deadline = budget.map { SNMPEngine.now() + Int64(min($0, 86_400) * 1e9) }
        id = try await engine.open(endpoint)
        guard endpoint.version == .v3 else { return }
        // The agent's engine id, asked for without blocking the engine; then this session's keys.
        // deinit closes the session (and passes the user's turn on) when either fails.
        let probe = await engine.send(id, oids: [], probe: true, deadline: deadline, budget: budget ?? 0) { USMKeys.probePDU() }
        if case .failure(let error) = probe { throw error }
        guard await engine.withHandle(id, { USMKeys.rekey($0) }) == true else { throw .timeout(endpoint.description) }
    }

    /// A session that reaches no agent (every request fails as closed): for tests of what is done
    /// with answers, where none is sent.
    init(detached endpoint: SNMPEndpoint) {
        self.endpoint = endpoint
        engine = .shared
        budget = nil
        deadline = nil
        id = 0   // the engine's ids start at 1
    }

    deinit { engine.close(id) }

    /// Opens the libsnmp session for `endpoint` (engine thread). SNMPv3 sessions open without the
    /// library's own engine-id probe, which would wait for the agent synchronously.
    static func openHandle(_ endpoint: SNMPEndpoint) throws(SNMPError) -> UnsafeMutableRawPointer {
        var session = netsnmp_session()
        snmp_sess_init(&session)
        let peer = strdup(endpoint.peerName)
        defer { free(peer) }
        session.peername = peer
        // The config bounds these; clamped again so that no caller can make the conversions trap.
        session.timeout = Int(min(max(endpoint.timeout, 0.001), 3_600) * 1_000_000)
        session.retries = Int32(clamping: endpoint.retries)
        var strings: [UnsafeMutablePointer<CChar>?] = []
        defer { strings.forEach { free($0) } }
        switch endpoint.version {
        case .v1, .v2c:
            session.version = Int(endpoint.version == .v1 ? SNMP_VERSION_1 : SNMP_VERSION_2c)
            let community = strdup(endpoint.community)
            strings.append(community)
            session.community = UnsafeMutableRawPointer(community!).assumingMemoryBound(to: UInt8.self)
            session.community_len = strlen(community!)
        case .v3:
            session.version = Int(SNMP_VERSION_3)
            session.flags |= UInt(SNMP_FLAGS_DONT_PROBE)
            let user = strdup(endpoint.user)
            strings.append(user)
            session.securityName = user
            session.securityNameLen = strlen(user!)
            if !endpoint.context.isEmpty {
                let context = strdup(endpoint.context)
                strings.append(context)
                session.contextName = context
                session.contextNameLen = strlen(context!)
            }
            try configureSecurity(&session, endpoint)
        }
        guard let opened = snmp_sess_open(&session) else { throw .sessionOpen(libraryError(&session) + " (\(endpoint))") }
        // Opening clears the flag; the discovery is ours to send.
        if endpoint.version == .v3 { snmp_sess_session(opened)?.pointee.flags |= UInt(SNMP_FLAGS_DONT_PROBE) }
        return opened
    }

    static func configureSecurity(_ session: inout netsnmp_session, _ e: SNMPEndpoint) throws(SNMPError) {
        switch e.level {
        case .noAuthNoPriv: session.securityLevel = SNMP_SEC_LEVEL_NOAUTH
        case .authNoPriv: session.securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV
        case .authPriv: session.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV
        }
        guard e.level != .noAuthNoPriv else { return }
        var auth = authProtocolOID(e.authProtocol).map { oid($0) }
        session.securityAuthProto = snmp_duplicate_objid(&auth, auth.count)
        session.securityAuthProtoLen = auth.count
        session.securityAuthKeyLen = Int(USM_AUTH_KU_LEN)
        try withUnsafeMutableBytes(of: &session.securityAuthKey) { key throws(SNMPError) in
            try derive(e.authPassphrase, hash: &auth, into: key, length: &session.securityAuthKeyLen, what: "auth")
        }
        guard e.level == .authPriv else { return }
        var priv = privProtocolOID(e.privProtocol).map { oid($0) }
        session.securityPrivProto = snmp_duplicate_objid(&priv, priv.count)
        session.securityPrivProtoLen = priv.count
        session.securityPrivKeyLen = Int(USM_PRIV_KU_LEN)
        // The privacy key is derived with the authentication protocol's hash (RFC 3414).
        try withUnsafeMutableBytes(of: &session.securityPrivKey) { key throws(SNMPError) in
            try derive(e.privPassphrase, hash: &auth, into: key, length: &session.securityPrivKeyLen, what: "privacy")
        }
    }

    /// A localisable key (Ku) from a passphrase, with net-snmp's generate_Ku.
    static func derive(_ passphrase: String, hash: inout [oid], into key: UnsafeMutableRawBufferPointer, length: inout Int, what: String) throws(SNMPError) {
        let status = generate_Ku(&hash, UInt32(hash.count), passphrase, passphrase.utf8.count,
                                 key.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
        guard status == SNMPERR_SUCCESS else { throw .authentication("cannot derive the \(what) key (passphrase under 8 characters?)") }
    }

    /// usmHMAC*AuthProtocol (RFC 3414, RFC 7860). net-snmp compares protocol OIDs by value.
    static func authProtocolOID(_ p: SNMPEndpoint.AuthProtocol) -> [UInt32] {
        let last: UInt32
        switch p {
        case .md5: last = 2
        case .sha: last = 3
        case .sha224: last = 4
        case .sha256: last = 5
        case .sha384: last = 6
        case .sha512: last = 7
        }
        return [1, 3, 6, 1, 6, 3, 10, 1, 1, last]
    }

    /// usmDESPrivProtocol, usmAesCfb128Protocol (RFC 3826), and the draft-blumenthal OIDs that
    /// net-snmp's snmpd uses for AES-192/AES-256.
    static func privProtocolOID(_ p: SNMPEndpoint.PrivProtocol) -> [UInt32] {
        switch p {
        case .des: [1, 3, 6, 1, 6, 3, 10, 1, 2, 2]
        case .aes: [1, 3, 6, 1, 6, 3, 10, 1, 2, 4]
        case .aes192: [1, 3, 6, 1, 4, 1, 14832, 1, 3]
        case .aes256: [1, 3, 6, 1, 4, 1, 14832, 1, 4]
        }
    }

    static func libraryError(_ session: inout netsnmp_session) -> String {
        var message: UnsafeMutablePointer<CChar>?
        var systemErrno: Int32 = 0, libError: Int32 = 0
        snmp_error(&session, &systemErrno, &libError, &message)   // (C errno, SNMPERR_*)
        defer { free(message) }
        return message.map { String(cString: $0) } ?? "net-snmp error \(libError)"
    }

    // MARK: requests

    /// Sends one PDU and returns the response's varbinds, or throws with the reason.
    func request(_ type: Int32, _ oids: [OID], nonRepeaters: Int = 0, maxRepetitions: Int = 0) async throws(SNMPError) -> [(OID, SNMPValue)] {
        if let deadline, SNMPEngine.now() > deadline { throw .budgetExceeded(budget ?? 0) }
        requests += 1
        let answer = await engine.send(id, oids: oids, deadline: deadline, budget: budget ?? 0) {
            guard let pdu = snmp_pdu_create(type) else { return nil }
            if type == PDUType.getBulk {
                pdu.pointee.errstat = Int(nonRepeaters)      // non-repeaters share errstat's slot
                pdu.pointee.errindex = Int(maxRepetitions)   // max-repetitions share errindex's slot
            }
            for o in oids {
                var name = o.components.map { oid($0) }
                snmp_add_null_var(pdu, &name, name.count)
            }
            return pdu
        }
        let varbinds = try answer.get()
        self.varbinds += varbinds.count
        return varbinds
    }

    /// A response PDU's varbinds, or the agent's error naming the object it points at.
    static func answer(_ r: netsnmp_pdu, asked oids: [OID]) -> Result<[(OID, SNMPValue)], SNMPError> {
        if r.errstat != SNMP_ERR_NOERROR {
            let index = Int(r.errindex)
            // An index outside the request names no object: "" (the caller then narrows it down).
            let oid = index >= 1 && index <= oids.count ? oids[index - 1].description : ""
            return .failure(.agentError(status: PDUType.errorName(Int(r.errstat)), oid: oid))
        }
        var out: [(OID, SNMPValue)] = []
        var cursor = r.variables
        while let v = cursor {
            out.append((OID((0..<v.pointee.name_length).map { UInt32(truncatingIfNeeded: v.pointee.name[$0]) }), value(v.pointee)))
            cursor = v.pointee.next_variable
        }
        return .success(out)
    }

    /// The session's last library error, as what the user can check.
    static func error(of handle: UnsafeMutableRawPointer, peer: String) -> SNMPError {
        var message: UnsafeMutablePointer<CChar>?
        var systemErrno: Int32 = 0, libError: Int32 = 0
        snmp_sess_error(handle, &systemErrno, &libError, &message)   // (C errno, SNMPERR_*)
        defer { free(message) }
        return classify(libError, text: message.map { String(cString: $0) }, peer: peer)
    }

    /// An SNMPERR_* code (a session's error, or the kind of a Report) as an SNMPError.
    static func classify(_ libError: Int32, text: String? = nil, peer: String = "the agent") -> SNMPError {
        let text = text ?? snmp_api_errstring(libError).map { String(cString: $0) } ?? "net-snmp error \(libError)"
        switch libError {
        case SNMPERR_AUTHENTICATION_FAILURE, SNMPERR_UNKNOWN_USER_NAME, SNMPERR_UNSUPPORTED_SEC_LEVEL,
             SNMPERR_DECRYPTION_ERR, SNMPERR_USM_AUTHENTICATIONFAILURE, SNMPERR_USM_UNKNOWNSECURITYNAME,
             SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL, SNMPERR_USM_DECRYPTIONERROR, SNMPERR_KRB5:
            return .authentication(text)
        case SNMPERR_TIMEOUT:
            return .timeout(peer)
        default:
            return .other(text)
        }
    }

    static func value(_ v: netsnmp_variable_list) -> SNMPValue {
        let type = Int32(v.type)
        switch type {
        case PDUType.integer: return .integer(Int64(v.val.integer.pointee))
        case PDUType.gauge32: return .gauge32(UInt32(truncatingIfNeeded: v.val.integer.pointee))
        case PDUType.counter32: return .counter32(UInt32(truncatingIfNeeded: v.val.integer.pointee))
        case PDUType.timeTicks: return .timeTicks(UInt32(truncatingIfNeeded: v.val.integer.pointee))
        case PDUType.counter64:
            let c = v.val.counter64.pointee
            return .counter64(UInt64(c.high) << 32 | UInt64(c.low & 0xFFFF_FFFF))
        case PDUType.octetString, PDUType.opaque:
            let bytes = v.val_len == 0 ? [] : Array(UnsafeBufferPointer(start: v.val.string, count: v.val_len))
            return type == PDUType.opaque ? .opaque(bytes) : .octets(bytes)
        case PDUType.objectID:
            let count = v.val_len / MemoryLayout<oid>.size
            return .oid(OID((0..<count).map { UInt32(truncatingIfNeeded: v.val.objid[$0]) }))
        case PDUType.ipAddress:
            let b = Array(UnsafeBufferPointer(start: v.val.string, count: min(4, v.val_len)))
            return .ipAddress(b.map(String.init).joined(separator: "."))
        case PDUType.noSuchObject: return .noSuchObject
        case PDUType.noSuchInstance: return .noSuchInstance
        case PDUType.endOfMibView: return .endOfMibView
        default: return .null
        }
    }
}

/// BER tags and PDU types (net-snmp defines them as macro expressions Swift cannot import).
enum PDUType {
    static let get: Int32 = 0xA0, getNext: Int32 = 0xA1, getBulk: Int32 = 0xA5, report: Int32 = 0xA8
    static let integer: Int32 = 0x02, octetString: Int32 = 0x04, null: Int32 = 0x05, objectID: Int32 = 0x06
    static let ipAddress: Int32 = 0x40, counter32: Int32 = 0x41, gauge32: Int32 = 0x42, timeTicks: Int32 = 0x43
    static let opaque: Int32 = 0x44, counter64: Int32 = 0x46
    static let noSuchObject: Int32 = 0x80, noSuchInstance: Int32 = 0x81, endOfMibView: Int32 = 0x82

    static let errorNames = ["noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess", "wrongType",
                             "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
                             "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable",
                             "inconsistentName"]

    static func errorName(_ status: Int) -> String { status < errorNames.count ? errorNames[status] : "error \(status)" }
}
