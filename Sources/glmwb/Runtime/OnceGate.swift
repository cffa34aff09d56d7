import Foundation

/// Lets exactly one of several racers through (the work or its deadline).
final class OnceGate: @unchecked Sendable {
    private let lock = NSLock()
    private var used = false
    func open() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if used { return false }
        used = true
        return true
    }
}
