import Foundation
import ProcFS
import InspectorCore
import SNMP

/// Reads one SNMP device: detects (or takes the forced) profiles, polls them, returns readings.
/// Requests go through the process's one SNMP engine; `limiter` bounds how many devices are polled at once.
public struct SNMPProbe: Probe {
    public let profiles: [DeviceProfile]
    let limiter: PollLimiter
    let parsed: [String: OID]
    let scalarLists: [String: [OID]]
    /// Every profile's detect OIDs, parsed and sorted, each once.
    let detectOIDs: [OID]
    /// Previous counter values per target, for rates between two samples. The daemon keeps one
    /// for its whole life, so a reload does not lose them.
    let counters: CounterMemory
    /// When set (`inspect now`), a rate that needs a second sample gets it within the same poll:
    /// the counters are sampled again this many seconds later, and again every second while the
    /// agent has not refreshed them, within the target's budget. Nil (the daemon): the next poll
    /// gives the second sample.
    let rateWindow: Double?

    static let sysDescr = OID("1.3.6.1.2.1.1.1.0")!
    static let sysObjectID = OID("1.3.6.1.2.1.1.2.0")!
    static let sysName = OID("1.3.6.1.2.1.1.5.0")!

    public init(profiles: [DeviceProfile], limiter: PollLimiter, counters: CounterMemory = CounterMemory(), rateWindow: Double? = nil) {
        self.profiles = profiles
        self.limiter = limiter
        self.counters = counters
        self.rateWindow = rateWindow
        let parsed = ProfilePoller.parse(profiles)
        self.parsed = parsed
        scalarLists = Dictionary(profiles.map { ($0.id, ProfilePoller.scalarOIDs(of: $0, parsed)) }, uniquingKeysWith: { a, _ in a })
        detectOIDs = Set(profiles.flatMap(\.detectOIDs).compactMap { parsed[$0] ?? OID($0) }).sorted()
    }

    public func collect(_ target: Target) async -> TargetReadings {
        await withTaskExecutorPreference(SNMPEngine.shared) {
            await limiter.run { await poll(target) }
        }
    }

    public var executor: (any TaskExecutor)? { SNMPEngine.shared }

    /// Enough for the limiter's ceiling and its places again: the next poll is ready the moment a
    /// place frees, also when polls that wait on their devices have given theirs up.
    public var startWindow: Int? { limiter.ceiling + limiter.size }

    /// The whole poll of one target. Never inlined into `collect`: its async frame (readings,
    /// profiles, the poller) is then allocated only once the limiter lets the poll run, not by
    /// every target still waiting for its turn (1,000 waiting targets held 15 MB of frames).
    @inline(never)
    public func poll(_ target: Target) async -> TargetReadings {
        guard case .snmp(let address) = target.endpoint else {
            return TargetReadings(target: target, readings: [], failure: "bad SNMP address: \(target.endpoint.problem ?? "not an SNMP URL")")
        }
        do {
            let session = try await SNMPSession(address.endpoint, budget: address.budget)
            let detection = try await detect(session, forced: address.profiles)
            var result = TargetReadings(target: target, readings: [])
            if target.kind == .host, let kind = Self.kind(of: detection.profiles) { result.target.kind = kind }
            result.inventory = detection.inventory
            // Only standard network MIBs answer (IF-MIB, ENTITY-*): ports and sensors are read,
            // and the cards they cannot fill say which vendor's profile is missing.
            if target.metrics.isEmpty, Self.lacksVendorProfile(detection.profiles) {
                result.unprofiled = Self.noProfile(detection.inventory)
            }
            guard !detection.profiles.isEmpty || !target.metrics.isEmpty else { return result }
            var profiles = detection.profiles
            if !target.metrics.isEmpty {
                // The target's own metrics ride along as a profile of its own.
                var own = DeviceProfile(id: "target:\(target.id)", title: "metrics of \(target.id)", kind: result.target.kind)
                own.metrics = target.metrics
                profiles.append(own)
            }
            var poller = ProfilePoller(session: session, parsed: parsed, scalarLists: scalarLists, counters: counters, targetID: target.id)
            let polled = try await poller.readings(for: profiles)
            result.readings = polled.readings
            if let rateWindow, poller.ratePending {
                result.readings = try await resample(&poller, profiles, result.readings, window: rateWindow, budget: address.budget)
            }
            result.readings = Self.markingExpectedDown(result.readings, target.ports)
            result.inventory.merge(polled.inventory) { _, new in new }
            result.inventory["profiles"] = detection.profiles.map(\.id).joined(separator: ",")
            if !session.problems.isEmpty { result.inventory["problems"] = session.problems.joined(separator: "; ") }
            // What the poll cost the device: requests sent (detection, GETs, GETBULK pages, resamples).
            result.inventory["snmp_requests"] = String(session.requests)
            result.inventory["snmp_varbinds"] = String(session.varbinds)
            return result
        } catch {
            var failed = TargetReadings(target: target, readings: [], failure: error.description)
            failed.failureWords = error.words
            return failed
        }
    }

