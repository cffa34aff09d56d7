/// Composes a whole frame from the state: every visible pane in its rectangle, the meter, the
/// status line and any overlay. Pure: the same state always draws the same grid.
public enum Screen {
    public static let minimumWidth = 20
    public static let minimumHeight = 6

    public static func render(_ s: AppState) -> Grid {
        var g = Grid(width: s.width, height: s.height)
        guard s.width >= minimumWidth, s.height >= minimumHeight else {
            g.put("glmwb: enlarge", x: 0, y: 0, style: Style(.warning), limit: s.width)
            if s.height > 1 { g.put("to \(minimumWidth)×\(minimumHeight)", x: 0, y: 1, style: Style(.dim), limit: s.width) }
            return g
        }
        if let v = s.evalView {
            // The evaluation view takes the whole screen above the status line; help, the
            // palette and its questions still open over it.
            EvalView.render(s, v, into: &g)
            StatusView.render(s, in: Rect(x: 0, y: s.height - 1, width: s.width, height: 1), into: &g)
            g.cursor = nil
            OverlayView.render(s, into: &g)
            return g
        }
        let layout = ScreenLayout.compute(s)
        if let tabs = layout.tabs { Tabs.render(s, in: tabs, into: &g) }
        if let rule = layout.rule {
            let label = "─ Prompt " + (s.stream ? "(stream) " : "(non-stream) ")
            g.put(label + String(repeating: "─", count: max(0, rule.width - DisplayWidth.of(label))), x: rule.x, y: rule.y,
                  style: Style(.border), limit: rule.width, ellipsis: false)
        }
        for (id, rect) in layout.panes {
            if !layout.collapsed { Box.draw(rect, title: id.title, focused: s.focus == id, into: &g, badge: badge(s, id)) }
            guard let inner = layout.inner(id) else { continue }
            switch id {
            case .conversation: ConversationView.render(s, in: inner, into: &g)
            case .editor: EditorView.render(s, in: inner, into: &g)
            case .templates: TemplatesView.render(s, in: inner, into: &g)
            case .trace: TraceView.render(s, in: inner, into: &g)
            case .log: LogView.render(s, in: inner, into: &g)
            }
        }
        if let m = layout.meter { MeterView.render(s, in: m, into: &g) }
        StatusView.render(s, in: layout.status, into: &g)
        // The caret belongs to whatever takes typing: the editor, or an overlay that sets its own.
        if s.overlay != nil || s.focus != .editor { g.cursor = nil }
        OverlayView.render(s, into: &g)
        return g
    }

    static func badge(_ s: AppState, _ id: PaneID) -> String? {
        switch id {
        case .conversation: return s.editingTurn.map { "editing #\($0 + 1)" } ?? (s.isRunning ? "● live" : nil)
        case .trace: return s.trace.isEmpty ? nil : "\(s.trace.count)"
        case .log: return s.runs.isEmpty ? nil : "\((s.logRunIndex ?? s.runs.count - 1) + 1)/\(s.runs.count)"
        case .editor: return s.editingSystem != nil ? "system prompt" : (s.stream ? "stream" : "non-stream")
        case .templates: return s.templates.isEmpty ? nil : "\(s.templates.count)"
        }
    }
}
