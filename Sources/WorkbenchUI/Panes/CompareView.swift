import Foundation
import WorkbenchCore

/// The compare view: streaming and non-streaming answers in two columns that fill live (the
/// non-streaming one shows how long it has been waiting), the word diff highlighted in both once
/// they differ, and under them the table of every field with ✔ or ✘.
enum CompareView {
    static func render(_ s: AppState, _ c: CompareState, into g: inout Grid) {
        let r = OverlayView.frame(&g, width: g.width, height: g.height - 1, title: "Compare: streaming vs non-streaming (Ctrl-K)")
        guard r.width >= 20, r.height >= 8 else { return }
        let prompt = (c.request.messages.last?.content ?? "").replacingOccurrences(of: "\n", with: " ")
        let head = "\(c.request.model) · \(c.sequential ? "sequential" : "concurrent")" + (c.repeats > 1 ? " · \(c.repeats)× each" : "")
            + (c.request.doSample == false ? " · do_sample false" : "") + " · " + prompt
        g.put(head, x: r.x, y: r.y, style: Style(.dim), limit: r.width)
        let report = c.report
        let tableLines = report.map { tableRows($0, width: r.width, groups: c.repeats > 1 && !c.running ? c.collector.groups : nil, repeats: c.repeats) } ?? []
        let hint = c.running ? "running… Esc cancels" : "r rerun · d deterministic · s sequential · n repeat 1/3/5 · ↑↓ text · PgUp/PgDn table · Esc close"
        let columnsHeight = max(3, min(r.height - 3 - min(tableLines.count, r.height / 2), r.height - 3))
        let colW = (r.width - 1) / 2
        let left = Rect(x: r.x, y: r.y + 1, width: colW, height: columnsHeight)
        let right = Rect(x: r.x + colW + 1, y: r.y + 1, width: r.width - colW - 1, height: columnsHeight)
        for y in left.y..<left.maxY { g.put("│", x: r.x + colW, y: y, style: Style(.border)) }
        let now = s.now
        let streamDone = c.collector.metrics(attempt: 0, mode: .stream)
        let bodyDone = c.collector.metrics(attempt: 0, mode: .nonStream)
        func since(_ mode: RunMode) -> Double { now.timeIntervalSince(c.modeStartedAt[mode] ?? now) }
        let streamTitle = "stream · " + (streamDone.map { "\($0.status.rawValue) · \($0.figures.chunksText ?? "") · \(RunFigures.ms($0.figures.totalMs))" }
            ?? (c.modeStartedAt[.stream] == nil ? "queued" : String(format: "streaming %.1f s", since(.stream))))
        let bodyTitle = "non-stream · " + (bodyDone.map { "\($0.status.rawValue) · \(RunFigures.ms($0.figures.totalMs))" }
            ?? (c.modeStartedAt[.nonStream] == nil ? (c.sequential ? "queued: sent after the stream ends" : "queued")
                : String(format: "waiting for the body %.1f s", since(.nonStream))))
        g.put(streamTitle, x: left.x, y: left.y, style: Style(.title, bold: true), limit: left.width)
        g.put(bodyTitle, x: right.x, y: right.y, style: Style(.title, bold: true), limit: right.width)
        var streamSpans = [StyledSpan(c.streamText, Style(.assistant))]
        var bodySpans = [StyledSpan(c.nonStreamText, Style(.assistant))]
        if let report, !report.textIdentical {
            streamSpans = []
            bodySpans = []
            for op in report.wordDiff {
                switch op {
                case .same(let t):
                    streamSpans.append(StyledSpan(t, Style(.assistant)))
                    bodySpans.append(StyledSpan(t, Style(.assistant)))
                case .added(let t): streamSpans.append(StyledSpan(t, Style(.diffAdd, bold: true)))
                case .removed(let t): bodySpans.append(StyledSpan(t, Style(.diffRemove, bold: true)))
                }
            }
        }
        let body = Rect(x: left.x, y: left.y + 1, width: left.width, height: left.height - 1)
        let body2 = Rect(x: right.x, y: right.y + 1, width: right.width, height: right.height - 1)
        drawText(streamSpans, toolCalls: streamDone?.toolCalls ?? [], in: body, scroll: c.scroll, into: &g)
        drawText(bodySpans, toolCalls: bodyDone?.toolCalls ?? [], in: body2, scroll: c.scroll, into: &g)
        let tableTop = left.maxY
        g.put(String(repeating: "─", count: r.width), x: r.x, y: tableTop, style: Style(.border))
        let tableRect = Rect(x: r.x, y: tableTop + 1, width: r.width - 1, height: max(0, r.maxY - tableTop - 2))
        let tableTopLine = min(c.tableScroll, max(0, tableLines.count - tableRect.height))
        LineList.draw(tableLines.dropFirst(tableTopLine), in: tableRect, into: &g)
        LineList.scrollbar(total: tableLines.count, top: tableTopLine, in: tableRect, into: &g)
        g.put(hint, x: r.x, y: r.maxY - 1, style: Style(.dim), limit: r.width)
    }

