import WorkbenchUI

/// Maps a role's (fg, bg) to an ncurses colour pair, allocated lazily: themes use a few dozen
/// combinations, so pairs are numbered in order of first use and initialised once each.
/// Pure on purpose (the terminal calls `init_extended_pair` for the pairs it reports as new),
/// so the degrade rules can be tested without a terminal:
///
/// - `colorCount == 0` (`NO_COLOR`, or a terminal without colours): no pair at all, pair 0.
/// - fewer than 256 colours: indices the terminal lacks fall back to `TermColor.basic8`.
/// - no default-colour support (`use_default_colors` failed): `.default` becomes white on black.
/// - more combinations than `COLOR_PAIRS`: the extra ones draw in the default pair.
public struct ColorPairCache: Sendable {
    public struct Entry: Hashable, Sendable {
        public var fg: Int32
        public var bg: Int32
    }

    public let colorCount: Int
    public let maxPairs: Int
    public let defaultColors: Bool
    private var pairs: [Entry: Int32] = [:]
    private var next: Int32 = 1

    public init(colorCount: Int, maxPairs: Int, defaultColors: Bool = true) {
        self.colorCount = max(0, colorCount)
        self.maxPairs = max(0, maxPairs)
        self.defaultColors = defaultColors
    }

    /// Pairs allocated so far (not counting pair 0).
    public var count: Int { pairs.count }

    /// The colour number ncurses should use for `color` on this terminal; nil without colours.
    public func resolve(_ color: TermColor, isBackground: Bool) -> Int32? {
        guard colorCount > 0 else { return nil }
        switch color {
        case .default:
            return defaultColors ? -1 : (isBackground ? 0 : 7)
        case .index(let i):
            if colorCount >= 256 && i < 256 { return Int32(i) }
            if i < min(colorCount, 16) { return Int32(i) }
            return Int32(color.basic8)
        }
    }

    /// The pair for (fg, bg) and whether it was just allocated (the caller must then initialise
    /// it with `init_extended_pair(pair, fg, bg)` using `entry`). Pair 0 is the terminal default.
    public mutating func pair(fg: TermColor, bg: TermColor) -> (pair: Int32, entry: Entry, isNew: Bool) {
        guard let f = resolve(fg, isBackground: false), let b = resolve(bg, isBackground: true) else {
            return (0, Entry(fg: -1, bg: -1), false)
        }
        let entry = Entry(fg: f, bg: b)
        if defaultColors && f == -1 && b == -1 { return (0, entry, false) }
        if let p = pairs[entry] { return (p, entry, false) }
        guard Int(next) < maxPairs else { return (0, entry, false) }
        let p = next
        next += 1
        pairs[entry] = p
        return (p, entry, true)
    }

    /// Forgets every allocation (a new theme); pair numbers are reused from 1.
    public mutating func removeAll() {
        pairs = [:]
        next = 1
    }
}
