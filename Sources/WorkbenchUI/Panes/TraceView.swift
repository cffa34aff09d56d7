import WorkbenchCore

/// The tool trace, grouped under the prompt that started each loop: one line per call
/// (`▸ get_weather(city: "Paris") → ok 12 ms`), expandable to the pretty arguments, the
/// validation result, the result as sent back, stderr and timings. Failed calls stand out.
enum TraceView {
    /// `pending`: a tool loop is running, so a call without an outcome is being answered.
    static func summary(_ item: TraceItem, pending: Bool = false) -> String {
        let head = (item.expanded ? "▾ " : "▸ ") + (item.call.name ?? "?") + "(" + ToolOutcome.compactArguments(item.call.arguments) + ")"
        guard let o = item.outcome else { return head + (pending ? " …" : "") }
        return head + " → " + o.verdict + (o.edited ? " ✎" : "")
    }

    static func lines(_ s: AppState, width: Int) -> [(StyledLine, Int)] {
        var out: [(StyledLine, Int)] = []
        var lastTurn = -1
        let prompts = s.turns.filter { $0.kind == .user }
        func add(_ text: String, _ style: Style, _ i: Int, indent: Int = 4) {
            for l in TextWrap.wrap(plain: text, width: max(1, width - indent), style: style) {
                out.append((StyledLine([StyledSpan(text: String(repeating: " ", count: indent), style: .plain)] + l.spans), i))
            }
        }
        for (i, item) in s.trace.enumerated() {
            if item.userTurn != lastTurn {
                lastTurn = item.userTurn
                let text = prompts.indices.contains(item.userTurn) ? prompts[item.userTurn].text.replacingOccurrences(of: "\n", with: " ") : ""
                out.append((StyledLine([StyledSpan(text: "prompt #\(item.userTurn + 1)" + (text.isEmpty ? "" : ": " + text), style: Style(.dim))]), -1))
            }
            let validJSON = JSONValue.parse(item.call.arguments) != nil
            let failed = item.outcome?.isFailure ?? false
            let style = failed || (!validJSON && item.outcome != nil) ? Style(.toolError, bold: true) : Style(.tool)
            out.append((StyledLine([StyledSpan(text: summary(item, pending: s.loopRunning), style: style)]), i))
            guard item.expanded else { continue }
            add("arguments", Style(.dim), i)
            add(JSONValue.parse(item.call.arguments)?.prettyText ?? item.call.arguments, Style(.code), i, indent: 6)
            if let o = item.outcome {
                if o.validationErrors.isEmpty {
                    add(validJSON ? "✔ arguments match the schema" : "✖ arguments are not valid JSON", validJSON ? Style(.success) : Style(.toolError), i)
                } else {
                    for e in o.validationErrors { add("✖ " + e, Style(.toolError), i) }
                }
                add("result (\(o.executor))" + (o.edited ? " — edited" : ""), Style(.dim), i)
                add(JSONValue.parse(o.result)?.prettyText ?? o.result, failed ? Style(.toolError) : Style(.text), i, indent: 6)
                if let note = o.note { add("note: " + note, Style(.warning), i) }
                if let st = o.exitStatus { add("exit status \(st)", st == 0 ? Style(.dim) : Style(.toolError), i) }
                if let err = o.stderr, !err.isEmpty {
                    add("stderr", Style(.dim), i)
                    add(err, Style(.warning), i, indent: 6)
                }
                let wait = o.waitMs.map { " · waited \(RunSummary.formatMs($0)) for your answer" } ?? ""
                add("the tool took \(RunSummary.formatMs(o.durationMs))" + wait + " · id \(o.callId) · run \(item.runId)", Style(.dim), i)
            } else {
                add("id \(item.call.id ?? "-") · run \(item.runId)" + (item.arrivedMs.map { " · arrived at +\(RunSummary.formatMs($0))" } ?? ""), Style(.dim), i)
            }
        }
        return out
    }

    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        if s.trace.isEmpty {
            g.put("No tool calls yet", x: r.x, y: r.y, style: Style(.dim), limit: r.width)
            return
        }
        let all = lines(s, width: r.width)
        let top = self.top(s, lines: all, height: r.height)
        var y = r.y
        for (line, item) in all.dropFirst(top) {
            if y >= r.maxY { break }
            line.draw(into: &g, x: r.x, y: y, limit: r.width)
            if item == s.traceSelection, s.focus == .trace, line.spans.first?.text.hasPrefix("▸") == true || line.spans.first?.text.hasPrefix("▾") == true {
                g.restyle(Rect(x: r.x, y: y, width: r.width, height: 1)) { $0.reverse = true }
            }
            y += 1
        }
        LineList.scrollbar(total: all.count, top: top, in: r, into: &g)
    }

    /// The first line shown: the selected call a third of the way down, moved by `traceScroll`,
    /// and never past either end.
    static func top(_ s: AppState, lines all: [(StyledLine, Int)], height: Int) -> Int {
        let selectedRow = all.firstIndex { $0.1 == s.traceSelection } ?? 0
        let base = selectedRow - height / 3
        return max(0, min(base + s.traceScroll, all.count - height))
    }

    /// `traceScroll` after moving by `delta` lines, kept where it shows something.
    static func scrolled(_ s: AppState, by delta: Int, width: Int, height: Int) -> Int {
        let all = lines(s, width: width)
        let selectedRow = all.firstIndex { $0.1 == s.traceSelection } ?? 0
        let base = selectedRow - height / 3
        let top = max(0, min(base + s.traceScroll + delta, all.count - height))
        return top - base
    }
}
