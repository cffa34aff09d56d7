/// Laid-out lines per message, so a frame re-lays only the message that changed (the
/// streaming reply) and a 128K-token conversation scrolls without re-rendering its history.
///
/// A value the caller owns: the TUI runtime keeps one on the main actor next to its frame loop
/// and passes it `inout` to the pane that draws. Being a struct, it needs no lock and no actor
/// and still compiles under strict concurrency; keep it out of `AppState`, whose copies would
/// each hold (and copy on write) their own dictionary.
public struct RenderCache: Sendable {
    private struct Entry: Sendable {
        let version: Int
        let lines: [StyledLine]
    }

    private var entries: [String: Entry] = [:]
    /// The width the cached layouts were made for; a different width empties the cache,
    /// since every message must be re-wrapped anyway.
    public private(set) var width: Int?

    public init() {}

    /// Messages currently cached.
    public var count: Int { entries.count }

    /// The lines of message `id` at `version` (bump it whenever the message's text or state
    /// changes), calling `render` only when they are not cached. One entry is kept per id:
    /// an older version is replaced, never kept alongside.
    public mutating func lines(id: String, version: Int, width: Int, render: () -> [StyledLine]) -> [StyledLine] {
        if width != self.width {
            entries.removeAll(keepingCapacity: true)
            self.width = width
        }
        if let e = entries[id], e.version == version { return e.lines }
        let lines = render()
        entries[id] = Entry(version: version, lines: lines)
        return lines
    }

    /// Forgets one message (deleted, or its look changed for a reason its version does not show).
    public mutating func invalidate(id: String) {
        entries[id] = nil
    }

    /// Forgets everything (theme or conversation switched).
    public mutating func removeAll() {
        entries.removeAll()
        width = nil
    }
}
