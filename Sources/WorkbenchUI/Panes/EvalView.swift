import Foundation
import WorkbenchCore

/// Where the evaluation view puts things, by the screen's size: the reducer keeps the selection
/// on screen with the same numbers the view draws with.
enum EvalLayout {
    /// From this width every column is drawn; below it one column at a time, with a switcher.
    static let wideWidth = 100

    /// Lines above the first case row: title, column labels, pass counts, latency, progress and
    /// a rule when there is room; fewer on short screens.
    static func headerHeight(height: Int) -> Int { height >= 16 ? 6 : (height >= 10 ? 3 : 2) }
    static func footerHeight(height: Int) -> Int { height >= 10 ? 1 : 0 }

    /// Case rows drawn at once (the status line takes the last screen row).
    static func visibleRowCount(height: Int) -> Int {
        max(1, height - 1 - headerHeight(height: height) - footerHeight(height: height))
    }

    /// The columns drawn: all of them when wide, else the selected one.
    static func shownColumns(_ v: EvalViewState, width: Int) -> [Int] {
        guard !v.variants.isEmpty else { return [] }
        if width >= wideWidth { return Array(v.variants.indices) }
        return [min(v.selectedColumn, v.variants.count - 1)]
    }

    /// The case-name column's width.
    static func nameWidth(_ v: EvalViewState, width: Int) -> Int {
        max(6, min(v.longestName + 2, width >= wideWidth ? 30 : width * 2 / 5))
    }
}

/// The evaluation view: a header per column (passed, errors, cost, latency, progress), then a
/// row per case with a cell per column. Only the rows on screen are drawn, so ten thousand
/// cases cost what a screenful costs.
enum EvalView {
    static func render(_ s: AppState, _ v: EvalViewState, into g: inout Grid) {
        let area = Rect(x: 0, y: 0, width: g.width, height: max(1, g.height - 1))
        g.fill(area)
        if let d = v.detail {
            EvalDetailView.render(s, v, d, in: area, into: &g)
            return
        }
        var y = area.y
        let headerHeight = EvalLayout.headerHeight(height: g.height)
        g.put(title(v, now: s.now), x: 0, y: y, style: Style(.title, bold: true), limit: area.width)
        y += 1
        let shown = EvalLayout.shownColumns(v, width: area.width)
        let nameW = EvalLayout.nameWidth(v, width: area.width)
        let cellsX = nameW + 1
        // The last screen column is the scrollbar's.
        let colW = shown.isEmpty ? 0 : max(4, (area.width - 1 - cellsX) / shown.count)
        func columnX(_ k: Int) -> Int { cellsX + k * colW }
        switch v.phase {
        case .failed(let why):
            let lines = TextWrap.wrap(plain: why, width: max(1, area.width), style: Style(.warning))
            LineList.draw(lines[...], in: Rect(x: 0, y: y, width: area.width, height: area.maxY - y), into: &g)
            return
        case .planning where v.variants.isEmpty:
            g.put("planning: reading the template and its cases…", x: 0, y: y, style: Style(.dim), limit: area.width)
            return
        default: break
        }
        // Column labels (narrow: the switcher), then what each column has done.
        let narrow = area.width < EvalLayout.wideWidth && v.variants.count > 1
        g.put(narrow ? "◀ ▶ column" : "case", x: 0, y: y, style: Style(.dim), limit: nameW)
        for (k, c) in shown.enumerated() {
            var label = v.variants[c].label
            if narrow { label = "\(c + 1)/\(v.variants.count) " + label }
            let selected = c == v.selectedColumn && v.variants.count > 1
            g.put(label, x: columnX(k), y: y, style: Style(.heading, bold: true, underline: selected), limit: colW - 1)
        }
        y += 1
        if headerHeight >= 3 {
            g.put("passed", x: 0, y: y, style: Style(.dim), limit: nameW)
            for (k, c) in shown.enumerated() where v.summaries.indices.contains(c) {
                g.put(
                    passLine(v.summaries[c], total: v.rows.count), x: columnX(k), y: y, style: Style(.text),
                    limit: colW - 1)
            }
            y += 1
        }
        if headerHeight >= 6 {
            g.put("latency", x: 0, y: y, style: Style(.dim), limit: nameW)
            for (k, c) in shown.enumerated() where v.summaries.indices.contains(c) {
                g.put(latencyLine(v.summaries[c]), x: columnX(k), y: y, style: Style(.dim), limit: colW - 1)
            }
            y += 1
            progressBar(v, width: area.width, y: y, into: &g)
            y += 1
            g.put(String(repeating: "─", count: area.width), x: 0, y: y, style: Style(.border), ellipsis: false)
            y += 1
        }
        // The rows: only those on screen.
        let rowsShown = EvalLayout.visibleRowCount(height: g.height)
        let top = min(v.top, max(0, v.visibleRows.count - rowsShown))
        if v.visibleRows.isEmpty {
            let why =
                v.rows.isEmpty
                ? "no cases"
                : "no \(v.filter.rawValue) cases\(v.search.isEmpty ? "" : " match “\(v.search)”") (f changes the filter)"
            g.put(why, x: 0, y: y, style: Style(.dim), limit: area.width)
        }
        for (k, row) in v.visibleRows.dropFirst(top).prefix(rowsShown).enumerated() {
            let ry = y + k
            let selected = top + k == v.selectedRow
            let mark = v.disagrees(row: row) ? "≠" : " "
            g.put(mark, x: 0, y: ry, style: Style(.warning, bold: true))
            g.put(
                v.rows[row].name, x: 1, y: ry,
                style: Style(selected ? .selection : .text, bold: selected, reverse: selected), limit: nameW - 1)
            for (ci, c) in shown.enumerated() {
                let cell = v.cells[row * v.variants.count + c]
                let focused = selected && c == v.selectedColumn
                drawCell(cell, x: columnX(ci), y: ry, width: colW - 1, focused: focused, into: &g)
            }
        }
        LineList.scrollbar(
            total: v.visibleRows.count, top: top, in: Rect(x: 0, y: y, width: area.width - 1, height: rowsShown),
            into: &g)
        if EvalLayout.footerHeight(height: g.height) > 0 {
            g.put(footer(v), x: 0, y: area.maxY - 1, style: Style(.dim), limit: area.width)
        }
    }

