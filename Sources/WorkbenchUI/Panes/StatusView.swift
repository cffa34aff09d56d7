import WorkbenchCore

/// The bottom line: provider, model, stream on/off, focus, and the keys that matter right now.
enum StatusView {
    static func hints(_ s: AppState) -> String {
        if let v = s.evalView {
            if v.isRunning { return "Esc cancel the evaluation · Ctrl-Q quit" }
            if v.detail != nil { return "[ ] neighbour cell · Esc back" }
            return "Enter open · r rerun · f filter · Esc close · F1 help"
        }
        if s.isRunning { return "Esc cancel · Ctrl-Q quit" }
        switch s.focus {
        case .editor: return "Ctrl-S send · Ctrl-T stream · Tab focus · F1 help · Ctrl-P palette · Ctrl-Q quit"
        case .conversation: return "↑↓ PgUp PgDn scroll · Ctrl-R regenerate · Ctrl-E edit · F1 help · q quit"
        case .templates: return "type to filter · ↑↓ choose · Enter open · Tab focus · F1 help"
        case .trace: return "↑↓ select · Enter expand · PgUp PgDn scroll · e edit the result and replay · Tab focus · F1 help"
        case .log: return "↑↓ scroll · [ ] run · Tab focus · F1 help · q quit"
        }
    }

    /// What the status line ends a cut message with: the help overlay (F1) opens with the whole
    /// message, so nothing said there is ever lost to the width.
    static func fullTextHint(width: Int) -> String { width >= 40 ? " (F1 full)" : " F1" }

    /// A status message as one line that is safe to print: controls become visible pictures (a
    /// message may quote a server or a file name), line breaks and tabs become spaces.
    static func oneLine(_ message: String) -> String {
        TerminalText.visible(message).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
    }

    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        g.fill(r, Cell(" ", Style(.status)))
        var left = " \(s.providerName) · \(s.model) · stream \(s.stream ? "on" : "off")"
        if s.parameters.jsonMode { left += " · JSON" }
        left += " · \(s.evalView != nil ? "Evaluation" : s.focus.title) "
        guard let raw = s.statusMessage else {
            let x = r.x + g.put(left, x: r.x, y: r.y, style: Style(.status, bold: true), limit: r.width)
            g.put(" " + hints(s), x: x, y: r.y, style: Style(.status), limit: r.maxX - x)
            return
        }
        // A message matters more than the summary beside it (the meter repeats provider and
        // model): the summary gives way first, then the message is cut and says where it is whole.
        let message = " " + oneLine(raw)
        let style = Style(.statusKey)
        if DisplayWidth.of(left) + DisplayWidth.of(message) <= r.width {
            let x = r.x + g.put(left, x: r.x, y: r.y, style: Style(.status, bold: true), limit: r.width)
            g.put(message, x: x, y: r.y, style: style, limit: r.maxX - x)
        } else if DisplayWidth.of(message) <= r.width {
            g.put(message, x: r.x, y: r.y, style: style, limit: r.width)
        } else {
            let hint = fullTextHint(width: r.width)
            let x = r.x + g.put(message, x: r.x, y: r.y, style: style, limit: r.width - DisplayWidth.of(hint))
            g.put(hint, x: x, y: r.y, style: Style(.status, bold: true), limit: r.maxX - x)
        }
    }

    /// Whether the status line cuts the current message (the help overlay then opens with it).
    static func cutsMessage(_ s: AppState, width: Int) -> Bool {
        guard let m = s.statusMessage else { return false }
        return DisplayWidth.of(" " + oneLine(m)) > width
    }
}

/// The pane switcher of the collapsed layout.
enum Tabs {
    /// Full titles when they fit; otherwise numbers, with only the visible pane's title spelled
    /// out, cut with `…` if even that is too wide: every number stays on screen (Alt-N reaches it).
    static func labels(width: Int, focus: PaneID) -> [(PaneID, String)] {
        let full = PaneID.allCases.enumerated().map { ($0.element, " \($0.offset + 1) \($0.element.title) ") }
        if full.reduce(0, { $0 + DisplayWidth.of($1.1) }) <= width { return full }
        let numbers = PaneID.allCases.enumerated().map { i, id in (id, id == focus ? " \(i + 1) \(id.title) " : " \(i + 1) ") }
        let used = numbers.reduce(0) { $0 + DisplayWidth.of($1.1) }
        guard used > width else { return numbers }
        let others = numbers.reduce(0) { $0 + ($1.0 == focus ? 0 : DisplayWidth.of($1.1)) }
        return numbers.map { id, label in
            guard id == focus else { return (id, label) }
            let n = " \((PaneID.allCases.firstIndex(of: id) ?? 0) + 1) "
            let room = width - others - DisplayWidth.of(n) - 1
            return (id, n + (room >= 2 ? cut(id.title, to: room) + " " : ""))
        }
    }

    /// `text` in at most `width` columns, ending in `…` when it had to be cut.
    static func cut(_ text: String, to width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
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
