import WorkbenchCore

/// An open template: its variables on the left, on the right the exact request that Send will
/// post (messages, parameters, tools JSON) and what it will cost, recomputed on every keystroke.
enum TemplateFormView {
    static func render(_ s: AppState, _ f: TemplateForm, into g: inout Grid) {
        let title = "Template \(f.template.name)" + (f.hasGoodVersion ? (f.template.title.map { " — \($0)" } ?? "") : " — does not load")
        let r = OverlayView.frame(&g, width: min(g.width, 150), height: g.height - 2, title: title)
        // The errors stay readable (line by line, scrolling) in the smallest terminal.
        if !f.hasGoodVersion, r.width >= 4, r.height >= 1 { return renderBroken(f, in: r, into: &g) }
        guard r.width >= 10, r.height >= 4 else { return }
        let hint = f.editing ? "typing edits · Enter done · Esc undo · Ctrl-U clear · Alt-Enter new line · Ctrl-S send"
            : "↑↓ variable · Enter edit · ←→ choice · Ctrl-S send · e edit file · r reset · PgUp/PgDn preview · Esc close"
        g.put(hint, x: r.x, y: r.maxY - 1, style: Style(.dim), limit: r.width)
        let content = Rect(x: r.x, y: r.y, width: r.width, height: r.height - 1)
        let wide = content.width >= 90
        let fieldsWidth = wide ? max(30, content.width * 2 / 5) : content.width
        let fieldsHeight = wide ? content.height : min(content.height / 2, max(3, f.template.variables.count * 2 + 2))
        let fields = Rect(x: content.x, y: content.y, width: fieldsWidth - (wide ? 2 : 0), height: fieldsHeight)
        let preview = wide
            ? Rect(x: content.x + fieldsWidth, y: content.y, width: content.width - fieldsWidth, height: content.height)
            : Rect(x: content.x, y: content.y + fieldsHeight + 1, width: content.width, height: max(0, content.height - fieldsHeight - 1))
        if wide {
            for y in content.y..<content.maxY { g.put("│", x: content.x + fieldsWidth - 2, y: y, style: Style(.border)) }
        } else if preview.y - 1 < content.maxY {
            g.put(String(repeating: "─", count: content.width), x: content.x, y: preview.y - 1, style: Style(.border))
        }
        drawFields(s, f, in: fields, into: &g)
        let lines = previewLines(s, f, width: max(1, preview.width - 1))
        let top = min(f.previewScroll, max(0, lines.count - preview.height))
        LineList.draw(lines.dropFirst(top), in: Rect(x: preview.x, y: preview.y, width: preview.width - 1, height: preview.height), into: &g)
        LineList.scrollbar(total: lines.count, top: top, in: Rect(x: preview.x, y: preview.y, width: preview.width - 1, height: preview.height), into: &g)
    }

    /// A template that never loaded: every error of its file, wrapped, scrollable to the end.
    static func renderBroken(_ f: TemplateForm, in r: Rect, into g: inout Grid) {
        let hint = r.height >= 4
        if hint { g.put("↑↓ PgUp/PgDn scroll · e edit the file · Esc close", x: r.x, y: r.maxY - 1, style: Style(.dim), limit: r.width) }
        let area = Rect(x: r.x, y: r.y, width: r.width, height: r.height - (hint ? 1 : 0))
        let lines = errorLines(f, width: max(1, area.width - 1))
        let top = min(f.previewScroll, max(0, lines.count - area.height))
        LineList.draw(lines.dropFirst(top), in: Rect(x: area.x, y: area.y, width: area.width - 1, height: area.height), into: &g)
        LineList.scrollbar(total: lines.count, top: top, in: Rect(x: area.x, y: area.y, width: area.width - 1, height: area.height), into: &g)
    }

    /// Each error of the file in full: where (line, field), what, and the fix.
    static func errorLines(_ f: TemplateForm, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        func text(_ t: String, _ style: Style) { out += TextWrap.wrap(plain: t, width: width, style: style) }
        let n = f.fileErrors.count
        let count = "\(n) error\(n == 1 ? "" : "s")"
        text(f.hasGoodVersion ? "✖ the file no longer loads (\(count)); showing the last good version" : "✖ the file does not load: \(count)",
             Style(f.hasGoodVersion ? .warning : .error, bold: true))
        for e in f.fileErrors {
            out.append(.empty)
            text(e.path + (e.line.map { ":\($0)" } ?? "") + (e.field.map { " · field \($0)" } ?? ""), Style(.dim))
            text(e.message, Style(f.hasGoodVersion ? .warning : .error))
            if let fix = e.fix { text("fix: " + fix, Style(.text)) }
        }
        if !f.hasGoodVersion {
            out.append(.empty)
            text("Nothing can be sent until the file loads; e opens it in $EDITOR and the form follows your save.", Style(.dim))
        }
        return out
    }

