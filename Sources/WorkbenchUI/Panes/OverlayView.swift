import WorkbenchCore

/// Help, the command palette, the parameters form and pickers, drawn over the panes.
enum OverlayView {
    /// A box centred in the rows above the status line: an overlay never covers the status,
    /// which may be saying what went wrong.
    static func frame(_ g: inout Grid, width: Int, height: Int, title: String) -> Rect {
        let rows = max(1, g.height - 1)
        let w = min(g.width, max(20, width)), h = min(rows, max(4, height))
        let r = Rect(x: (g.width - w) / 2, y: max(0, (rows - h) / 2), width: w, height: h)
        g.fill(r)
        Box.draw(r, title: title, focused: true, into: &g)
        return r.inset(1)
    }

    /// Every binding, wrapped to `width`: the descriptions in a column of their own, or, when
    /// that column would be too narrow to read, each under its keys. The current status message
    /// comes first, whole, since the status line may have had to cut it.
    static func helpLines(width: Int, status: String? = nil) -> [StyledLine] {
        var out: [StyledLine] = []
        if let status {
            out += TextWrap.wrap(plain: "Status: " + StatusView.oneLine(status), width: width, style: Style(.statusKey))
            out.append(StyledLine([]))
        }
        let stacked = width < 50
        let column = stacked ? 2 : 20
        func row(_ left: String, _ leftStyle: Style, _ right: String) {
            if stacked { out += TextWrap.wrap(plain: left, width: width, style: leftStyle) }
            let wrapped = TextWrap.wrap(plain: right, width: max(1, width - column), style: Style(.text))
            for (i, l) in wrapped.enumerated() {
                let head = i == 0 && !stacked ? left.padding(toLength: column - 1, withPad: " ", startingAt: 0) + " " : String(repeating: " ", count: column)
                out.append(StyledLine([StyledSpan(text: head, style: leftStyle)] + l.spans))
            }
        }
        for a in Action.allCases {
            let keys = a.keys.map(\.label).joined(separator: " / ")
            row(keys.isEmpty ? "palette" : keys, Style(.accent, bold: true), a.title)
        }
        out.append(StyledLine([]))
        for p in PaneKeys.all {
            row(p.pane + ":", Style(.dim), p.keys + " — " + p.what)
        }
        out += TextWrap.wrap(plain: "↑↓ PgUp PgDn scroll this help; any other key closes it.", width: width, style: Style(.dim))
        return out
    }

    static func render(_ s: AppState, into g: inout Grid) {
        guard let overlay = s.overlay else { return }
        switch overlay {
        case .help:
            let width = min(g.width, 110)
            let lines = helpLines(width: width - 2, status: s.statusMessage)
            let r = frame(&g, width: width, height: lines.count + 2, title: "Keys (F1)")
            let top = min(s.helpScroll, max(0, lines.count - r.height))
            LineList.draw(lines.dropFirst(top), in: r, into: &g)
            LineList.scrollbar(total: lines.count, top: top, in: Rect(x: r.x, y: r.y, width: r.width, height: r.height), into: &g)
        case .palette(let p):
            PaletteView.render(p, into: &g)
        case .parameters(let f):
            ParameterFormView.render(f, into: &g)
        case .template(let f):
            TemplateFormView.render(s, f, into: &g)
        case .textPrompt(let p):
            TextPromptView.render(p, into: &g)
        case .toolQuestion(let q):
            ToolQuestionView.render(q, queued: s.toolQuestions.count, into: &g)
        case .compare(let c):
            CompareView.render(s, c, into: &g)
        case .picker(let p):
            let items = p.visible
            let r = frame(&g, width: 80, height: min(items.count, 16) + 4, title: p.title)
            g.put("› " + p.filter, x: r.x, y: r.y, style: Style(.accent, bold: true), limit: r.width)
            let top = max(0, p.selection - (r.height - 3))
            for (i, item) in items.enumerated().dropFirst(top) {
                let y = r.y + 2 + i - top
                if y >= r.maxY { break }
                let style = i == p.selection ? Style(.selection, reverse: true) : Style(.text)
                if i == p.selection { g.fill(Rect(x: r.x, y: y, width: r.width, height: 1), Cell(" ", style)) }
                g.put(item.label, x: r.x, y: y, style: style, limit: r.width)
            }
            if items.isEmpty { g.put("nothing matches", x: r.x, y: r.y + 2, style: Style(.dim), limit: r.width) }
        }
    }
}
