import Foundation
import WorkbenchCore

/// Everything one run reported, collected.
public struct Collected: Sendable {
    public var events: [RunEvent] = []
    /// How many batches the events came in (one per network read).
    public var batches = 0

    public init() {}

    public var deltas: String {
        events.compactMap {
            if case .delta(let t) = $0 { return t }; return nil
        }.joined()
    }
    /// The terminal event's result. Every run ends with one; a missing one is a defect the test
    /// should see as a crash rather than a silent pass.
    public var result: RunResult { events.compactMap(\.result).last! }
    public var payloads: Int {
        events.filter {
            if case .payload = $0 { return true }; return false
        }.count
    }
    public var toolCalls: [PartialToolCall] {
        events.compactMap {
            if case .toolCall(let c) = $0 { return c }; return nil
        }
    }
}

public func collect(_ stream: AsyncStream<[RunEvent]>) async -> Collected {
    var c = Collected()
    for await batch in stream {
        c.events += batch
        c.batches += 1
    }
    return c
}