    static func drawFields(_ s: AppState, _ f: TemplateForm, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        var y = r.y
        if f.template.variables.isEmpty {
            g.put("This template has no variables.", x: r.x, y: y, style: Style(.dim), limit: r.width)
            g.put("Ctrl-S sends it as shown.", x: r.x, y: y + 1, style: Style(.dim), limit: r.width)
            return
        }
        // Two rows per variable (name, value); scroll so the selected one shows.
        let per = 2
        let room = max(1, (r.height - 2) / per)
        let first = max(0, min(f.selection - room + 1, f.template.variables.count - room))
        for (i, v) in f.template.variables.enumerated().dropFirst(first) {
            if y + 1 >= max(r.y + 2, r.maxY - 2) { break }
            let selected = i == f.selection
            // "(undeclared)": inferred from a {{placeholder}} in the text, not declared under variables.
            let label = (selected ? "› " : "  ") + v.name + (v.required ? " *" : "") + (v.choices != nil ? "  (choice)" : "")
                + (v.declared ? "" : " (undeclared)")
            g.put(label, x: r.x, y: y, style: Style(selected ? .accent : .text, bold: selected), limit: r.width)
            let value = f.values[v.name] ?? ""
            let firstLine = value.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let more = value.contains("\n") ? "  ⏎ +\(value.split(separator: "\n", omittingEmptySubsequences: false).count - 1) lines" : ""
            let shown: String
            if v.choices != nil { shown = "‹ \(value) ›" }
            else if value.isEmpty { shown = v.required ? "(required)" : "(empty)" }
            else { shown = f.editing && selected ? lastLine(value) : firstLine + more }
            let style = Style(value.isEmpty ? (v.required ? .error : .dim) : .text, reverse: selected && f.editing)
            let end = r.x + g.put("    " + shown, x: r.x, y: y + 1, style: style, limit: r.width)
            if selected, f.editing { g.cursor = (min(r.maxX - 1, end), y + 1) }
            y += per
        }
        // Below the list: the selected variable's description, or its choices while choosing.
        let footY = r.maxY - 1
        guard footY > y - 1, let v = f.variable else { return }
        if let c = f.choosing, let choices = v.choices {
            var cy = max(y, r.maxY - 1 - choices.count)
            for (i, ch) in choices.enumerated() {
                if cy >= r.maxY { break }
                let sel = i == c
                g.put((sel ? " › " : "   ") + ch, x: r.x, y: cy, style: sel ? Style(.selection, bold: true, reverse: true) : Style(.text), limit: r.width)
                cy += 1
            }
        } else if !v.description.isEmpty {
            g.put(v.description, x: r.x, y: footY, style: Style(.dim), limit: r.width)
        }
    }

    private static func lastLine(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? s
    }

    /// The preview: parameters, the estimate, each message as it goes on the wire, the tools JSON.
    static func previewLines(_ s: AppState, _ f: TemplateForm, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        func text(_ t: String, _ style: Style = Style(.text)) { out += TextWrap.wrap(plain: t, width: width, style: style) }
        func heading(_ t: String) {
            out.append(StyledLine([StyledSpan("── " + t + " ", Style(.heading, bold: true))]))
        }
        if !f.fileErrors.isEmpty {
            out += errorLines(f, width: width)
            out.append(.empty)
        } else if let e = f.reloadError {
            text("✖ the file no longer loads; showing the last good version", Style(.warning, bold: true))
            text(e.description, Style(.warning))
            out.append(.empty)
        }
        switch f.render(tools: s.toolCatalog, servesGLM: s.pricing.servesGLM) {
        case .failure(let e):
            text("✖ " + e.message, Style(.error, bold: true))
            if let fix = e.fix { text("fix: " + fix, Style(.text)) }
            text(e.path + (e.line.map { ":\($0)" } ?? "") + (e.field.map { " · field \($0)" } ?? ""), Style(.dim))
            text("Nothing will be sent until this is fixed.", Style(.dim))
        case .success(let rendered):
            let req = rendered.request(defaultModel: s.model, history: [], stream: s.templateMode(rendered) == .stream)
            var params = ["model \(req.model)", s.templateMode(rendered) == .stream ? "stream" : "non-stream"]
            if let t = req.temperature { params.append("temperature \(t)") }
            if let p = req.topP { params.append("top_p \(p)") }
            if let m = req.maxTokens { params.append("max_tokens \(m)") }
            if req.doSample == false { params.append("do_sample false") }
            if let st = req.stop { params.append("stop \(st)") }
            if req.responseFormat == .jsonObject { params.append("json_object") }
            text(params.joined(separator: " · "), Style(.accent))
            let estimate = DryRunEstimate(req, providerName: s.pricing.providerName, free: s.pricing.free, prices: s.pricing.prices, estimator: s.estimator)
            let calibrated = s.estimator.calibration == 1 ? "" : String(format: ", calibrated ×%.2f by this session's reported usage", s.estimator.calibration)
            text(estimate.line + " (before sending, on \(s.pricing.providerName)\(calibrated))", Style(.dim))
            if !s.turns.isEmpty { text("Sent after this conversation's \(s.turns.filter { $0.kind == .user }.count) earlier turn(s).", Style(.dim)) }
            for (i, m) in req.messages.enumerated() {
                let few = m.role != .system && i < req.messages.count - 1
                heading(m.role.rawValue + (few ? " (example)" : ""))
                text(m.content ?? "", Style(m.role == .system ? .system : (m.role == .user ? .user : .assistant)))
            }
            if let tools = req.tools, !tools.isEmpty {
                heading("tools (\(tools.count))")
                for d in rendered.tools {
                    text("\(d.name): \(ToolDispatcher.label(d.executor))", Style(.tool))
                }
                text(WireJSON.string(tools, pretty: true), Style(.code))
            }
        }
        return out
    }
}
