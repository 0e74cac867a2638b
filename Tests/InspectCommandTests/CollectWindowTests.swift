import Foundation
import Synchronization
import Testing
import InspectorCore
import Probes
@testable import InspectorApp

/// A run starts at most a probe's `startWindow` polls at a time (the rest are not tasks yet),
/// collects every target all the same, and never holds one kind back behind another.
struct CollectWindowTests {
    /// Counts its polls in flight; each waits until `gate` opens.
    final class GatedProbe: Probe, Sendable {
        let inFlight = Mutex((now: 0, most: 0))
        let gate: Gate
        init(_ gate: Gate) { self.gate = gate }
        var startWindow: Int? { 8 }
        func collect(_ target: Target) async -> TargetReadings {
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            await gate.wait()
            inFlight.withLock { $0.now -= 1 }
            return TargetReadings(target: target, readings: [])
        }
    }

    /// Opens the gate when it polls: it can only run if its kind was started beside the gated one.
    struct OpeningProbe: Probe {
        let gate: Gate
        func collect(_ target: Target) async -> TargetReadings {
            gate.open()
            return TargetReadings(target: target, readings: [])
        }
    }

    final class Gate: Sendable {
        private let state = Mutex((open: false, waiting: [CheckedContinuation<Void, Never>]()))
        func wait() async {
            await withCheckedContinuation { c in
                let now = state.withLock { s -> Bool in
                    if s.open { return true }
                    s.waiting.append(c)
                    return false
                }
                if now { c.resume() }
            }
        }
        func open() {
            state.withLock { s -> [CheckedContinuation<Void, Never>] in
                s.open = true
                defer { s.waiting = [] }
                return s.waiting
            }.forEach { $0.resume() }
        }
    }

    @Test func pollsStartInAWindowPerKindAndAllAreCollected() async {
        let gate = Gate()
        let gated = GatedProbe(gate)
        let count = 8 * 5
        // The opening target comes last in the list, behind five windows of gated ones.
        let targets = (0...count).map { Target(id: "t\($0)", kind: .host, address: "snmp://127.0.0.1") }
        let probes: [any Probe] = (0..<count).map { _ in gated } + [OpeningProbe(gate: gate)]
        let results = await InspectionRunner().collectAll(targets, probes: probes, deadline: 60)
        #expect(results.count == count + 1)
        #expect(results.allSatisfy { $0.failure == nil })
        #expect(results.map(\.target.id) == targets.map(\.id))
        let most = gated.inFlight.withLock { $0.most }
        #expect(most >= 1 && most <= 8, "at most \(most) gated polls at once")
    }

    /// Answers at once with one implausible and one plausible reading.
    struct AnsweringProbe: Probe {
        func collect(_ target: Target) async -> TargetReadings {
            TargetReadings(target: target, readings: [
                Reading(metric: "temperature.celsius", instance: "a", value: .number(1e271), unit: "°C", source: "test", raw: "raw"),
                Reading(metric: "temperature.celsius", instance: "b", value: .number(24), unit: "°C", source: "test")])
        }
    }

    /// The daemon's one-target poll: an answer is vetted like `collectAll`'s, a poll still out at
    /// the deadline is UNKNOWN with the deadline's words, and its answer arriving afterwards is
    /// dropped (a second resume of the poll would trap).
    @Test func aSingleTargetPollIsVettedAndEndsAtItsDeadline() async throws {
        let target = Target(id: "ups-1", kind: .ups, address: "snmp://127.0.0.1")
        let answered = await InspectionRunner().collect(target, probe: AnsweringProbe(), deadline: 60)
        #expect(answered.failure == nil)
        #expect(answered.readings[0].unavailableReason?.en.hasPrefix("implausible value") == true)
        #expect(answered.readings[1].number == 24)

        let gate = Gate()
        let hung = GatedProbe(gate)
        let late = await InspectionRunner().collect(target, probe: hung, deadline: 0.2)
        #expect(late.failure == "no answer within the run's deadline of 0.2 s")
        #expect(late.failureWords?.zh.isEmpty == false)
        #expect(late.readings.isEmpty)
        // On a busy machine the probe may only start after the deadline: wait for it, then let
        // it answer, and wait until it has.
        let until = Date().addingTimeInterval(30)
        while hung.inFlight.withLock({ $0.most }) == 0 && Date() < until { await Task.yield() }
        gate.open()
        while hung.inFlight.withLock({ $0.now }) > 0 && Date() < until { await Task.yield() }
        #expect(hung.inFlight.withLock { $0.most == 1 && $0.now == 0 })
    }

    /// Whichever of a poll's answer and its deadline comes second is dropped: resuming the poll
    /// twice would trap. Here the deadline comes first.
    @Test func theSecondOfAnswerAndDeadlineIsDropped() async {
        let target = Target(id: "ups-1", kind: .ups, address: "snmp://127.0.0.1")
        let got = await withCheckedContinuation { continuation in
            let first = FirstAnswer(continuation)
            first.give(nil)
            first.give(TargetReadings(target: target, readings: []))
        }
        #expect(got == nil)
    }
}
