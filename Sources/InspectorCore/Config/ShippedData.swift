import Foundation

/// Where a package installs the shipped checklists, profiles and templates (the Debian package:
/// /usr/share/inspect). Files of the same name beside the config file (/etc/inspect) override
/// them, so an upgrade replaces the shipped ones without asking about local changes.
/// INSPECT_DATA_DIR moves it (tests, a relocated install).
public enum ShippedData {
    public static var directory: String {
        ProcessInfo.processInfo.environment["INSPECT_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/share/inspect"
    }
}