    /// Ports the site says are down on purpose (by name, or by their ifAlias) read expectedDown,
    /// which PORT-001 takes as normal; any other state is left as the device gave it.
    static func markingExpectedDown(_ readings: [Reading], _ ports: PortSettings) -> [Reading] {
        guard !ports.expectedDown.isEmpty || ports.expectedDownAlias != nil else { return readings }
        return readings.map { r in
            guard r.metric == "port.status", case .state(let s) = r.value, ["down", "lowerLayerDown", "notPresent"].contains(s),
                  ports.expectsDown(name: r.label, instance: r.instance, alias: r.alias) else { return r }
            var marked = r
            marked.value = .state("expectedDown")
            marked.evidence.append(r.alias.map { Vocabulary.text("evidence.port_down_alias", ["alias": $0]) } ?? Vocabulary.text("evidence.port_down_listed"))
            return marked
        }
    }

    /// Why a device that answers gets no verdicts: which sysObjectID, whose enterprise, what it says it is.
    static func noProfile(_ inventory: [String: String]) -> LocalizedText {
        let id = inventory["sysObjectID"] ?? "?"
        let parts = id.split(separator: ".")
        let enterprise = parts.count > 6 && id.hasPrefix("1.3.6.1.4.1.") ? String(parts[6]) : "?"
        let descr = DeviceText.clean(inventory["sysDescr"] ?? "").prefix(120)
        return Vocabulary.text("reasons.snmp_no_profile", ["oid": id, "enterprise": enterprise, "descr": String(descr)])
    }

    /// The profile that says what the device is: the first specific one; among standard MIBs
    /// only, a host MIB when one answers (a server's agent also has IF-MIB), else the first.
    static func decider(of profiles: [DeviceProfile]) -> DeviceProfile? {
        profiles.first { !$0.generic } ?? profiles.first { $0.kind == .host } ?? profiles.first
    }

    static func kind(of profiles: [DeviceProfile]) -> TargetKind? { decider(of: profiles)?.kind }

    /// Nothing answers, or only standard MIBs of a network device: no vendor profile knows it.
    static func lacksVendorProfile(_ profiles: [DeviceProfile]) -> Bool {
        profiles.isEmpty || (profiles.allSatisfy(\.generic) && kind(of: profiles) != .host)
    }

    /// Samples the rate counters again until every rate is known or the budget would run out.
    func resample(_ poller: inout ProfilePoller, _ profiles: [DeviceProfile], _ readings: [Reading],
                  window: Double, budget: Double) async throws(SNMPError) -> [Reading] {
        let started = Date()
        var readings = readings
        var wait = window
        // Leave a second of the budget for the last request itself.
        while poller.ratePending, Date().timeIntervalSince(started) + wait < budget - 1 {
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            for fresh in try await poller.rateReadings(for: profiles) {
                if let i = readings.firstIndex(where: { $0.metric == fresh.metric && $0.instance == fresh.instance }) { readings[i] = fresh }
            }
            wait = 1
        }
        return readings
    }

    /// What detection found on a target, and why, for `inspect targets --detect`.
    /// The kind detection decides (nil when nothing answers), and why, in words.
    public func explain(_ target: Target) async -> (kind: TargetKind?, text: String) {
        await withTaskExecutorPreference(SNMPEngine.shared) {
            await limiter.run { await explainNow(target) }
        }
    }

