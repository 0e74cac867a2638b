import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes
@testable import ProcFS
@testable import SNMP

/// The pitfalls of DESIGN 4, one value at a time: absent is not 0, wrapped gauges, ENTITY-SENSOR
/// overflow, -1 for unknown, sensor status, enumerations and scaling.
struct SNMPValueRulesTests {
    // No request is sent: the session only has to exist.
    let poller = ProfilePoller(session: SNMPSession(detached: SNMPEndpoint(host: "127.0.0.1", port: 161)), parsed: [:])

    func read(_ value: SNMPValue, _ configure: (inout ProfileMetric) -> Void = { _ in }, row: ProfilePoller.RowContext = .init()) -> Reading {
        var m = ProfileMetric(metric: "temperature.celsius")
        m.unit = "°C"
        configure(&m)
        return poller.reading(m, metric: m.metric!, unit: m.unit, instance: "", label: nil, oid: "1.3.6.1.4.1.9.1.0", value: value, row: row)
    }

    func reason(_ r: Reading) -> String? {
        if case .unavailable(let why) = r.value { return why.en }
        return nil
    }

    @Test(arguments: [SNMPValue.noSuchObject, .noSuchInstance, .endOfMibView])
    func absentIsUnknownNeverZero(value: SNMPValue) {
        let r = read(value)
        #expect(r.number == nil)
        #expect(reason(r)?.contains("1.3.6.1.4.1.9.1.0") == true)
    }

    /// ssCpuRawNice is 0 on any host without niced processes: a counter that stays at 0 is a
    /// sample like any other, and the rate is computed from the others' change.
    @Test func aCounterThatStaysZeroStillGivesARate() throws {
        var p = poller
        var m = ProfileMetric(metric: "cpu.utilisation")
        m.unit = "%"
        m.inputs = [("user", "1.3.6.1.4.1.2021.11.50.0"), ("nice", "1.3.6.1.4.1.2021.11.51.0"), ("idle", "1.3.6.1.4.1.2021.11.53.0")]
        m.expression = try Expression.parse("100 * (delta(user) + delta(nice)) / (delta(user) + delta(nice) + delta(idle))")
        func sample(_ user: UInt32, _ nice: UInt32, _ idle: UInt32) -> Reading {
            p.computed(m, instance: "", label: nil, values: ["user": .counter32(user), "nice": .counter32(nice), "idle": .counter32(idle)],
                       source: "", counterKey: "")
        }
        #expect(reason(sample(100, 0, 1000))?.contains("two samples") == true)
        let second = sample(150, 0, 1150)
        #expect(second.number == 25, "\(second.value)")
        #expect(second.evidence.first?.en.hasPrefix("counters sampled twice") == true)
    }

    /// net-snmp answers 0 for every raw counter until it first refreshes them: no sample yet.
    @Test func allCountersAtZeroAreNotASample() throws {
        var p = poller
        var m = ProfileMetric(metric: "cpu.utilisation")
        m.inputs = [("user", "1.3.6.1.4.1.2021.11.50.0"), ("idle", "1.3.6.1.4.1.2021.11.53.0")]
        m.expression = try Expression.parse("100 * delta(user) / (delta(user) + delta(idle))")
        _ = p.computed(m, instance: "", label: nil, values: ["user": .counter32(0), "idle": .counter32(0)], source: "", counterKey: "")
        let r = p.computed(m, instance: "", label: nil, values: ["user": .counter32(500), "idle": .counter32(9000)], source: "", counterKey: "")
        #expect(reason(r)?.contains("two samples") == true, "\(r.value)")
        #expect(p.ratePending)
    }

    @Test func wrappedGauge32TemperatureIsUnknown() {
        let r = read(.gauge32(UInt32.max - 4))   // -5 as a wrapped Gauge32
        #expect(reason(r)?.contains("wrapped") == true, "\(r.value)")
    }

    @Test func entitySensorOverflowAndMinusOneAreUnknown() {
        #expect(reason(read(.integer(1_000_000_000)) { $0.unknownValues = [1e9, -1e9] }) != nil)
        #expect(reason(read(.integer(-1_000_000_000)) { $0.unknownValues = [1e9, -1e9] }) != nil)
        #expect(reason(read(.integer(-1)) { $0.unknownValues = [-1] })?.contains("unknown") == true)
        #expect(read(.integer(-1)).number == -1)   // without the rule -1 is a value (a freezer at -1 C)
    }

    @Test func sensorStatusOtherThanOkIsUnknownWithItsName() {
        let r = read(.integer(420), { $0.statusOK = [1]; $0.statusNames = [3: "nonoperational"] }, row: .init(status: .integer(3)))
        #expect(reason(r) == "sensor status nonoperational")
    }

