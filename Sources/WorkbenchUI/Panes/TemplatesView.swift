import WorkbenchCore

/// The templates pane: templates by category with their descriptions, the filter being typed,
/// and the files that failed to load, one row each, so nothing broken goes unnoticed. A broken
/// row is selectable: Enter opens every error of the file, in full.
enum TemplatesView {
    enum Row: Equatable {
        /// `broken(i)`: `visibleBrokenTemplates[i]`.
        case filter, header(String), name(Int), description(Int), broken(Int), none
    }

    static func rows(_ s: AppState, height: Int) -> [Row] {
        let visible = s.visibleTemplates
        let broken = s.visibleBrokenTemplates
        var out: [Row] = []
        if !s.templateFilter.isEmpty { out.append(.filter) }
        // Descriptions on their own rows when there is room for them.
        let twoRows = height >= visible.count * 2 + Set(visible.map(\.category)).count + out.count + broken.count
            || height > 12
        var category: String?
        for (i, t) in visible.enumerated() {
            if t.category != category {
                category = t.category
                out.append(.header(t.category.isEmpty ? "(top level)" : t.category))
            }
            out.append(.name(i))
            if twoRows, !t.description.isEmpty { out.append(.description(i)) }
        }
        if visible.isEmpty { out.append(.none) }
        for i in broken.indices { out.append(.broken(i)) }
        return out
    }

    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        let visible = s.visibleTemplates
        let broken = s.visibleBrokenTemplates
        let all = rows(s, height: r.height)
        let selectedRow = all.firstIndex(of: s.templateSelection < visible.count ? .name(s.templateSelection) : .broken(s.templateSelection - visible.count)) ?? 0
        // Keep the selection (and its description) on screen; show the filter line always.
        let pinned = all.first == .filter ? 1 : 0
        let room = max(1, r.height - pinned)
        let body = Array(all.dropFirst(pinned))
        let sel = max(0, selectedRow - pinned)
        let top = max(0, min(sel + 2 - room, max(0, body.count - room)))
        var y = r.y
        if pinned == 1 {
            g.put("/ " + s.templateFilter, x: r.x, y: y, style: Style(.accent, bold: true), limit: r.width)
            if s.focus == .templates, s.overlay == nil { g.cursor = (min(r.maxX - 1, r.x + 2 + DisplayWidth.of(s.templateFilter)), y) }
            y += 1
        }
        for row in body.dropFirst(top) {
            if y >= r.maxY { break }
            switch row {
            case .filter: break
            case .header(let c):
                g.put(c, x: r.x, y: y, style: Style(.heading, bold: true), limit: r.width)
            case .name(let i):
                let t = visible[i]
                let selected = i == s.templateSelection
                let style = selected ? Style(.selection, bold: true, reverse: s.focus == .templates) : Style(.text)
                if selected { g.fill(Rect(x: r.x, y: y, width: r.width, height: 1), Cell(" ", style)) }
                let leaf = t.category.isEmpty ? t.name : String(t.name.dropFirst(t.category.count + 1))
                let x = r.x + g.put((selected ? "› " : "  ") + leaf, x: r.x, y: y, style: style, limit: r.width)
                if t.origin == .user { g.put(" (yours)", x: x, y: y, style: selected ? style : Style(.dim), limit: r.maxX - x) }
            case .description(let i):
                g.put("    " + visible[i].description, x: r.x, y: y, style: Style(.dim), limit: r.width)
            case .broken(let i):
                // Cut with … by `put`; Enter on the row shows every error in full.
                let b = broken[i]
                let selected = visible.count + i == s.templateSelection
                let style = selected ? Style(.error, bold: true, reverse: s.focus == .templates) : Style(.error)
                if selected { g.fill(Rect(x: r.x, y: y, width: r.width, height: 1), Cell(" ", style)) }
                let count = b.errors.count == 1 ? "" : " (\(b.errors.count) errors)"
                g.put("✖ \(b.name)\(count): \(b.errors[0].message)", x: r.x, y: y, style: style, limit: r.width)
            case .none:
                let text = s.templates.isEmpty ? "No templates found (prompts/ or \(s.paths.shown(s.paths.userPrompts))/)" : "No template matches \"\(s.templateFilter)\""
                g.put(text, x: r.x, y: y, style: Style(.dim), limit: r.width)
            }
            y += 1
        }
    }
}
