import Foundation
import InspectorCore

/// SXKR-010's disk health from smartmontools' JSON (`smartctl --json`): overall health, reallocated
/// and pending sectors, temperature; for NVMe the share of endurance used, media errors and the
/// critical warning. Without smartctl, without root, or on a VM whose disks have no SMART, one
/// UNKNOWN reading says which.
///
/// smartctl must run as root to open the disks, and the daemon does not. So root's
/// `inspect smart-snapshot` (inspect-smart.timer) keeps smartctl's answers in a snapshot file, and a
/// collector not running as root reads that instead, as long as it is fresh.
public struct SmartCollector: Sendable {
    public static let smartctl = "/usr/sbin/smartctl"
    /// A snapshot older than this is not used: the timer takes one every 30 min.
    public static let snapshotMaxAge: Double = 2 * 3600
    let tool: String
    let snapshotFile: String?
    let isRoot: Bool
    let now: @Sendable () -> Double

    public init(tool: String = SmartCollector.smartctl, snapshotFile: String? = nil, isRoot: Bool = geteuid() == 0,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.tool = tool
        self.snapshotFile = snapshotFile
        self.isRoot = isRoot
        self.now = now
    }

    public func readings() async -> [Reading] {
        if !isRoot, let snapshotFile, let data = FileManager.default.contents(atPath: snapshotFile) {
            guard let snapshot = try? JSONDecoder().decode(SmartSnapshot.self, from: data) else {
                return [Self.unavailable(Vocabulary.text("reasons.smart_snapshot_garbage", ["file": snapshotFile]), source: snapshotFile)]
            }
            let age = now() - snapshot.taken
            guard age <= Self.snapshotMaxAge, age > -300 else {
                return [Self.unavailable(Vocabulary.text("reasons.smart_snapshot_stale", ["file": snapshotFile, "hours": formatNumber(age / 3600)]), source: snapshotFile)]
            }
            let note = Vocabulary.text("evidence.smart_snapshot", ["minutes": Int(max(0, age) / 60)])
            return Self.readings(snapshot).map { var r = $0; r.evidence.append(note); return r }
        }
        return Self.readings(await take())
    }

    /// smartctl's answers now: the scan, then each disk it found.
    public func take() async -> SmartSnapshot {
        var snapshot = SmartSnapshot(taken: now(), root: isRoot)
        guard FileManager.default.isExecutableFile(atPath: tool) else { return snapshot }
        snapshot.installed = true
        let tool = self.tool
        snapshot.scan = SmartAnswer(await AbandonableCall.run(key: "smartctl --scan-open", timeout: 30) { ChildOutput.run(tool, ["--scan-open", "--json"]) })
        guard let output = snapshot.scan?.output,
              let doc = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else { return snapshot }
        for d in doc["devices"] as? [[String: Any]] ?? [] {
            guard let name = d["name"] as? String else { continue }
            let type = d["type"] as? String ?? "auto"
            let answer = await AbandonableCall.run(key: "smartctl \(name)", timeout: 30) { ChildOutput.run(tool, ["--json", "-a", "-d", type, name]) }
            snapshot.disks.append(SmartDisk(name: name, type: type, answer: SmartAnswer(answer)))
        }
        return snapshot
    }

    /// The readings smartctl's answers give.
    public static func readings(_ snapshot: SmartSnapshot) -> [Reading] {
        let source = "smartctl --json"
        guard snapshot.installed else { return [unavailable(Vocabulary.text("reasons.smartctl_missing"), source: source)] }
        guard let scan = snapshot.scan?.output, (try? JSONSerialization.jsonObject(with: Data(scan.utf8))) != nil else {
            return [unavailable(Vocabulary.text("reasons.smartctl_silent"), source: source)]
        }
        guard !snapshot.disks.isEmpty else {
            return [unavailable(Vocabulary.text(snapshot.root ? "reasons.smart_no_disks" : "reasons.smart_needs_root"), source: "smartctl --scan-open")]
        }
        return snapshot.disks.flatMap { disk -> [Reading] in
            if let output = disk.answer.output { return SmartJSON.readings(output, device: disk.name) }
            let why = disk.answer.failure.map(LocalizedText.init) ?? Vocabulary.text("reasons.smartctl_stuck", ["device": disk.name])
            return [Reading(metric: HostMetric.smartHealth, instance: disk.name, value: .unavailable(why), source: "smartctl -a \(disk.name)")]
        }
    }

    static func unavailable(_ why: LocalizedText, source: String) -> Reading {
        Reading(metric: HostMetric.smartHealth, instance: "", value: .unavailable(why), source: source)
    }
}

