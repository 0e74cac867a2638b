import Foundation
import InspectorCore

/// SXKR-010's disk health from smartmontools' JSON (`smartctl --json`): overall health, reallocated
/// and pending sectors, temperature; for NVMe the share of endurance used, media errors and the
/// critical warning. Without smartctl, without root, or on a VM whose disks have no SMART, one
/// UNKNOWN reading says which.
public struct SmartCollector: Sendable {
    public static let smartctl = "/usr/sbin/smartctl"
    let tool: String

    public init(tool: String = SmartCollector.smartctl) { self.tool = tool }

    public func readings() async -> [Reading] {
        let source = "smartctl --json"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            return [Reading(metric: HostMetric.smartHealth, instance: "", value: .unavailable(Vocabulary.text("reasons.smartctl_missing")), source: source)]
        }
        let tool = self.tool
        let scan = await AbandonableCall.run(key: "smartctl --scan-open", timeout: 30) { ChildOutput.run(tool, ["--scan-open", "--json"]) }
        guard case .done(.success(let answer)) = scan,
              let doc = try? JSONSerialization.jsonObject(with: Data(answer.output.utf8)) as? [String: Any] else {
            return [Reading(metric: HostMetric.smartHealth, instance: "", value: .unavailable(Vocabulary.text("reasons.smartctl_silent")), source: source)]
        }
        let devices = (doc["devices"] as? [[String: Any]] ?? []).compactMap { d -> (String, String)? in
            guard let name = d["name"] as? String else { return nil }
            return (name, d["type"] as? String ?? "auto")
        }
        guard !devices.isEmpty else {
            let why = geteuid() == 0 ? Vocabulary.text("reasons.smart_no_disks") : Vocabulary.text("reasons.smart_needs_root")
            return [Reading(metric: HostMetric.smartHealth, instance: "", value: .unavailable(why), source: "smartctl --scan-open")]
        }
        var out: [Reading] = []
        for (name, type) in devices {
            let result = await AbandonableCall.run(key: "smartctl \(name)", timeout: 30) { ChildOutput.run(tool, ["--json", "-a", "-d", type, name]) }
            switch result {
            case .done(.success(let a)): out += SmartJSON.readings(a.output, device: name)
            case .done(.failure(let f)):
                out.append(Reading(metric: HostMetric.smartHealth, instance: name, value: .unavailable(LocalizedText(f.description)), source: "smartctl -a \(name)"))
            case .timedOut, .stillStuck:
                out.append(Reading(metric: HostMetric.smartHealth, instance: name,
                                   value: .unavailable(Vocabulary.text("reasons.smartctl_stuck", ["device": name])), source: "smartctl -a \(name)"))
            }
        }
        return out
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
