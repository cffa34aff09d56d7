/// Payload bytes handed to the log's writer and not yet written, and the streams waiting for it
/// to catch up (issue 15).
///
/// A stream is read faster than SQLite stores its payloads; without a bound, every payload read
/// waited in the writer's queue, and a million-chunk reply held the whole stream in memory (peak
/// RSS grew with the chunk count). A stream now waits (`waitForRoom`) while the writer is more
/// than `limit` bytes behind, so memory stays that of `limit` bytes of payloads however long the
/// stream runs.
final class WriterBacklog: Sendable {
    let limit: Int
    private let state = Mutex(State())

    private struct State {
        var bytes = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    init(limit: Int) { self.limit = limit }

    var bytes: Int { state.withLock { $0.bytes } }

    /// `n` bytes were queued for the writer.
    func add(_ n: Int) { state.withLock { $0.bytes += n } }

    /// The writer is done with `n` bytes (written or failed): waiting streams go on once it is
    /// back within the limit.
    func done(_ n: Int) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.bytes -= n
            guard s.bytes <= limit, !s.waiters.isEmpty else { return [] }
            defer { s.waiters = [] }
            return s.waiters
        }
        for c in ready { c.resume() }
    }

    /// Returns at once while the writer is within the limit; else once it is back within it.
    func waitForRoom() async {
        if state.withLock({ $0.bytes <= limit }) { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.bytes <= limit { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
}
