/// The prompt editor. Lines are not wrapped: the view scrolls sideways to keep the caret in sight,
/// so the caret position on screen always matches the text position.
enum EditorView {
    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        let e = s.editor
        if e.isEmpty {
            g.put("Type a prompt · Enter: new line · Ctrl-S or Alt-Enter: send", x: r.x, y: r.y, style: Style(.dim), limit: r.width)
            if s.focus == .editor { g.cursor = (r.x, r.y) }
            return
        }
        let top = max(0, e.row - r.height + 1)
        for (k, line) in e.lines.enumerated().dropFirst(top) {
            let y = r.y + k - top
            if y >= r.maxY { break }
            let chars = Array(line)
            var start = 0
            if k == e.row {
                // Scroll sideways so the caret stays inside the pane.
                while DisplayWidth.of(String(chars[start..<min(e.col, chars.count)])) >= r.width { start += 1 }
            }
            g.put(String(chars[start...]), x: r.x, y: y, style: Style(.text), limit: r.width)
            if k == e.row, s.focus == .editor {
                g.cursor = (r.x + DisplayWidth.of(String(chars[start..<min(e.col, chars.count)])), y)
            }
        }
    }
}
