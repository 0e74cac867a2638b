import InspectorCore
import Probes

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

    public static func load(file: String) throws(ConfigError) -> InspectorConfig {
        try ConfigLoader.load(file: file, validateAddress: problem)
    }
}
