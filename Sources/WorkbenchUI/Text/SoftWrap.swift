/// One screen row of a soft-wrapped logical line: the characters `start..<end` of that line
/// (Character offsets, as `EditorState.col` counts) and the columns they take.
public struct VisualRow: Sendable, Equatable {
    public let start: Int
    public let end: Int
    public let width: Int
}

/// Soft wrapping for text being edited. Unlike `TextWrap` (which drops the spaces at a break
/// and reflows for reading), every character keeps its place, so each caret position maps to
/// exactly one cell: rows break after a run of spaces, at the edges of wide (CJK) glyphs where
/// the line-break rules allow it, and inside a word only when the word is wider than the row.
/// Widths are those `Grid.put` draws (tab and control characters one column, combining marks
/// none), so the caret drawn is the caret edited.
public enum SoftWrap {
    /// Columns `Grid.put` gives a character of a line (never a line break).
    static func cellWidth(_ ch: Character) -> Int {
        // Printable ASCII is one column; `put` draws a tab as one space and a control as "·".
        if ch.isASCII { return 1 }
        return DisplayWidth.of(ch)
    }

    /// The visual rows of one logical line at `width` columns. Never empty. A row that fills the
    /// width exactly is followed by an empty row when it ends the line, where the caret sits after
    /// the last character: the caret is always inside the width.
    public static func rows(_ line: [Character], width: Int) -> [VisualRow] {
        let width = max(1, width)
        var rows: [VisualRow] = []
        var start = 0
        var col = 0
        var breakAt: Int?
        var colAtBreak = 0
        var i = 0
        while i < line.count {
            let ch = line[i]
            let w = cellWidth(ch)
            if i > start, mayBreak(between: line[i - 1], and: ch) {
                breakAt = i
                colAtBreak = col
            }
            while col + w > width, i > start {
                let cut = breakAt ?? i
                let cutCol = breakAt == nil ? col : colAtBreak
                rows.append(VisualRow(start: start, end: cut, width: cutCol))
                start = cut
                col -= cutCol
                breakAt = nil
            }
            col += w
            i += 1
        }
        rows.append(VisualRow(start: start, end: line.count, width: col))
        if col >= width { rows.append(VisualRow(start: line.count, end: line.count, width: 0)) }
        return rows
    }

    /// Whether a row may start with `b` when `a` ends the previous one.
    static func mayBreak(between a: Character, and b: Character) -> Bool {
        if b == " " { return false }
        if a == " " { return true }
        let wide = cellWidth(a) == 2 || cellWidth(b) == 2
        guard wide, let va = a.unicodeScalars.last?.value, let vb = b.unicodeScalars.first?.value else { return false }
        return !LineBreakRules.noBreakAfter(va) && !LineBreakRules.noBreakBefore(vb)
    }

    /// The row holding caret position `col` and the caret's column in it. A position at a row's
    /// end belongs to the next row (where the next character is drawn); the line's end, to the
    /// last row.
    public static func locate(_ col: Int, in line: [Character], rows: [VisualRow]) -> (row: Int, x: Int) {
        let k = rows.firstIndex { col >= $0.start && col < $0.end } ?? rows.count - 1
        let from = min(rows[k].start, col)
        var x = 0
        for ch in line[from..<min(col, line.count)] { x += cellWidth(ch) }
        return (k, x)
    }

    /// The caret position in row `k` closest to column `x` (a wide glyph under `x` puts the caret
    /// before it). Only the last row may place the caret after its last character; on any other
    /// row that position belongs to the next row.
    public static func offset(atX x: Int, row k: Int, in line: [Character], rows: [VisualRow]) -> Int {
        let r = rows[k]
        let limit = k == rows.count - 1 ? r.end : max(r.start, r.end - 1)
        var pos = r.start
        var col = 0
        while pos < limit {
            let w = cellWidth(line[pos])
            if col + w > x { break }
            col += w
            pos += 1
        }
        return pos
    }

    /// Visual rows of all `lines` together, counting no further than `cap` (layout only needs to
    /// know whether the text fills its largest height).
    public static func rowCount(_ lines: [String], width: Int, cap: Int) -> Int {
        var n = 0
        for line in lines {
            n += rows(Array(line), width: width).count
            if n >= cap { return cap }
        }
        return n
    }
}