    static func drawText(_ spans: [StyledSpan], toolCalls: [RunMetrics.CanonicalToolCall], in r: Rect, scroll: Int, into g: inout Grid) {
        var lines: [StyledLine] = []
        // Split spans at newlines so each logical line wraps on its own.
        var current: [StyledSpan] = []
        for span in spans {
            let parts = span.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i > 0 { lines += TextWrap.wrap(current, width: r.width); current = [] }
                if !p.isEmpty { current.append(StyledSpan(String(p), span.style)) }
            }
        }
        lines += TextWrap.wrap(current, width: r.width)
        for call in toolCalls { lines += TextWrap.wrap(plain: "⚙ " + call.description, width: r.width, style: Style(.tool)) }
        LineList.draw(lines.dropFirst(min(scroll, max(0, lines.count - r.height))), in: r, into: &g)
    }

    static func tableRows(_ report: ComparisonReport, width: Int, groups: [AnswerGroup]?, repeats: Int) -> [StyledLine] {
        let w0 = 20
        let w = max(8, (width - w0 - 4) / 2)
        func cell(_ s: String, _ n: Int) -> String {
            let cut = s.count > n ? String(s.prefix(n - 1)) + "…" : s
            return cut + String(repeating: " ", count: max(0, n - cut.count))
        }
        var out = [StyledLine([StyledSpan(cell("", w0) + cell("stream", w) + " " + cell("non-stream", w), Style(.dim))])]
        for row in report.rows {
            let mark = row.same.map { $0 ? " ✔" : " ✘" } ?? ""
            let style = row.same == false ? Style(.warning, bold: true) : Style(.text)
            out.append(StyledLine([StyledSpan(cell(row.field, w0), Style(.dim)), StyledSpan(cell(row.stream, w) + " " + cell(row.nonStream, w), style),
                                   StyledSpan(mark, row.same == false ? Style(.error, bold: true) : Style(.success))]))
        }
        out += TextWrap.wrap(plain: report.verdict, width: width, style: Style(report.differences.isEmpty ? .success : .warning))
        if let groups {
            out.append(StyledLine([StyledSpan("\(repeats)× each mode, identical answers grouped:", Style(.dim))]))
            for (i, g) in groups.enumerated() {
                let preview = (g.toolCalls.isEmpty ? g.content : g.toolCalls.map(\.description).joined(separator: ", ")).replacingOccurrences(of: "\n", with: " ")
                out.append(StyledLine([StyledSpan("  #\(i + 1) stream \(g.streamRuns.count)/\(repeats) · non-stream \(g.nonStreamRuns.count)/\(repeats)  " + preview, Style(.text))]))
            }
        }
        return out
    }
}