    private func explainNow(_ target: Target) async -> (kind: TargetKind?, text: String) {
        do {
            guard case .snmp(let address) = target.endpoint else { return (nil, "not detected: \(target.endpoint.problem ?? "not an SNMP URL")") }
            let session = try await SNMPSession(address.endpoint, budget: address.budget)
            let found = try await detect(session, forced: address.profiles)
            let system = ["sysObjectID", "sysDescr"].compactMap { k in found.inventory[k].map { "\(k)=\($0.prefix(60))" } }
            let profiles = found.profiles.isEmpty ? "no profile answers" : found.profiles.map { "\($0.id) (\(found.reasons[$0.id] ?? ""))" }.joined(separator: "; ")
            let kind = Self.kind(of: found.profiles)
            let why = Self.decider(of: found.profiles).map { " (from \($0.id))" } ?? ""
            let gap = !found.profiles.isEmpty && Self.lacksVendorProfile(found.profiles)
                ? " [standard MIBs only: \(Self.noProfile(found.inventory).en)]" : ""
            return (kind, "kind=\(kind?.rawValue ?? target.kind.rawValue)\(why) profiles: \(profiles);\(gap) \(system.joined(separator: " "))")
        } catch {
            return (nil, "not detected: \(error)")
        }
    }

    /// Profiles whose detect OIDs answer or whose sysObjectID prefix matches; forced ones win.
    func detect(_ session: SNMPSession, forced: [String]) async throws(SNMPError) -> (profiles: [DeviceProfile], inventory: [String: String], reasons: [String: String]) {
        // Profiles forced on the target need no detection: the system group alone, for the inventory.
        let answers = try await session.get([Self.sysDescr, Self.sysObjectID, Self.sysName] + (forced.isEmpty ? detectOIDs : []))
        var inventory: [String: String] = [:]
        if let v = answers[Self.sysDescr], !v.isAbsent { inventory["sysDescr"] = v.text }
        if let v = answers[Self.sysObjectID], !v.isAbsent { inventory["sysObjectID"] = v.text }
        if let v = answers[Self.sysName], !v.isAbsent { inventory["sysName"] = v.text }
        if !forced.isEmpty {
            let chosen = profiles.filter { forced.contains($0.id) }
            return (chosen, inventory, Dictionary(uniqueKeysWithValues: chosen.map { ($0.id, "forced by ?profile=") }))
        }
        var found: [DeviceProfile] = []
        var reasons: [String: String] = [:]
        // A detect OID that is no object may be a table column: one GETNEXT batch asks which have rows.
        let columns = detectOIDs.filter { answers[$0]?.isAbsent ?? true }
        let populated = (try? await session.populated(columns.sorted())) ?? []
        for p in profiles {
            let answering = p.detectOIDs.first { o in OID(o).flatMap { answers[$0] }.map { !$0.isAbsent } ?? false }
            let column = answering != nil ? nil : p.detectOIDs.first { o in OID(o).map { populated.contains($0) } ?? false }
            let bySysObjectID = p.sysObjectIDPrefixes.contains { prefix in
                guard let id = inventory["sysObjectID"] else { return false }
                return id == prefix || id.hasPrefix(prefix + ".")
            }
            if let answering { reasons[p.id] = "\(answering) answers" }
            else if let column { reasons[p.id] = "table \(column) has rows" }
            else if bySysObjectID { reasons[p.id] = "sysObjectID matches" }
            if reasons[p.id] != nil { found.append(p) }
        }
        return (found, inventory, reasons)
    }
}

extension SNMPError {
    /// What went wrong, in both report languages.
    var words: LocalizedText {
        switch self {
        case .timeout(let peer): Vocabulary.text("reasons.snmp_timeout", ["peer": peer])
        case .authentication(let why): Vocabulary.text("reasons.snmp_authentication", ["why": why])
        case .sessionOpen(let why): Vocabulary.text("reasons.snmp_session", ["why": why])
        case .agentError(let status, let oid): Vocabulary.text("reasons.snmp_agent_error", ["status": status, "oid": oid])
        case .nonIncreasing(let oid): Vocabulary.text("reasons.snmp_non_increasing", ["oid": oid])
        case .budgetExceeded(let seconds): Vocabulary.text("reasons.snmp_budget", ["seconds": formatNumber(seconds)])
        case .other(let why): LocalizedText(why)
        }
    }
}
