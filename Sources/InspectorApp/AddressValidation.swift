import InspectorCore
import Probes
import Reports

/// Checks of target addresses that need protocol knowledge, for config load and --target.
public enum AddressValidation {
    /// The problem with an address, or nil. Secrets files are checked (exist, not world-readable)
    /// but their content is never shown.
    public static func problem(_ address: String) -> String? {
        let scheme = address.split(separator: ":").first.map { $0.lowercased() } ?? ""
        if scheme.hasPrefix("snmp") {
            do { _ = try SNMPAddress.parse(address) } catch { return error.description }
        }
        return nil
    }

    /// The config, its addresses checked, and its report templates (they must parse too).
    public static func load(file: String) throws(ConfigError) -> (InspectorConfig, ReportTemplates) {
        let config = try ConfigLoader.load(file: file, validateAddress: problem)
        return (config, try TemplateSet.load(config))
    }
}
