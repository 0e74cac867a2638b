import Foundation
import Testing
import TestPeers
@testable import SNMP

/// The one engine thread: many requests in flight at once, each with its own timeout and budget.
@Suite(.enabled(if: SNMPDaemon.binary != nil, "needs Debian's snmpd"))
struct SNMPEngineTests {
    static let sysDescr = OID("1.3.6.1.2.1.1.1.0")!

    /// A device that never answers costs only its own budget: the request in flight is cut at
    /// the budget, long before libsnmp's own timeout.
    @Test func aBudgetCutsTheRequestInFlight() async throws {
        let silent = Peers.freePort()
        let (error, elapsed) = await withTaskExecutorPreference(SNMPEngine.shared) { () async -> (SNMPError?, Double) in
            let started = Date()
            do {
                let session = try await SNMPSession(SNMPEndpoint(host: "127.0.0.1", port: silent, timeout: 30, retries: 0), budget: 0.3)
                _ = try await session.get([Self.sysDescr])
                return (nil, Date().timeIntervalSince(started))
            } catch {
                return (error as? SNMPError, Date().timeIntervalSince(started))
            }
        }
        #expect(error == .budgetExceeded(0.3))
        #expect(elapsed < 10, "\(elapsed) s: the 30 s timeout was waited for")
    }

    /// Silent devices and a live agent polled at the same time: every live answer arrives while
    /// the silent ones are still waiting for theirs (nothing waits behind a silent device).
    @Test func silentDevicesHoldUpNoOne() async throws {
        let agent = try SNMPClientTests.shared.get().port
        let silent = Peers.freePort()
        let order = Arrivals()
        await withTaskExecutorPreference(SNMPEngine.shared) { () async -> Void in
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    let live = i % 2 == 0
                    group.addTask {
                        let e = SNMPEndpoint(host: "127.0.0.1", port: live ? agent : silent, timeout: live ? 20 : 3, retries: 0)
                        let ok = (try? await SNMPSession(e).get([Self.sysDescr]))?[Self.sysDescr] != nil
                        order.add(live: live, ok: ok)
                    }
                }
            }
        }
        let arrivals = order.all
        #expect(arrivals.count == 40)
        #expect(arrivals.filter(\.live).allSatisfy { $0.ok }, "\(arrivals)")
        #expect(arrivals.filter { !$0.live }.allSatisfy { !$0.ok })
        // The 20 live answers come first, then the 20 timeouts.
        #expect(arrivals.prefix(20).allSatisfy { $0.live }, "\(arrivals.map(\.live))")
    }

    @Test func theTimerHeapGivesTheEarliestFirst() {
        var heap = TimerHeap()
        let dues: [Int64] = [50, 10, 40, 10, 30, 20, 60, 0]
        for (i, d) in dues.enumerated() { heap.push(d, .session(i, 0)) }
        var popped: [Int64] = []
        while heap.count > 0 { popped.append(heap.pop().due) }
        #expect(popped == dues.sorted())
    }
}

final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(live: Bool, ok: Bool)] = []
    func add(live: Bool, ok: Bool) { lock.withLock { list.append((live, ok)) } }
    var all: [(live: Bool, ok: Bool)] { lock.withLock { list } }
}
