import CNetSNMP
import Testing

/// The net-snmp system library links and answers.
struct NetSNMPLibraryTests {
    @Test func netSNMPReportsItsVersion() {
        let version = String(cString: netsnmp_get_version())
        #expect(version.split(separator: ".").count >= 2, "\(version)")
        #expect(version.first?.isNumber == true)
    }
}
