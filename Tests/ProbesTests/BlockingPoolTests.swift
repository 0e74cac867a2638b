import Foundation
import Testing
@testable import Probes

struct BlockingPoolTests {
    @Test func runsJobsAndLetsGoOfItsThreads() async {
        var pool: BlockingPool? = BlockingPool(size: 3)
        let shared = pool!
        let results = await withTaskGroup(of: Int.self) { group in
            for i in 0..<10 { group.addTask { await shared.run { usleep(10_000); return i * i } } }
            return await group.reduce(0, +)
        }
        #expect(results == (0..<10).map { $0 * $0 }.reduce(0, +))
        pool = nil   // with `shared` gone too, its idle threads end instead of touching a freed pool
        _ = pool
        try? await Task.sleep(nanoseconds: 100_000_000)
        let fresh = BlockingPool(size: 1)
        #expect(await fresh.run { 42 } == 42)
    }
}
