/// The prompt editor. Long lines are soft-wrapped by display width (`SoftWrap`), so the whole
/// prompt stays readable; the view scrolls vertically to keep the caret's row in sight (the
/// layout first grows the editor up to its limit), and the caret cell is always the position
/// being edited.
enum EditorView {
    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        let e = s.editor
        if e.isEmpty {
            g.put("Type a prompt · Enter: new line · Ctrl-S or Alt-Enter: send", x: r.x, y: r.y, style: Style(.dim), limit: r.width)
            if s.focus == .editor { g.cursor = (r.x, r.y) }
            return
        }
        // Only the lines near the caret are wrapped: walking back from the caret's line until a
        // pane's worth of rows is above it gives the same top row as wrapping everything.
        var rows: [(line: Int, row: VisualRow)] = []
        var first = e.row
        var above = 0
        while first > 0, above < r.height {
            first -= 1
            above += e.visualRows(first, width: r.width).count
        }
        for k in first...e.row { rows += e.visualRows(k, width: r.width).map { (k, $0) } }
        let caretChars = Array(e.lines[e.row])
        let caretRows = e.visualRows(e.row, width: r.width)
        let (caretRow, caretX) = SoftWrap.locate(e.col, in: caretChars, rows: caretRows)
        let caretIndex = rows.count - caretRows.count + caretRow
        let top = max(0, caretIndex - r.height + 1)
        var next = e.row + 1
        while rows.count < top + r.height, next < e.lines.count {
            rows += e.visualRows(next, width: r.width).map { (next, $0) }
            next += 1
        }
        var chars: (line: Int, text: [Character]) = (-1, [])
        for (i, item) in rows.enumerated().dropFirst(top).prefix(r.height) {
            if chars.line != item.line { chars = (item.line, Array(e.lines[item.line])) }
            let text = String(chars.text[item.row.start..<item.row.end])
            g.put(text, x: r.x, y: r.y + i - top, style: Style(.text), limit: r.width)
        }
        if s.focus == .editor { g.cursor = (r.x + min(caretX, r.width - 1), r.y + caretIndex - top) }
    }
}
