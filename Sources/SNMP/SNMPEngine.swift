internal import CNetSNMP
import Foundation

/// The one thread that owns libsnmp. Debian's libsnmp is not built reentrant, so every call into
/// it (open, send, read, retransmit, close, the USM user table) happens here, and thousands of
/// requests can be in flight at once: each is sent with snmp_sess_async_send, the thread waits in
/// poll(2) on the sessions' sockets and on the earliest retransmission or budget, and reads with
/// snmp_sess_read2. Every session keeps its own timeout and retries (libsnmp's own), and every
/// request its own time budget; a device that is slow or silent delays only its own requests.
///
/// Callers never touch the C library: they `await` requests, and the engine resumes them.
public final class SNMPEngine: @unchecked Sendable {
    /// One per process: two owners of libsnmp would be two threads in a non-reentrant library.
    public static let shared = SNMPEngine()

    // Shared with callers, under `lock`.
    private let lock = NSLock()
    private var inbox: [() -> Void] = []
    private let wake: Int32

    // The engine thread's own.
    private var sessions: [Int: Live] = [:]
    private var pending: [Int: Pending] = [:]
    private var timers = TimerHeap()
    private var nextID = 1
    /// SNMPv3: net-snmp keeps one USM record per (user, agent) for the whole process, so sessions of
    /// the same user on the same agent take turns (the holder's key -> who waits next).
    private var v3Turns: [String: [() -> Void]] = [:]

    nonisolated(unsafe) private var thread = pthread_t()

    struct Live {
        let handle: UnsafeMutableRawPointer
        let fd: Int32
        let turn: String?
        /// What messages name it by: "udp:10.0.0.1:161 v2c".
        let peer: String
        /// How long libsnmp itself waits for one request, all retries included (ns).
        let patience: Int64
        var generation = 0
    }

    /// One request in flight: who waits, and what was asked (to name the object an error index points at).
    final class Pending {
        let session: Int
        let oids: [OID]
        let probe: Bool
        let resume: (Result<[(OID, SNMPValue)], SNMPError>) -> Void
        init(session: Int, oids: [OID], probe: Bool, resume: @escaping (Result<[(OID, SNMPValue)], SNMPError>) -> Void) {
            self.session = session
            self.oids = oids
            self.probe = probe
            self.resume = resume
        }
    }

