import InspectorCore
import Probes
import ProcFS

/// Picks the probe for a target's address scheme.
struct ProbeFactory: Sendable {
    let root: SystemRoot
    let settings: InspectorConfig.Inspection
    let cpuWindow: Double?
    let baseline: HostBaseline
    /// One SNMP probe for every SNMP target of the run: profiles parsed once, one limit on devices polled at once.
    let snmp: SNMPProbe
    /// SMART of the live host: smartctl as root, else the snapshot root's inspect-smart.timer keeps
    /// in the state directory.
    let smart: SmartCollector?

    /// `limiter`: how many SNMP devices are polled at once.
    init(root: SystemRoot, settings: InspectorConfig.Inspection, cpuWindow: Double?, baseline: HostBaseline,
         profiles: [DeviceProfile], limiter: PollLimiter, counters: CounterMemory = CounterMemory(), sampleRatesTwice: Bool = false,
         stateDirectory: String? = nil) {
        self.root = root
        self.smart = root.isLive ? SmartCollector(snapshotFile: stateDirectory.map { ResolvedPaths.smartSnapshot(state: $0) }) : nil
        self.settings = settings
        self.cpuWindow = cpuWindow
        self.baseline = baseline
        self.snmp = SNMPProbe(profiles: profiles, limiter: limiter, counters: counters,
                              rateWindow: sampleRatesTwice ? cpuWindow ?? settings.cpuWindow : nil)
    }


    /// The local host's probe, against `baseline` (the daemon passes the one its state holds now).
    func localHost(baseline: HostBaseline) -> LocalHostProbe {
        LocalHostProbe(root: root, cpuWindow: cpuWindow ?? settings.cpuWindow,
                       sampleInterval: min(settings.sampleInterval, cpuWindow ?? settings.cpuWindow), baseline: baseline, smart: smart)
    }

    func probe(for target: Target) -> any Probe {
        switch target.endpoint {
        case .local: return localHost(baseline: baseline)
        case .snmp: return snmp
        case .http: return HTTPProbe()
        case .ping, .tcp: return ReachProbe()
        case .backup: return BackupProbe()
        case .invalid(let why): return UnavailableProbe(reason: why)
        }
    }
}

/// A probe for a scheme this build cannot read: every card of the target becomes UNKNOWN with the reason.
struct UnavailableProbe: Probe {
    let reason: String
    func collect(_ target: Target) async -> TargetReadings {
        TargetReadings(target: target, readings: [], failure: reason)
    }
}
