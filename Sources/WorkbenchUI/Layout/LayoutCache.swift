import Foundation

/// Wrapped, styled lines per conversation turn and width. A long conversation is laid out once;
/// afterwards a frame only re-lays the turn that changed (the streaming reply), and only the
/// visible lines are drawn.
public final class LayoutCache: @unchecked Sendable {
    private struct Entry { var version: Int; var width: Int; var lines: [StyledLine] }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    /// The incremental layout of the reply that is streaming now (one at a time).
    let streaming = StreamingLayout()

    public init() {}

    public func lines(id: String, version: Int, width: Int, make: () -> [StyledLine]) -> [StyledLine] {
        lock.lock()
        if let e = entries[id], e.version == version, e.width == width {
            lock.unlock()
            return e.lines
        }
        lock.unlock()
        let lines = make()
        lock.lock()
        entries[id] = Entry(version: version, width: width, lines: lines)
        lock.unlock()
        return lines
    }

    /// How many laid-out entries are kept (for tests of what the cache holds on to).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    public func removeAll() {
        lock.lock()
        entries.removeAll()
        lock.unlock()
    }
}