/// What smartctl answered, kept as it came: the snapshot root's timer writes for the daemon.
public struct SmartSnapshot: Codable, Sendable, Equatable {
    /// Unix time it was taken.
    public var taken: Double
    /// Whether it was taken as root (without, smartctl finds no disk it may open).
    public var root: Bool
    public var installed = false
    public var scan: SmartAnswer?
    public var disks: [SmartDisk] = []

    public init(taken: Double, root: Bool, installed: Bool = false, scan: SmartAnswer? = nil, disks: [SmartDisk] = []) {
        self.taken = taken
        self.root = root
        self.installed = installed
        self.scan = scan
        self.disks = disks
    }
}

public struct SmartDisk: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    public var answer: SmartAnswer
    public init(name: String, type: String, answer: SmartAnswer) {
        self.name = name
        self.type = type
        self.answer = answer
    }
}

/// One smartctl run: its output, or why there is none (failed to start; no answer within 30 s).
public struct SmartAnswer: Codable, Sendable, Equatable {
    public var output: String?
    public var failure: String?

    public init(output: String? = nil, failure: String? = nil) {
        self.output = output
        self.failure = failure
    }

    init(_ outcome: AbandonableCall.Outcome<Result<ChildOutput.Answer, ChildFailure>>) {
        switch outcome {
        case .done(.success(let a)): output = a.output
        case .done(.failure(let f)): failure = f.description
        case .timedOut, .stillStuck: break
        }
    }
}

/// One disk's `smartctl --json -a` output as readings.
public enum SmartJSON {
    public static func readings(_ text: String, device: String) -> [Reading] {
        let source = "smartctl --json -a \(device)"
        guard let doc = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return [Reading(metric: HostMetric.smartHealth, instance: device, value: .unavailable(Vocabulary.text("reasons.smartctl_garbage")), source: source)]
        }
        let smartctl = doc["smartctl"] as? [String: Any] ?? [:]
        let status = (smartctl["exit_status"] as? Int) ?? 0
        let messages = (smartctl["messages"] as? [[String: Any]] ?? []).compactMap { $0["string"] as? String }
        let model = [doc["model_name"] as? String, (doc["serial_number"] as? String).map { "SN \($0)" }].compactMap { $0 }.joined(separator: " ")
        let label = model.isEmpty ? device : "\(device) (\(model))"
        // Bits 0-2: the command line, the device's open, or a SMART command failed: nothing read.
        guard status & 0b111 == 0 || doc["smart_status"] != nil else {
            let why = messages.first.map { DeviceText.clean($0) } ?? "exit status \(status)"
            return [Reading(metric: HostMetric.smartHealth, instance: device, value: .unavailable(Vocabulary.text("reasons.smart_unreadable", ["why": why])),
                            source: source, raw: "exit status \(status)", label: label)]
        }
        var out: [Reading] = []
        var evidence: [LocalizedText] = []
        if let hours = (doc["power_on_time"] as? [String: Any])?["hours"] as? Int {
            evidence.append(Vocabulary.text("evidence.smart_hours", ["hours": hours]))
        }
        if let passed = (doc["smart_status"] as? [String: Any])?["passed"] as? Bool {
            out.append(Reading(metric: HostMetric.smartHealth, instance: device, value: .state(passed ? "passed" : "failed"), source: source,
                               raw: "exit status \(status)", evidence: evidence, label: label))
        } else {
            out.append(Reading(metric: HostMetric.smartHealth, instance: device, value: .unavailable(Vocabulary.text("reasons.smart_no_status")),
                               source: source, label: label))
        }
        func number(_ metric: String, _ value: Any?, unit: String, raw: String? = nil) {
            guard let v = (value as? NSNumber)?.doubleValue else { return }
            out.append(Reading(metric: metric, instance: device, value: .number(v), unit: unit, source: source, raw: raw, label: label))
        }
        // The temperature smartctl worked out; attribute 194's raw value packs min and max into high bytes.
        number(HostMetric.smartTemperature, (doc["temperature"] as? [String: Any])?["current"], unit: "°C")
        let attributes = ((doc["ata_smart_attributes"] as? [String: Any])?["table"] as? [[String: Any]]) ?? []
        for (id, metric) in [(5, HostMetric.smartReallocated), (197, HostMetric.smartPending)] {
            if let a = attributes.first(where: { $0["id"] as? Int == id }) {
                number(metric, (a["raw"] as? [String: Any])?["value"], unit: "sectors", raw: a["name"] as? String)
            }
        }
        if let nvme = doc["nvme_smart_health_information_log"] as? [String: Any] {
            number(HostMetric.nvmePercentUsed, nvme["percentage_used"], unit: "%")
            number(HostMetric.nvmeMediaErrors, nvme["media_errors"], unit: "errors")
            number(HostMetric.nvmeCriticalWarning, nvme["critical_warning"], unit: "")
        }
        return out
    }
}
