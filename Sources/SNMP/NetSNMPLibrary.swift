internal import CNetSNMP
import Foundation

/// One-time set-up of net-snmp: no MIB files, no snmp.conf, no persistent state, no logging
/// to stderr. init_snmp is not thread-safe, so it runs once under a lock.
enum NetSNMPLibrary {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var initialised = false

    static func initialise() {
        lock.lock()
        defer { lock.unlock() }
        guard !initialised else { return }
        setenv("MIBS", "", 1)
        setenv("MIBDIRS", "", 1)
        setenv("SNMPCONFPATH", "/nonexistent-inspect", 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1)
        snmp_disable_log()
        init_snmp("inspect")
        initialised = true
    }

    /// The library's version string ("5.9.3").
    static var version: String { String(cString: netsnmp_get_version()) }
}
