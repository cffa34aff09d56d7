import Dispatch
import Foundation
import TerminalNcurses
import WorkbenchCore
import WorkbenchUI

/// Run events gathered off the main actor and handed over in one piece per main-queue turn, so a
/// full-speed stream never builds a queue of main-actor hops: whatever arrived since the last
/// drain is reduced at once.
final class RunInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [RunEvent] = []
    private var scheduled = false

    /// Adds a batch; returns true when the caller should schedule a drain.
    func add(_ batch: [RunEvent]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        pending += batch
        if scheduled { return false }
        scheduled = true
        return true
    }

    func take() -> [RunEvent] {
        lock.lock()
        defer { lock.unlock() }
        scheduled = false
        let out = pending
        pending = []
        return out
    }
}
