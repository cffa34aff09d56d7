import WorkbenchCore

/// The tool trace: every tool call of the conversation as it arrives, one line each, expandable
/// to the pretty-printed arguments and the call id.
enum TraceView {
    static func summary(_ item: TraceItem) -> String {
        let args: String
        if case .object(let o)? = JSONValue.parse(item.call.arguments) {
            args = o.keys.sorted().map { k in "\(k): \(o[k]!.canonicalText)" }.joined(separator: ", ")
        } else {
            args = item.call.arguments
        }
        return (item.expanded ? "▾ " : "▸ ") + (item.call.name ?? "?") + "(" + args + ")"
    }

    static func lines(_ s: AppState, width: Int) -> [(StyledLine, Int)] {
        var out: [(StyledLine, Int)] = []
        var lastTurn = -1
        for (i, item) in s.trace.enumerated() {
            if item.userTurn != lastTurn {
                lastTurn = item.userTurn
                out.append((StyledLine([StyledSpan(text: "prompt #\(item.userTurn + 1)", style: Style(.dim))]), -1))
            }
            let valid = JSONValue.parse(item.call.arguments) != nil
            let style = valid ? Style(.tool) : Style(.toolError)
            out.append((StyledLine([StyledSpan(text: summary(item), style: style)]), i))
            if item.expanded {
                let pretty = JSONValue.parse(item.call.arguments)?.prettyText ?? item.call.arguments
                for l in TextWrap.wrap(plain: pretty, width: max(1, width - 4), style: Style(.code)) {
                    out.append((StyledLine([StyledSpan(text: "    ", style: .plain)] + l.spans), i))
                }
                if !valid { out.append((StyledLine([StyledSpan(text: "    ✖ arguments are not valid JSON", style: Style(.toolError))]), i)) }
                out.append((StyledLine([StyledSpan(text: "    id \(item.call.id ?? "-") · run \(item.runId)", style: Style(.dim))]), i))
                if let ms = item.arrivedMs {
                    out.append((StyledLine([StyledSpan(text: "    arrived at +\(RunSummary.formatMs(ms))", style: Style(.dim))]), i))
                }
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
        let selectedRow = all.firstIndex { $0.1 == s.traceSelection } ?? 0
        let top = max(0, min(selectedRow - r.height / 2, all.count - r.height))
        var y = r.y
        for (line, item) in all.dropFirst(top) {
            if y >= r.maxY { break }
            line.draw(into: &g, x: r.x, y: y, limit: r.width)
            if item == s.traceSelection, s.focus == .trace, line.spans.first?.text.hasPrefix("▸") == true || line.spans.first?.text.hasPrefix("▾") == true {
                g.restyle(Rect(x: r.x, y: y, width: r.width, height: 1)) { $0.reverse = true }
            }
            y += 1
        }
    }
}
