/// The model parameters form (F2). Every value can be read whole: the selected field's value
/// wraps onto as many rows as it needs (the caret after its last character), the others end in
/// `…` when cut, and the fields scroll so the selected one is always in view. Narrow overlays
/// put each value under its name.
enum ParameterFormView {
    /// One drawn row: what it shows and which field it belongs to.
    struct Row {
        var line: StyledLine
        var field: Int
    }

    static func rows(_ f: ParameterForm, width: Int) -> (rows: [Row], caret: (row: Int, x: Int)?) {
        let stacked = width < 40
        let labelW = stacked ? 2 : 19
        let valueW = max(1, width - labelW)
        var out: [Row] = []
        var caret: (row: Int, x: Int)?
        for (i, field) in ParameterForm.Field.allCases.enumerated() {
            let selected = i == f.selection
            let value = StatusView.oneLine(f.values[field] ?? "")
            let shown = value.isEmpty ? "(server default)" : value
            let labelStyle = Style(selected ? .accent : .text, bold: selected)
            let valueStyle = Style(value.isEmpty ? .dim : .text, reverse: selected)
            let label = (selected ? "› " : "  ") + field.rawValue
            var valueLines = [StyledLine([StyledSpan(shown, valueStyle)])]
            if selected, DisplayWidth.of(shown) >= valueW {
                valueLines = TextWrap.hardWrap([StyledSpan(shown, valueStyle)], width: valueW)
            }
            if stacked { out.append(Row(line: StyledLine([StyledSpan(label, labelStyle)]), field: i)) }
            for (k, v) in valueLines.enumerated() {
                let head = k == 0 && !stacked ? label.padding(toLength: labelW, withPad: " ", startingAt: 0) : String(repeating: " ", count: labelW)
                out.append(Row(line: StyledLine([StyledSpan(head, labelStyle)] + v.spans), field: i))
            }
            if selected, !f.isToggle {
                let last = valueLines.last?.width ?? 0
                caret = value.isEmpty ? (out.count - 1, labelW) : (out.count - 1, labelW + min(last, valueW - 1))
            }
        }
        return (out, caret)
    }

    static func render(_ f: ParameterForm, into g: inout Grid) {
        let width = min(g.width, 72)
        let (rows, caret) = self.rows(f, width: width - 2)
        var bottom: [StyledLine] = []
        if let e = f.error { bottom += TextWrap.wrap(plain: "✖ " + StatusView.oneLine(e), width: width - 2, style: Style(.error, bold: true)) }
        let hint = StyledLine([StyledSpan("↑↓ field · Ctrl-U clears · Space toggles · Enter apply · Esc cancel", Style(.dim))])
        let r = OverlayView.frame(&g, width: width, height: rows.count + bottom.count + 4, title: "Model parameters (F2)")
        // The keys are in help (F1): on a tiny screen they give way to the fields.
        if r.height - bottom.count - 2 >= 2 { bottom.append(hint) }
        // The fields get what the messages below leave, at least one row; the error comes before
        // the hint, which gives way first.
        let fieldH = max(1, min(rows.count, r.height - bottom.count - (bottom.isEmpty ? 0 : 1)))
        let selectedRows = rows.indices.filter { rows[$0].field == f.selection }
        var top = 0
        if let last = selectedRows.last, last >= fieldH { top = last - fieldH + 1 }
        if let first = selectedRows.first, first < top { top = first }
        for (i, row) in rows.enumerated().dropFirst(top).prefix(fieldH) {
            row.line.draw(into: &g, x: r.x, y: r.y + i - top, limit: r.width)
        }
        if let c = caret, c.row >= top, c.row < top + fieldH { g.cursor = (r.x + c.x, r.y + c.row - top) }
        var y = r.y + fieldH + (r.height - fieldH > bottom.count ? 1 : 0)
        for line in bottom where y < r.maxY {
            line.draw(into: &g, x: r.x, y: y, limit: r.width)
            y += 1
        }
    }
}
