import WorkbenchCore

/// Help, the command palette, the parameters form and pickers, drawn over the panes.
enum OverlayView {
    static func frame(_ g: inout Grid, width: Int, height: Int, title: String) -> Rect {
        let w = min(g.width, max(20, width)), h = min(g.height, max(4, height))
        let r = Rect(x: (g.width - w) / 2, y: max(0, (g.height - h) / 2), width: w, height: h)
        g.fill(r)
        Box.draw(r, title: title, focused: true, into: &g)
        return r.inset(1)
    }

    /// Every binding, wrapped to `width` with the descriptions in a column of their own.
    static func helpLines(width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        let column = 20
        func row(_ left: String, _ leftStyle: Style, _ right: String) {
            let wrapped = TextWrap.wrap(plain: right, width: max(10, width - column), style: Style(.text))
            for (i, l) in wrapped.enumerated() {
                let head = i == 0 ? left.padding(toLength: column - 1, withPad: " ", startingAt: 0) + " " : String(repeating: " ", count: column)
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
        out.append(StyledLine([StyledSpan(text: "↑↓ PgUp PgDn scroll this help; any other key closes it.", style: Style(.dim))]))
        return out
    }

    static func render(_ s: AppState, into g: inout Grid) {
        guard let overlay = s.overlay else { return }
        switch overlay {
        case .help:
            let width = min(g.width, 110)
            let lines = helpLines(width: width - 2)
            let r = frame(&g, width: width, height: lines.count + 2, title: "Keys (F1)")
            let top = min(s.helpScroll, max(0, lines.count - r.height))
            LineList.draw(lines.dropFirst(top), in: r, into: &g)
            LineList.scrollbar(total: lines.count, top: top, in: Rect(x: r.x, y: r.y, width: r.width, height: r.height), into: &g)
        case .palette(let p):
            let matches = p.matches
            let r = frame(&g, width: 70, height: min(matches.count, 14) + 4, title: "Command palette")
            g.put("› " + p.filter, x: r.x, y: r.y, style: Style(.accent, bold: true), limit: r.width)
            g.cursor = (min(r.maxX - 1, r.x + 2 + DisplayWidth.of(p.filter)), r.y)
            let top = max(0, p.selection - (r.height - 3))
            for (i, a) in matches.enumerated().dropFirst(top) {
                let y = r.y + 2 + i - top
                if y >= r.maxY { break }
                let keys = a.keys.first?.label ?? ""
                let style = i == p.selection ? Style(.selection, reverse: true) : Style(.text)
                if i == p.selection { g.fill(Rect(x: r.x, y: y, width: r.width, height: 1), Cell(" ", style)) }
                g.put(a.title, x: r.x, y: y, style: style, limit: r.width - 12)
                g.put(keys, x: r.maxX - DisplayWidth.of(keys), y: y, style: Style(.dim))
            }
            if matches.isEmpty { g.put("no matching action", x: r.x, y: r.y + 2, style: Style(.dim), limit: r.width) }
        case .parameters(let f):
            let r = frame(&g, width: 72, height: ParameterForm.Field.allCases.count + 6, title: "Model parameters (F2)")
            for (i, field) in ParameterForm.Field.allCases.enumerated() {
                let selected = i == f.selection
                let value = f.values[field] ?? ""
                let shown = value.isEmpty ? "(server default)" : value
                g.put((selected ? "› " : "  ") + field.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0), x: r.x, y: r.y + i, style: Style(selected ? .accent : .text, bold: selected), limit: r.width)
                g.put(shown, x: r.x + 15, y: r.y + i, style: Style(value.isEmpty ? .dim : .text, reverse: selected), limit: r.width - 15)
                if selected, !f.isToggle { g.cursor = (min(r.maxX - 1, r.x + 15 + DisplayWidth.of(value)), r.y + i) }
            }
            let y = r.y + ParameterForm.Field.allCases.count + 1
            if let e = f.error { g.put("✖ " + e, x: r.x, y: y, style: Style(.error, bold: true), limit: r.width) }
            g.put("↑↓ field · Ctrl-U clears · Space toggles · Enter apply · Esc cancel", x: r.x, y: y + 2, style: Style(.dim), limit: r.width)
        case .template(let f):
            TemplateFormView.render(s, f, into: &g)
        case .textPrompt(let p):
            let textLines = TextWrap.wrap(plain: "› " + p.text, width: 72, style: Style(.accent, bold: true))
            let shown = Array(textLines.suffix(max(1, min(10, g.height - 8))))
            let isSave: Bool
            let title: String
            switch p.purpose {
            case .saveTemplate: (isSave, title) = (true, "Save as template")
            case .editToolResult: (isSave, title) = (false, "Edit tool result")
            case .budget: (isSave, title) = (true, "Budget")
            }
            let r = frame(&g, width: 76, height: shown.count + 5, title: title)
            g.put(p.title, x: r.x, y: r.y, style: Style(.dim), limit: r.width)
            LineList.draw(shown[...], in: Rect(x: r.x, y: r.y + 1, width: r.width, height: shown.count), into: &g)
            g.cursor = (min(r.maxX - 1, r.x + (shown.last?.width ?? 0)), r.y + shown.count)
            if let e = p.error { g.put("✖ " + e, x: r.x, y: r.y + shown.count + 1, style: Style(.error), limit: r.width) }
            g.put(isSave ? "Enter save · Esc cancel" : "Enter replay · Alt-Enter new line · Ctrl-U clear · Esc cancel", x: r.x, y: r.y + shown.count + 2, style: Style(.dim), limit: r.width)
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
