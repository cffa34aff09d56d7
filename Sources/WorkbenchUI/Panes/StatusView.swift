/// The bottom line: provider, model, stream on/off, focus, and the keys that matter right now.
enum StatusView {
    static func hints(_ s: AppState) -> String {
        if s.isRunning { return "Esc cancel · Ctrl-Q quit" }
        switch s.focus {
        case .editor: return "Ctrl-S send · Ctrl-T stream · Tab focus · F1 help · Ctrl-P palette · Ctrl-Q quit"
        case .conversation: return "↑↓ PgUp PgDn scroll · Ctrl-R regenerate · Ctrl-E edit · F1 help · q quit"
        case .templates: return "type to filter · ↑↓ choose · Enter open · Tab focus · F1 help"
        case .trace: return "↑↓ select · Enter expand · PgUp PgDn scroll · e edit the result and replay · Tab focus · F1 help"
        case .log: return "↑↓ scroll · [ ] run · Tab focus · F1 help · q quit"
        }
    }

    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        g.fill(r, Cell(" ", Style(.status)))
        var left = " \(s.providerName) · \(s.model) · stream \(s.stream ? "on" : "off")"
        if s.parameters.jsonMode { left += " · JSON" }
        left += " · \(s.focus.title) "
        var x = r.x + g.put(left, x: r.x, y: r.y, style: Style(.status, bold: true), limit: r.width)
        let message = s.statusMessage ?? hints(s)
        x += g.put(" " + message, x: x, y: r.y, style: Style(s.statusMessage == nil ? .status : .statusKey), limit: r.maxX - x)
    }
}

/// The pane switcher of the collapsed layout.
enum Tabs {
    /// Full titles when they fit; otherwise numbers, with only the visible pane's title spelled out.
    static func labels(width: Int, focus: PaneID) -> [(PaneID, String)] {
        let full = PaneID.allCases.enumerated().map { ($0.element, " \($0.offset + 1) \($0.element.title) ") }
        if full.reduce(0, { $0 + DisplayWidth.of($1.1) }) <= width { return full }
        return PaneID.allCases.enumerated().map { i, id in (id, id == focus ? " \(i + 1) \(id.title) " : " \(i + 1) ") }
    }

    static func pane(at x: Int, width: Int, focus: PaneID) -> PaneID? {
        var pos = 0
        for (id, label) in labels(width: width, focus: focus) {
            let w = DisplayWidth.of(label)
            if x >= pos && x < pos + w { return id }
            pos += w
        }
        return nil
    }

    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        var x = r.x
        for (id, label) in labels(width: r.width, focus: s.focus) {
            if x >= r.maxX { break }
            let style = id == s.focus ? Style(.title, bold: true, reverse: true) : Style(.dim)
            x += g.put(label, x: x, y: r.y, style: style, limit: r.maxX - x)
        }
    }
}