    private init() {
        wake = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        Self.raiseFileLimit()
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "inspect-snmp"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Each open session is a socket: allow more than the usual 1,024. Not the whole hard limit
    /// (often a million or more): children inherit it, and programs that close every possible
    /// descriptor as they start would pay for it.
    private static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = min(limit.rlim_max, 16_384)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = wanted
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    var onEngineThread: Bool { pthread_equal(pthread_self(), thread) != 0 }

    /// Runs `job` on the engine thread, soon: never inside the caller, even on the engine thread.
    func submit(_ job: @escaping () -> Void) {
        let wasEmpty = lock.withLock {
            let empty = inbox.isEmpty
            inbox.append(job)
            return empty
        }
        // The loop drains the inbox before it waits again: no need to wake it from within.
        if wasEmpty && !onEngineThread {
            var one: UInt64 = 1
            _ = write(wake, &one, 8)
        }
    }

    /// Runs `job` on the engine thread (at once when called there) and returns what it returns.
    func perform<T: Sendable>(_ job: @escaping () -> T) async -> T {
        if onEngineThread { return job() }
        return await withCheckedContinuation { continuation in
            submit { continuation.resume(returning: job()) }
        }
    }

    // MARK: the loop

    private func run() {
        thread = pthread_self()
        NetSNMPLibrary.initialise()
        var fds: [pollfd] = []
        var ids: [Int] = []
        while true {
            fireDueTimers()
            // Jobs may queue more jobs (a poll's next step, resumed by a timer or an answer): drain
            // until none is left. Jobs queued from this thread do not wake the poll below.
            while true {
                let jobs = lock.withLock {
                    let taken = inbox
                    inbox = []
                    return taken
                }
                if jobs.isEmpty { break }
                jobs.forEach { $0() }
            }

            fds.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
            for (id, live) in sessions {
                fds.append(pollfd(fd: live.fd, events: Int16(POLLIN), revents: 0))
                ids.append(id)
            }
            let idle = lock.withLock { inbox.isEmpty }
            let wait = !idle ? 0 : timers.first.map { max(0, Int32(clamping: ($0 - Self.now() + 999_999) / 1_000_000)) } ?? -1
            guard poll(&fds, nfds_t(fds.count), wait) > 0 else { continue }
            if fds[0].revents != 0 {
                var count: UInt64 = 0
                _ = read(wake, &count, 8)
            }
            for (slot, id) in ids.enumerated() where fds[slot + 1].revents != 0 {
                guard let live = sessions[id] else { continue }
                _ = inspect_sess_read_fd(live.handle, live.fd)
                reschedule(id)
            }
        }
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private func fireDueTimers() {
        let now = Self.now()
        while let due = timers.first, due <= now {
            switch timers.pop().event {
            case .session(let id, let generation):
                guard let live = sessions[id], live.generation == generation else { continue }
                snmp_sess_timeout(live.handle)   // retransmits, or calls back with TIMED_OUT
                reschedule(id)
            case .budget(let token, let seconds):
                complete(token, .failure(.budgetExceeded(seconds)))
            }
        }
    }

    /// Sets the session's timer to libsnmp's next retransmission or timeout (none when idle).
    private func reschedule(_ id: Int) {
        guard var live = sessions[id] else { return }
        live.generation += 1
        sessions[id] = live
        let micros = inspect_sess_next_timeout_us(live.handle, live.fd)
        if micros >= 0 { timers.push(Self.now() + Int64(micros) * 1_000, .session(id, live.generation)) }
    }

    // MARK: sessions (engine thread)

    /// Opens a session for `endpoint`, once its SNMPv3 user's turn has come. Returns its id.
    func open(_ endpoint: SNMPEndpoint) async throws(SNMPError) -> Int {
        let result: Result<Int, SNMPError> = await withCheckedContinuation { continuation in
            submit { [self] in
                let turn = endpoint.version == .v3 ? "\(endpoint.user)@\(endpoint.peerName)" : nil
                let start = { [self] in continuation.resume(returning: openNow(endpoint, turn: turn)) }
                guard let turn else { return start() }
                if v3Turns[turn] != nil { v3Turns[turn]!.append(start) } else { v3Turns[turn] = []; start() }
            }
        }
        return try result.get()
    }

    /// `turn`: the SNMPv3 user's turn this session holds until it closes (nil for v1/v2c).
    private func openNow(_ endpoint: SNMPEndpoint, turn: String?) -> Result<Int, SNMPError> {
        do {
            let handle = try SNMPSession.openHandle(endpoint)
            let id = nextID
            nextID += 1
            let patience = Int64(min(endpoint.timeout, 3_600) * Double(max(0, endpoint.retries) + 1) * 1e9)
            sessions[id] = Live(handle: handle, fd: inspect_sess_fd(handle), turn: turn, peer: endpoint.description, patience: patience)
            return .success(id)
        } catch {
            if let turn { passTurn(turn) }
            return .failure(error)
        }
    }

    func close(_ id: Int) {
        submit { [self] in
            guard let live = sessions.removeValue(forKey: id) else { return }
            snmp_sess_close(live.handle)   // calls back TIMED_OUT for what is still in flight
            if let turn = live.turn { passTurn(turn) }
        }
    }

    private func passTurn(_ key: String) {
        guard var waiting = v3Turns[key], !waiting.isEmpty else { v3Turns[key] = nil; return }
        let next = waiting.removeFirst()
        v3Turns[key] = waiting
        next()
    }

    /// Runs `body` with the session's libsnmp handle, on the engine thread.
    func withHandle<T: Sendable>(_ id: Int, _ body: @escaping (UnsafeMutableRawPointer) -> T) async -> T? {
        await perform { [self] in sessions[id].map { body($0.handle) } }
    }

    // MARK: requests

    /// Sends the PDU `build` makes on session `id`; returns the answer's varbinds. `deadline`
    /// (monotonic ns) cuts the request short with `budgetExceeded(budget)`.
    func send(_ id: Int, oids: [OID], probe: Bool = false, deadline: Int64?, budget: Double,
              build: @escaping () -> UnsafeMutablePointer<netsnmp_pdu>?) async -> Result<[(OID, SNMPValue)], SNMPError> {
        await withCheckedContinuation { continuation in
            let job = { [self] in
                guard let live = sessions[id] else { return continuation.resume(returning: .failure(.other("session closed"))) }
                guard let pdu = build() else { return continuation.resume(returning: .failure(.other("cannot allocate a PDU"))) }
                let token = nextID
                nextID += 1
                pending[token] = Pending(session: id, oids: oids, probe: probe) { continuation.resume(returning: $0) }
                if snmp_sess_async_send(live.handle, pdu, engineCallback, UnsafeMutableRawPointer(bitPattern: token)) == 0 {
                    snmp_free_pdu(pdu)
                    complete(token, .failure(SNMPSession.error(of: live.handle, peer: live.peer)))
                    return
                }
                // A budget that ends before libsnmp gives up needs a timer of its own; any other
                // request ends by itself first (and the heap stays small).
                if let deadline, deadline < Self.now() + live.patience { timers.push(deadline, .budget(token, budget)) }
                reschedule(id)
            }
            // A poll running on the engine (its task executor) sends at once.
            if onEngineThread { job() } else { submit(job) }
        }
    }

    /// The first outcome of a request wins; later callbacks for it (libsnmp may call twice for a
    /// Report) find nothing.
    private func complete(_ token: Int, _ result: Result<[(OID, SNMPValue)], SNMPError>) {
        pending.removeValue(forKey: token)?.resume(result)
    }

    /// libsnmp's callback, on the engine thread inside read, timeout or close.
    fileprivate func received(op: Int32, pdu: UnsafeMutablePointer<netsnmp_pdu>?, token: Int) {
        guard let request = pending[token] else { return }
        let live = sessions[request.session]
        // A Report comes as a received message or as a security error, depending on its kind.
        if let pdu, Int32(pdu.pointee.command) == PDUType.report {
            let type = snmpv3_get_report_type(pdu)
            if op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, type == SNMPERR_NOT_IN_TIME_WINDOW { return }   // libsnmp sends again with the agent's time
            // The engine-id probe is meant to be answered by a Report.
            return complete(token, request.probe ? .success([]) : .failure(SNMPSession.classify(type, peer: live?.peer ?? "the agent")))
        }
        switch op {
        case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
            guard let pdu else { return complete(token, .failure(.other("empty response"))) }
            complete(token, SNMPSession.answer(pdu.pointee, asked: request.oids))
        case NETSNMP_CALLBACK_OP_RESEND, NETSNMP_CALLBACK_OP_CONNECT:
            return   // news of a retransmission, not an outcome
        case NETSNMP_CALLBACK_OP_TIMED_OUT:
            complete(token, .failure(.timeout(live?.peer ?? "the agent")))
        default:
            complete(token, .failure(live.map { SNMPSession.error(of: $0.handle, peer: $0.peer) } ?? .other("SNMP error")))
        }
    }
}

/// libsnmp calls this for every outcome of an asynchronous request; `magic` carries its token.
private let engineCallback: netsnmp_callback = { op, _, _, pdu, magic in
    SNMPEngine.shared.received(op: op, pdu: pdu, token: Int(bitPattern: magic))
    return 1
}

/// Polls run on the engine thread too (`withTaskExecutorPreference(SNMPEngine.shared)`): their
/// requests then go out without a hop, and no blocking elsewhere in the process (a full
/// cooperative pool) can hold back reading an answer or eat a device's time budget.
extension SNMPEngine: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        submit { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
