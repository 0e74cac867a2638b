import Foundation
import Testing
@testable import InspectorCore

struct JSONValueTests {
    @Test func keepsKeyOrderAndRoundTripsThroughAParser() throws {
        let doc = JSONValue.object([("z", .number(1)), ("a", .array([.string("x"), .null, .bool(true)])),
                                    ("m", .object([])), ("n", .number(0.125)), ("big", .number(1e20))])
        let text = String(decoding: doc.serialized(), as: UTF8.self)
        #expect(text.range(of: "\"z\"")!.lowerBound < text.range(of: "\"a\"")!.lowerBound)
        let parsed = try #require(try JSONSerialization.jsonObject(with: doc.serialized()) as? [String: Any])
        #expect(parsed["n"] as? Double == 0.125)
        #expect(parsed["big"] as? Double == 1e20)
        #expect((parsed["a"] as? [Any])?.count == 3)
    }

    @Test(arguments: ["quote \" backslash \\ newline \n tab \t bell \u{07} nul \u{00}", "中文 <script>", "\u{2028}", "😀"])
    func escapesEveryStringSoParsersGetItBack(text: String) throws {
        let data = JSONValue.object([("s", .string(text))]).serialized()
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(parsed["s"] as? String == text)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        let text = String(decoding: JSONValue.array([.number(.nan), .number(.infinity)]).serialized(), as: UTF8.self)
        #expect(!text.contains("nan") && !text.contains("inf"))
    }
}

struct UTCTimeTests {
    @Test func isoAndCompactStamps() {
        let d = Date(timeIntervalSince1970: 1_795_000_000.004)
        #expect(UTCTime.iso(d) == "2026-11-18T11:06:40Z")
        #expect(UTCTime.iso(d, millis: true) == "2026-11-18T11:06:40.004Z")   // not .003: whole milliseconds first
        #expect(UTCTime.compact(d) == "20261118T110640Z")
        #expect(UTCTime.iso(Date(timeIntervalSince1970: -0.5), millis: true) == "1969-12-31T23:59:59.500Z")
    }
}