    @Test(arguments: [(Double(9), Double(1), 533.0, 53.3), (8, 0, 45_000, 45), (9, 2, 12_345, 123.45), (10, 0, 2, 2000)])
    func entitySensorScaleAndPrecision(scale: Double, precision: Double, raw: Double, expected: Double) {
        let r = read(.integer(Int64(raw)), row: .init(scale: .integer(Int64(scale)), precision: .integer(Int64(precision))))
        #expect(r.number == expected)
    }

    @Test func deviceThresholdsAreScaledLikeTheValue() {
        let r = read(.integer(455), { $0.scale = 0.1 }, row: .init(critical: .integer(700)))
        #expect(r.number == 45.5)
        #expect(r.deviceLimits?.critical == 70)
    }

    @Test func enumerationsAndStrings() {
        #expect(read(.integer(5)) { $0.states = [3: "normal", 5: "battery"] }.value == .state("battery"))
        #expect(read(.integer(9)) { $0.states = [3: "normal"] }.value == .state("value 9"))
        #expect(read(.octets(Array("27.53".utf8))) { $0.syntax = [.string] }.number == 27.53)
        #expect(read(.octets(Array("DRY".utf8))) { $0.textStates = true }.value == .state("dry"))
        #expect(reason(read(.octets(Array("n/a".utf8))) { $0.syntax = [.string] }) != nil)
        #expect(read(.oid(OID("1.3.6.1.2.1.33.1.6.3.1")!)) { $0.oidNames = ["1.3.6.1.2.1.33.1.6.3.1": "batteryBad"] }.value == .state("batteryBad"))
    }

    @Test func rawValueAndSourceAreKeptForReports() {
        let r = read(.integer(4348)) { $0.scale = 0.1; $0.unit = "V" }
        #expect(r.number == 434.8)
        #expect(r.raw == "INTEGER: 4348")
        #expect(r.source == "OID 1.3.6.1.4.1.9.1.0")
    }
}

struct SNMPAddressTests {
    @Test func v2cCommunityAndParameters() throws {
        let a = try SNMPAddress.parse("snmp://s3cret@10.1.2.3:1161?timeout=0.5&retries=2&max_repetitions=10&profile=ups-mib")
        #expect(a.endpoint.version == .v2c && a.endpoint.community == "s3cret" && a.endpoint.port == 1161)
        #expect(a.endpoint.timeout == 0.5 && a.endpoint.retries == 2 && a.endpoint.maxRepetitions == 10)
        #expect(a.profiles == ["ups-mib"])
        #expect(!a.endpoint.description.contains("s3cret"))
    }

    func secretsFile(_ text: String, mode: mode_t) throws -> String {
        let path = NSTemporaryDirectory() + "inspect-secrets-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    @Test func v3FromASecretsFile() throws {
        let file = try secretsFile("# SNMPv3 ups-a\nauth = authpass123\npriv=privpass123\n", mode: 0o600)
        let a = try SNMPAddress.parse("snmpv3://alice@127.0.0.1:161?level=authPriv&auth=SHA-256&priv=AES-256&secrets=\(file)")
        #expect(a.endpoint.user == "alice" && a.endpoint.level == .authPriv)
        #expect(a.endpoint.authProtocol == .sha256 && a.endpoint.privProtocol == .aes256)
        #expect(a.endpoint.authPassphrase == "authpass123" && a.endpoint.privPassphrase == "privpass123")
    }

    @Test func worldReadableSecretsAreRefused() throws {
        let file = try secretsFile("auth=authpass123\n", mode: 0o644)
        #expect { try SNMPAddress.parse("snmpv3://alice@h?level=authNoPriv&secrets=\(file)") } throws: { error in
            let text = "\(error)"
            return text.contains("readable by others") && text.contains("chmod 600") && !text.contains("authpass123")
        }
    }

    @Test func secretsFromTheEnvironment() throws {
        let a = try SNMPAddress.parse("snmpv3://bob@h?secrets=env:UPS_A") { ["UPS_A_AUTH": "authpass123", "UPS_A_PRIV": "privpass123"] }
        #expect(a.endpoint.level == .authPriv && a.endpoint.privPassphrase == "privpass123")
    }

    @Test(arguments: ["snmpv3://h?level=authPriv", "snmp://h?timeot=1", "snmp://h?timeout=-1", "snmpv3://u@h?level=authPriv",
                      "snmpv3://u@h?level=secret", "snmpv3://u@h?auth=SHA-999", "http://h"])
    func badAddressesAreRefused(text: String) {
        #expect(throws: SNMPAddress.Invalid.self) { try SNMPAddress.parse(text) { [:] } }
    }
}
