/// The engine's timers, earliest first: libsnmp's retransmission times per session, and the time
/// budgets of requests. Stale entries are left in and skipped when they come due (a session's
/// generation moves on each time its timer is set again; a finished request's token is gone).
struct TimerHeap {
    enum Event: Equatable {
        case session(Int, Int)        // session id, generation
        case budget(Int, Double)      // request token, the budget in seconds (for the message)
    }

    private var items: [(due: Int64, event: Event)] = []

    var first: Int64? { items.first?.due }
    var count: Int { items.count }

    mutating func push(_ due: Int64, _ event: Event) {
        items.append((due, event))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].due < items[parent].due else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// The earliest entry; the heap must not be empty.
    mutating func pop() -> (due: Int64, event: Event) {
        let top = items[0]
        let last = items.removeLast()
        guard !items.isEmpty else { return top }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left].due < items[smallest].due { smallest = left }
            if right < items.count, items[right].due < items[smallest].due { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
