/// Where everything goes for a given terminal size. Pure arithmetic, recomputed per frame.
public struct ScreenLayout: Sendable, Equatable {
    /// Outer rectangles of the visible panes (with their border in the full layout).
    public var panes: [PaneID: Rect] = [:]
    public var meter: Rect?
    public var status: Rect
    /// The pane switcher row of the collapsed layout.
    public var tabs: Rect?
    /// The row between the conversation and the prompt when a narrow terminal shows both.
    public var rule: Rect?
    public var collapsed: Bool

    /// The area inside a pane's border.
    public func inner(_ id: PaneID) -> Rect? {
        guard let r = panes[id] else { return nil }
        return collapsed ? r : r.inset(1)
    }

    public static func compute(_ s: AppState) -> ScreenLayout {
        let w = s.width, h = s.height
        let screen = Rect(x: 0, y: 0, width: w, height: h)
        let (rest, status) = screen.splitRows(-1)
        if s.isCollapsed {
            var body = rest
            var meter: Rect?
            if h >= 10 {
                let (b, m) = rest.splitRows(-1)
                body = b
                meter = m
            }
            let (tabs, pane) = body.splitRows(1)
            var layout = ScreenLayout(status: status, tabs: tabs, collapsed: true)
            layout.meter = meter
            // Typing a prompt, the conversation stays in view above it (with a rule between), so
            // a reply is never streamed into a pane nobody can see.
            if s.focus == .editor, pane.height >= 8 {
                let editorH = editorHeight(s, base: min(6, max(3, pane.height / 3)), limit: pane.height / 2, width: pane.width, border: 0)
                let (conversation, editor) = pane.splitRows(-editorH)
                layout.panes[.conversation] = Rect(x: conversation.x, y: conversation.y, width: conversation.width, height: conversation.height - 1)
                layout.panes[.editor] = editor
                layout.rule = Rect(x: conversation.x, y: conversation.maxY - 1, width: conversation.width, height: 1)
            } else {
                layout.panes[s.focus] = pane
            }
            return layout
        }
        let (body, meter) = rest.splitRows(-2)
        let leftW = min(30, max(20, w * 18 / 100))
        let rightW = min(56, max(30, w * 32 / 100))
        let (left, other) = body.splitColumns(leftW)
        let (centre, right) = other.splitColumns(other.width - rightW)
        let editorH = editorHeight(s, base: min(10, max(5, h * 22 / 100)), limit: centre.height / 2, width: centre.width - 2, border: 2)
        let (conversation, editor) = centre.splitRows(-editorH)
        let (trace, log) = right.splitRows(right.height * 40 / 100)
        var layout = ScreenLayout(status: status, collapsed: false)
        layout.meter = meter
        layout.panes = [.templates: left, .conversation: conversation, .editor: editor, .trace: trace, .log: log]
        return layout
    }

    /// The prompt editor's height: `base` rows, growing with the wrapped text up to `limit`;
    /// past that the editor scrolls with the caret.
    static func editorHeight(_ s: AppState, base: Int, limit: Int, width: Int, border: Int) -> Int {
        let most = max(base, limit)
        let needed = SoftWrap.rowCount(s.editor.lines, width: width, cap: most - border) + border
        return min(most, max(base, needed))
    }

    /// The columns the prompt editor wraps at, as drawn: ↑↓, Home and End move by its rows.
    public static func editorWidth(_ s: AppState) -> Int {
        compute(s).inner(.editor)?.width ?? .max
    }

    /// The pane under a screen position, for mouse focus and wheel scrolling.
    public func pane(at x: Int, _ y: Int) -> PaneID? {
        panes.first { $0.value.contains(x: x, y: y) }?.key
    }
}
