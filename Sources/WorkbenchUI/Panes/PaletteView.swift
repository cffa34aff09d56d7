/// The command palette: a filter line and the matching actions with their keys. A title too long
/// for its row ends in `…`, and the selected one is also shown whole, wrapped, under the list.
enum PaletteView {
    static func render(_ p: PaletteState, into g: inout Grid) {
        let matches = p.matches
        let width = min(g.width, 100)
        let inner = max(1, width - 2)
        let keyW = matches.map { DisplayWidth.of($0.keys.first?.label ?? "") }.max() ?? 0
        let titleW = max(1, inner - keyW - 1)
        let selected = matches.indices.contains(p.selection) ? matches[p.selection] : nil
        var detail: [StyledLine] = []
        if let a = selected, DisplayWidth.of(a.title) > titleW {
            detail = TextWrap.wrap(plain: a.title, width: inner, style: Style(.dim))
        }
        let listRows = min(matches.count, 14)
        let r = OverlayView.frame(&g, width: width, height: listRows + 4 + (detail.isEmpty ? 0 : detail.count + 1), title: "Command palette")
        g.put("› " + p.filter, x: r.x, y: r.y, style: Style(.accent, bold: true), limit: r.width)
        g.cursor = (min(r.maxX - 1, r.x + 2 + DisplayWidth.of(p.filter)), r.y)
        // The list keeps at least one row; the selected title's full text gets what is left.
        let below = r.height - 2
        let detailH = detail.isEmpty ? 0 : min(detail.count, max(0, below - 2))
        let listH = max(1, below - (detailH > 0 ? detailH + 1 : 0))
        let top = max(0, p.selection - (listH - 1))
        for (i, a) in matches.enumerated().dropFirst(top).prefix(listH) {
            let y = r.y + 2 + i - top
            if y >= r.maxY { break }
            let keys = a.keys.first?.label ?? ""
            let style = i == p.selection ? Style(.selection, reverse: true) : Style(.text)
            if i == p.selection { g.fill(Rect(x: r.x, y: y, width: r.width, height: 1), Cell(" ", style)) }
            g.put(a.title, x: r.x, y: y, style: style, limit: min(titleW, r.width - DisplayWidth.of(keys) - 1))
            g.put(keys, x: r.maxX - DisplayWidth.of(keys), y: y, style: Style(.dim), limit: DisplayWidth.of(keys))
        }
        if matches.isEmpty { g.put("no matching action", x: r.x, y: r.y + 2, style: Style(.dim), limit: r.width) }
        LineList.draw(detail.prefix(detailH), in: Rect(x: r.x, y: r.maxY - detailH, width: r.width, height: detailH), into: &g)
    }
}
