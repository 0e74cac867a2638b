import Testing
@testable import InspectorCore

/// The monitoring-plugins range semantics (Nagios plugin development guidelines, "Threshold and
/// ranges"): each row is a range, a value, and whether that value raises an alert.
struct NagiosRangeTests {
    static let table: [(String, Double, Bool)] = [
        ("10", -1, true), ("10", 0, false), ("10", 10, false), ("10", 10.01, true),
        ("10:", 9.99, true), ("10:", 10, false), ("10:", 1e9, false),
        ("~:10", -1e9, false), ("~:10", 10, false), ("~:10", 11, true),
        ("10:20", 9, true), ("10:20", 10, false), ("10:20", 20, false), ("10:20", 21, true),
        ("@10:20", 9, false), ("@10:20", 10, true), ("@10:20", 15, true), ("@10:20", 20, true), ("@10:20", 21, false),
        ("~:70", 70, false), ("~:70", 70.1, true), ("-5:5", -5, false), ("-5:5", -5.1, true),
        ("1.5", 1.5, false), ("1.5", 1.51, true), ("~:0", 0, false), ("~:0", 1, true),
    ]

    @Test(arguments: table)
    func alertsAsTheMonitoringPluginsDo(range: String, value: Double, alerts: Bool) throws {
        #expect(try NagiosRange.parse(range).alerts(value) == alerts)
    }

    static let invalid: [(String, NagiosRange.ParseError)] = [
        ("", .empty), ("@", .empty), ("abc", .notANumber("abc")), ("10:x", .notANumber("x")),
        ("20:10", .startAfterEnd("20:10")), ("~", .notANumber("~")), ("inf", .notANumber("inf")),
    ]

    @Test(arguments: invalid)
    func rejectsMalformedRanges(text: String, error: NagiosRange.ParseError) {
        #expect(throws: error) { try NagiosRange.parse(text) }
    }

    @Test func criticalIsCheckedFirst() throws {
        let t = Thresholds(warning: try .parse("~:80"), critical: try .parse("~:90"))
        #expect(t.level(of: 50) == .ok)
        #expect(t.level(of: 85) == .warning)
        #expect(t.level(of: 95) == .critical)
    }

    @Test func minMaxShorthandMatchesRangeText() {
        #expect(NagiosRange.bounds(min: nil, max: 80).alerts(81))
        #expect(!NagiosRange.bounds(min: 18, max: 27).alerts(18))
        #expect(NagiosRange.bounds(min: 18, max: 27).alerts(27.5))
        #expect(NagiosRange.bounds(min: 18, max: nil).text == "18:")
    }

    @Test func plainWordsForReports() throws {
        #expect(try NagiosRange.parse("~:70").humanText == "<= 70")
        #expect(try NagiosRange.parse("~:90").alertText == "> 90")
        #expect(try NagiosRange.parse("18:27").humanText == "18 .. 27")
        #expect(try NagiosRange.parse("@10:20").humanText == "not 10 .. 20")
    }
}