    static func title(_ v: EvalViewState, now: Date) -> String {
        var t =
            "Evaluate \(v.template) · \(v.rows.count) case\(v.rows.count == 1 ? "" : "s") × \(max(1, v.variants.count)) column\(v.variants.count == 1 ? "" : "s")"
        switch v.phase {
        case .planning: t += " · planning"
        case .confirming: t += " · " + (v.estimate?.line ?? "") + " — y run · n don't"
        case .running: t += " · running \(v.progress.done)/\(v.progress.total)"
        case .finished(let interrupted): t += interrupted ? " · cancelled" : " · done"
        case .failed: t += " · not run"
        }
        if v.filter != .all || !v.search.isEmpty || v.searching {
            t += " · \(v.filter.rawValue) \(v.visibleRows.count)/\(v.rows.count)"
        }
        if v.searching || !v.search.isEmpty { t += " · /" + v.search + (v.searching ? "▏" : "") }
        if v.templateChanged { t += " · changed on disk: r reruns" }
        return t
    }

    /// `3/4 ✔ · 1 ✘ · 0 ! · $0.0012` (exact; `+?` when some cost is unknown).
    static func passLine(_ s: EvalVariantSummary, total: Int) -> String {
        var parts = ["\(s.passed)/\(total) ✔"]
        if s.failed > 0 { parts.append("\(s.failed) ✘") }
        if s.errors > 0 { parts.append("\(s.errors) !") }
        if s.unscored > 0 { parts.append("\(s.unscored) ?") }
        if s.skipped > 0 { parts.append("\(s.skipped) –") }
        parts.append("$" + EvalDecimal.plain(s.costUSD) + (s.unknownCostRuns > 0 ? "+?" : ""))
        if s.cachedRuns > 0 { parts.append("\(s.cachedRuns) cached") }
        return parts.joined(separator: " · ")
    }

    static func latencyLine(_ s: EvalVariantSummary) -> String {
        guard let p50 = s.p50LatencyMs, let p95 = s.p95LatencyMs else { return "p50 — · p95 —" }
        return "p50 \(RunSummary.formatMs(p50)) · p95 \(RunSummary.formatMs(p95))"
    }

    static func progressBar(_ v: EvalViewState, width: Int, y: Int, into g: inout Grid) {
        let p = v.progress
        guard p.total > 0 else { return }
        let barW = max(4, min(30, width / 4))
        let filled = barW * min(p.done, p.total) / p.total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barW - filled)
        let x = g.put(bar, x: 0, y: y, style: Style(.accent), ellipsis: false)
        g.put(" " + p.line, x: x, y: y, style: Style(.dim), limit: width - x)
    }

    static func drawCell(_ cell: EvalCellProgress, x: Int, y: Int, width: Int, focused: Bool, into g: inout Grid) {
        guard width > 0 else { return }
        let (mark, role, text, figures) = describe(cell)
        let base = Style(role, bold: focused, reverse: focused)
        var col = x + g.put(mark + " ", x: x, y: y, style: base, limit: width)
        let room = x + width - col
        guard room > 0 else { return }
        let showFigures = width >= 36 && !figures.isEmpty
        let textRoom = showFigures ? max(1, room - DisplayWidth.of(figures) - 1) : room
        col += g.put(
            text.isEmpty ? " " : text, x: col, y: y, style: Style(focused ? .selection : .text, reverse: focused),
            limit: textRoom)
        if showFigures {
            g.put(
                figures, x: x + width - DisplayWidth.of(figures), y: y, style: Style(.dim),
                limit: DisplayWidth.of(figures))
        }
    }

    /// The mark, its role, the text and the figures (cost · latency) of a cell. Marks differ by
    /// glyph, not only colour, so they read the same under NO_COLOR.
    static func describe(_ cell: EvalCellProgress) -> (String, Role, String, String) {
        switch cell {
        case .queued: return ("◌", .dim, "queued", "")
        case .running: return ("…", .accent, "running", "")
        case .done(let r):
            let role: Role
            switch r.status {
            case .pass: role = .success
            case .fail: role = .error
            case .error: role = .warning
            case .unscored, .skipped: role = .dim
            }
            var text = r.output
            if r.status == .error || r.status == .skipped || text.isEmpty { text = r.problem ?? r.reason ?? text }
            if r.cached != nil { text = "cached · " + text }
            var figures: [String] = []
            if let c = r.costUSD { figures.append("$" + EvalDecimal.plain(c)) }
            let ms = r.cached?.originalLatencyMs ?? r.latencyMs
            if let ms { figures.append(RunSummary.formatMs(ms)) }
            return (r.status.mark, role, text, figures.joined(separator: " "))
        }
    }

    static func footer(_ v: EvalViewState) -> String {
        switch v.phase {
        case .running, .planning:
            return "Esc cancel (finished cells stay) · ↑↓ ←→ move · Enter open · f filter · / search"
        case .confirming: return "y run it · n don't send"
        default:
            return
                "Enter open · d diff · f \(v.filter.rawValue) · / search · r rerun · R all · a HEAD · m model · s mode · x drop · e edit · Esc"
        }
    }
}
