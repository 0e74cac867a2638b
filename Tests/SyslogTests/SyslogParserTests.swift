import Testing
@testable import Syslog

struct SyslogParserTests {
    func parse(_ text: String) -> Result<SyslogMessage, SyslogMalformed> { SyslogParser.parse(Array(text.utf8)) }

    /// util-linux `logger --rfc3164 -p local0.err` sends this shape.
    @Test func rfc3164WithTimestampHostAndTag() throws {
        let m = try parse("<131>Dec  5 11:40:02 core-sw1 ifmgr[12]: Interface Gi0/1 down").get()
        #expect(m.facility == 16 && m.severity == 3)
        #expect(m.format == .rfc3164)
        #expect(m.hostname == "core-sw1" && m.app == "ifmgr")
        #expect(m.text == "Interface Gi0/1 down")
    }

    /// Cisco IOS: a sequence number and its own timestamp, no RFC 3164 header at all.
    @Test func ciscoStyleIsTextAfterThePriority() throws {
        let m = try parse("<187>123: *Mar  1 00:10:05.123: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down\n").get()
        #expect(m.severity == 3 && m.facility == 23)
        #expect(m.hostname == nil)
        #expect(m.text == "123: *Mar  1 00:10:05.123: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down")
    }

    @Test func rfc5424WithStructuredDataAndBOM() throws {
        let text = "<10>1 2026-12-05T11:40:02.1+08:00 fw1 fortios - ALERT [meta a=\"x\\]y\" b=\"2\"][origin ip=\"10.0.0.1\"] \u{FEFF}电源模块故障"
        let m = try parse(text).get()
        #expect(m.severity == 2 && m.facility == 1)
        #expect(m.format == .rfc5424)
        #expect(m.hostname == "fw1" && m.app == "fortios")
        #expect(m.text == "电源模块故障")
    }

    @Test func rfc5424NilFieldsAndNoMessage() throws {
        let m = try parse("<14>1 - - - - - - hello").get()
        #expect(m.hostname == nil && m.app == nil && m.text == "hello")
        #expect(throws: SyslogMalformed.self) { try parse("<14>1 - - - - -").get() }
    }

    @Test(arguments: [
        ("", "no <PRI>"), ("hello", "no <PRI>"), ("<>x", "no <PRI>"), ("<192>x", "above 191"),
        ("<1234>x", "longer than 3"), ("<13>", "empty"), ("<13>   \n", "empty"),
        ("<13>1 2026-12-05T00:00:00Z h a p", "header ends"), ("<13>1 - h a p m [x a=\"b\"", "not closed"),
    ])
    func malformed(input: String, why: String) {
        guard case .failure(let e) = parse(input) else { Issue.record("\(input) parsed"); return }
        #expect(e.description.contains(why), "\(e)")
    }

    /// Control characters never reach a report; invalid UTF-8 is replaced; long text is cut.
    @Test func textIsCleanedAndBounded() throws {
        var bytes = Array("<11>evil\u{1B}[31m red".utf8) + [0xFF, 0xFE] + Array(" tail".utf8)
        var m = try SyslogParser.parse(bytes).get()
        #expect(!m.text.unicodeScalars.contains { $0.value < 0x20 })
        #expect(m.text.hasPrefix("evil [31m red") && m.text.hasSuffix("tail"))
        bytes = Array("<11>".utf8) + [UInt8](repeating: 0x41, count: 10_000)
        m = try SyslogParser.parse(bytes).get()
        #expect(m.text.count == SyslogParser.maxText)
    }

    /// Whatever arrives, the parser answers and never traps.
    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(seed: 42)
        var parsed = 0
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 64)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if rng.next() % 2 == 0 { bytes = Array("<\(rng.next() % 200)>".utf8) + bytes }
            if case .success = SyslogParser.parse(bytes) { parsed += 1 }
        }
        #expect(parsed > 0)
    }
}

/// A small seeded generator, so a failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct SyslogFramerTests {
    @Test func octetCountingAcrossReads() {
        var f = SyslogFramer()
        let one = "<13>1 - h a - - - first", two = "<11>second line"
        let stream = Array("\(one.utf8.count) \(one)\(two.utf8.count) \(two)".utf8)
        var frames = f.feed(stream[0..<7])
        frames += f.feed(stream[7..<30])
        frames += f.feed(stream[30...])
        #expect(frames == [.message(Array(one.utf8)), .message(Array(two.utf8))])
    }

    @Test func lineFramingWithTheLastLineUnterminated() {
        var f = SyslogFramer()
        var frames = f.feed(Array("<13>a\r\n<14>b\n\n<15>c".utf8))
        #expect(frames == [.message(Array("<13>a\r".utf8)), .message(Array("<14>b".utf8))])
        frames = f.finish()
        #expect(frames == [.message(Array("<15>c".utf8))])
    }

    @Test func oversizedFramesBreakTheStream() {
        var f = SyslogFramer(maxFrame: 100)
        #expect(f.feed(Array("999 <13>x".utf8)) == [.malformed("frame of 999 bytes is over the 100-byte limit")])
        #expect(f.broken)
        var g = SyslogFramer(maxFrame: 100)
        let frames = g.feed(Array("<13>ok\n".utf8) + [UInt8](repeating: 0x41, count: 200))
        #expect(frames.first == .message(Array("<13>ok".utf8)))
        #expect(frames.count == 2 && g.broken)
    }
}
