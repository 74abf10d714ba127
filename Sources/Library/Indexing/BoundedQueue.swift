import Foundation

/// A blocking first-in first-out queue of bounded size between one producer
/// and one consumer thread.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var finished = false
    private var closed = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends, blocking while full; returns false when the consumer closed it.
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !closed { condition.wait() }
        if closed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Takes the next item, blocking while empty; nil when the producer
    /// finished and everything was taken, or when closed.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.count == head && !finished && !closed { condition.wait() }
        if closed || items.count == head { return nil }
        let item = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// Whether an item is ready without waiting.
    var hasReady: Bool {
        condition.lock()
        defer { condition.unlock() }
        return items.count > head
    }

    /// The producer is done; the consumer drains what is left.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up; a blocked producer returns from `push`.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
