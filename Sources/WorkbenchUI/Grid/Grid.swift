/// One screen cell: a grapheme and its style. A wide grapheme occupies its cell and the next,
/// which holds `continuation` so a row always has exactly `width` cells.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var style: Style
    public var isContinuation: Bool { text.isEmpty }

    public init(_ text: String = " ", _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()
    static let continuation = Cell("", .plain)
}

/// The frame being drawn: panes render into it with pure functions, the terminal layer diffs it
/// against the last frame, and golden tests compare its text. Nothing here knows ncurses.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (the editor's caret), if anywhere.
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public static func == (a: Grid, b: Grid) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func row(_ y: Int) -> ArraySlice<Cell> { cells[(y * width)..<((y + 1) * width)] }

    /// Writes `text` at (x, y), clipped to `limit` columns (default: to the grid's edge), and
    /// returns the columns used. A wide glyph that would straddle the limit is replaced by a
    /// space: it is never split, and nothing is ever written past the clip.
    ///
    /// Text that does not fit (more characters past the clip, or a line break) ends in `…` in
    /// the last column it may use, so a cut is never mistaken for the whole text; `ellipsis:
    /// false` is for decoration (rules, fills) that is meant to be cut.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, limit: Int? = nil,
                             ellipsis: Bool = true) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        var col = x
        var cut = false
        for ch in text {
            if col >= end { cut = true; break }
            if ch == "\n" || ch == "\r\n" { cut = true; break }
            var w = DisplayWidth.of(ch)
            var glyph = String(ch)
            if ch == "\t" { glyph = " "; w = 1 }
            if w == 0 {
                // Control characters are shown as a visible placeholder; combining marks without
                // a base are dropped.
                if let v = ch.asciiValue, v < 0x20 || v == 0x7F { glyph = "·"; w = 1 } else { continue }
            }
            if col < 0 { col += w; continue }
            if col + w > end {
                self[col, y] = Cell(" ", style)
                col += 1
                cut = true
                break
            }
            clearWide(at: col, y: y)
            self[col, y] = Cell(glyph, style)
            if w == 2 {
                clearWide(at: col + 1, y: y)
                self[col + 1, y] = .continuation
            }
            col += w
        }
        if cut, ellipsis, col > max(0, x), col - 1 < width {
            let last = col - 1
            clearWide(at: last, y: y)
            self[last, y] = Cell("…", self[last, y].isContinuation ? style : self[last, y].style)
        }
        return max(0, col - x)
    }

    /// Overwriting half of a wide glyph would leave the other half dangling; blank it.
    private mutating func clearWide(at x: Int, y: Int) {
        let c = self[x, y]
        if c.isContinuation, x > 0 { self[x - 1, y] = Cell(" ", self[x - 1, y].style) }
        if !c.isContinuation, DisplayWidth.of(Character(c.text)) == 2, x + 1 < width { self[x + 1, y] = Cell(" ", c.style) }
    }

    public mutating func fill(_ rect: Rect, _ cell: Cell = .blank) {
        let r = rect.clamped(to: Rect(x: 0, y: 0, width: width, height: height))
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { self[x, y] = cell } }
    }

    /// Applies a style to a region without changing its text (selection highlight, focus).
    public mutating func restyle(_ rect: Rect, _ transform: (inout Style) -> Void) {
        let r = rect.clamped(to: Rect(x: 0, y: 0, width: width, height: height))
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { transform(&cells[y * width + x].style) } }
    }

    /// The frame as plain text, one line per row with trailing spaces trimmed: what golden
    /// tests compare.
    public var text: String {
        (0..<height).map { y in
            var line = ""
            for c in row(y) { line += c.text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
