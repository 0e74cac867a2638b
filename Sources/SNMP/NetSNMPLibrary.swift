internal import CNetSNMP
import Foundation

/// One-time set-up of net-snmp: no MIB files, no snmp.conf, no persistent state, no logging
/// to stderr. Called once, by the engine thread as it starts (the only thread that calls libsnmp).
enum NetSNMPLibrary {
    static func initialise() {
        setenv("MIBS", "", 1)
        setenv("MIBDIRS", "", 1)
        setenv("SNMPCONFPATH", "/nonexistent-inspect", 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1)
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1)
        snmp_disable_log()
        init_snmp("inspect")
    }

    /// The library's version string ("5.9.3").
    static var version: String { String(cString: netsnmp_get_version()) }
}
