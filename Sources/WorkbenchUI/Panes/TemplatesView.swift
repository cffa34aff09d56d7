/// The templates pane: the templates found in `prompts/`, name and description.
enum TemplatesView {
    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        if s.templates.isEmpty {
            g.put("No templates found", x: r.x, y: r.y, style: Style(.dim), limit: r.width)
            return
        }
        let rowsPer = r.height >= 2 * s.templates.count || r.height > 8 ? 2 : 1
        let visible = max(1, r.height / rowsPer)
        let top = max(0, min(s.templateSelection - visible + 1, s.templates.count - visible))
        var y = r.y
        for (i, t) in s.templates.enumerated().dropFirst(top) {
            if y >= r.maxY { break }
            let selected = i == s.templateSelection
            let style = selected ? Style(.selection, bold: true, reverse: s.focus == .templates) : Style(.text)
            if selected { g.fill(Rect(x: r.x, y: y, width: r.width, height: 1), Cell(" ", style)) }
            g.put((selected ? "› " : "  ") + t.name, x: r.x, y: y, style: style, limit: r.width)
            y += 1
            if rowsPer == 2, y < r.maxY {
                g.put("  " + t.description, x: r.x, y: y, style: Style(.dim), limit: r.width)
                y += 1
            }
        }
    }
}
