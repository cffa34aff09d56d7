/// Pane frames: a border with the title in it, brighter when the pane has focus.
enum Box {
    static func draw(_ r: Rect, title: String, focused: Bool, into g: inout Grid, badge: String? = nil) {
        guard r.width >= 2, r.height >= 2 else { return }
        let style = Style(focused ? .borderFocused : .border, bold: focused)
        let horizontal = String(repeating: "─", count: r.width - 2)
        g.put("┌" + horizontal + "┐", x: r.x, y: r.y, style: style)
        for y in (r.y + 1)..<(r.maxY - 1) {
            g.put("│", x: r.x, y: y, style: style)
            g.put("│", x: r.maxX - 1, y: y, style: style)
        }
        g.put("└" + horizontal + "┘", x: r.x, y: r.maxY - 1, style: style)
        let t = " \(title) "
        g.put(t, x: r.x + 2, y: r.y, style: Style(focused ? .title : .dim, bold: true), limit: r.width - 4)
        if let badge, r.width > DisplayWidth.of(t) + DisplayWidth.of(badge) + 6 {
            g.put(" \(badge) ", x: r.maxX - 3 - DisplayWidth.of(badge), y: r.y, style: Style(.accent))
        }
    }
}

/// Draws pre-built lines into a rect from a given first line.
enum LineList {
    static func draw(_ lines: ArraySlice<StyledLine>, in r: Rect, into g: inout Grid) {
        var y = r.y
        for line in lines {
            if y >= r.maxY { break }
            line.draw(into: &g, x: r.x, y: y, limit: r.width)
            y += 1
        }
    }

    /// A scroll position shown on the right edge when content overflows.
    static func scrollbar(total: Int, top: Int, in r: Rect, into g: inout Grid) {
        guard total > r.height, r.height > 0, r.width > 1 else { return }
        let thumb = max(1, r.height * r.height / total)
        let pos = min(r.height - thumb, (r.height - thumb) * top / max(1, total - r.height))
        for i in 0..<r.height {
            g.put(i >= pos && i < pos + thumb ? "┃" : "│", x: r.maxX, y: r.y + i, style: Style(.dim))
        }
    }
}
