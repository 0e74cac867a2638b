import Foundation
import Testing
@testable import InspectorApp

/// What the watchdog calls silent.
struct HeartbeatsTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aServiceThatHasNotBeatenYetIsCountedFromTheStart() {
        let beats = Heartbeats(origin: start)
        #expect(beats.silent(for: 60, among: ["polling"], at: start.addingTimeInterval(1)).isEmpty)
        #expect(beats.silent(for: 60, among: ["polling"], at: start.addingTimeInterval(61)) == ["polling"])
    }

    @Test func aBeatRestartsTheCount() {
        var beats = Heartbeats(origin: start)
        beats.beat("polling", at: start.addingTimeInterval(50))
        let now = start.addingTimeInterval(100)
        #expect(beats.silent(for: 60, among: ["polling", "alerts"], at: now) == ["alerts"])
        #expect(beats.silent(for: 40, among: ["polling", "alerts"], at: now) == ["polling", "alerts"])
    }
}
