import Foundation
import WorkbenchCore

/// An opened evaluation cell — the messages as sent, the whole output, the expected answer as a
/// word diff against it, every assertion with its reason, tool calls, usage, cost, run id — or a
/// row's outputs in two columns as one word diff. Text from the log is read when the cell is
/// opened (`Effect.loadEvalRuns`), never kept for the whole matrix.
enum EvalDetailView {
    static func render(_ s: AppState, _ v: EvalViewState, _ d: EvalDetail, in area: Rect, into g: inout Grid) {
        let width = max(1, area.width - 1)
        let lines = self.lines(v, d, width: width)
        let top = min(d.scroll, max(0, lines.count - area.height))
        let body = Rect(x: area.x, y: area.y, width: width, height: area.height)
        LineList.draw(lines.dropFirst(top), in: body, into: &g)
        LineList.scrollbar(total: lines.count, top: top, in: body, into: &g)
    }

    /// Every line of the detail, wrapped to `width`.
    static func lines(_ v: EvalViewState, _ d: EvalDetail, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        func add(_ spans: [StyledSpan]) {
            for paragraph in paragraphs(spans) {
                out += paragraph.isEmpty ? [StyledLine([])] : TextWrap.wrap(paragraph, width: width)
            }
        }
        func heading(_ text: String) {
            out.append(StyledLine([]))
            add([StyledSpan("── " + text + " ──", Style(.heading, bold: true))])
        }
        switch d.kind {
        case .cell(let row, let column):
            guard v.rows.indices.contains(row), v.variants.indices.contains(column),
                let cell = v.cell(row: row, column: column)
            else { return [] }
            let info = v.rows[row]
            let result = cell.result
            let (mark, role, _, _) = EvalView.describe(cell)
            var head = "\(info.name) · \(v.variants[column].label) · \(mark) "
            head += result?.status.rawValue ?? (cell == .running ? "running" : "queued")
            if let id = result?.runId { head += " · run \(id)" }
            add([StyledSpan(head, Style(role, bold: true))])
            add([StyledSpan("Esc back · [ ] neighbour cells · ↑↓ PgUp PgDn scroll", Style(.dim))])
            if let c = result?.cached {
                add([
                    StyledSpan(
                        "cached: answered from run \(c.runId) at $0 now (then \(c.originalCostUSD.map { "$" + EvalDecimal.plain($0) } ?? "cost unknown")"
                            + (c.originalLatencyMs.map { ", \(RunSummary.formatMs($0))" } ?? "") + ")", Style(.dim))
                ])
            }
            if let p = result?.problem, result?.status != .pass {
                add([StyledSpan("problem: " + visible(p), Style(.warning))])
            }
            if let miss = result?.cacheMiss { add([StyledSpan("sent, not cached: " + visible(miss), Style(.dim))]) }
            if !info.vars.isEmpty {
                heading("Variables")
                for k in info.vars.keys.sorted() {
                    add([StyledSpan(k + ": ", Style(.accent)), StyledSpan(visible(info.vars[k] ?? ""))])
                }
            }
            let loaded = result?.runId.flatMap { d.loaded[$0] }
            heading("Sent")
            if result?.runId == nil {
                add([StyledSpan("nothing was sent for this cell", Style(.dim))])
            } else if let loaded {
                if let p = loaded.problem { add([StyledSpan(visible(p), Style(.warning))]) }
                for m in loaded.messages {
                    add([
                        StyledSpan(m.role + ": ", Style(m.role == "user" ? .user : .system, bold: true)),
                        StyledSpan(visible(m.text)),
                    ])
                }
            } else {
                add([StyledSpan("reading the log…", Style(.dim))])
            }
            let output = loaded?.output ?? result?.output ?? ""
            if let reasoning = loaded?.reasoning, !reasoning.isEmpty {
                heading("Thinking")
                add([StyledSpan(visible(reasoning), Style(.dim, italic: true))])
            }
            heading("Output")
            add([StyledSpan(output.isEmpty ? "(empty)" : visible(output), Style(output.isEmpty ? .dim : .assistant))])
            if let expected = info.expected {
                heading("Expected, word diff against the output: [-only expected-] {+only in the output+}")
                add(diffSpans(from: expected, to: output))
            }
            if let r = result {
                heading("Assertions")
                if r.assertions.isEmpty { add([StyledSpan("none ran", Style(.dim))]) }
                for a in r.assertions {
                    let (m, role): (String, Role) =
                        a.verdict == .pass ? ("✔", .success) : (a.verdict == .fail ? ("✘", .error) : ("?", .warning))
                    var line = [
                        StyledSpan(m + " " + a.type, Style(role, bold: true)), StyledSpan(" " + visible(a.reason)),
                    ]
                    if let c = a.judgeCostUSD {
                        line.append(StyledSpan(" (judge $\(EvalDecimal.plain(c)))", Style(.dim)))
                    }
                    add(line)
                }
                if !r.toolCalls.isEmpty {
                    heading("Tool calls")
                    for c in r.toolCalls {
                        add([StyledSpan(c.name, Style(.tool, bold: true)), StyledSpan(" " + visible(c.arguments))])
                    }
                }
                heading("Usage")
                var figures: [String] = []
                if let u = r.usage { figures.append("\(u.promptTokens) in · \(u.completionTokens) out") }
                figures.append(r.costUSD.map { "$" + EvalDecimal.plain($0) } ?? "cost unknown")
                if let ms = r.latencyMs { figures.append(RunSummary.formatMs(ms)) }
                if let f = r.finishReason { figures.append("finish \(f)") }
                add([StyledSpan(figures.joined(separator: " · "))])
            }
        case .diff(let row, let columns):
            guard v.rows.indices.contains(row), columns.count == 2, columns.allSatisfy(v.variants.indices.contains)
            else { return [] }
            let a = columns[0]
            let b = columns[1]
            add([StyledSpan("\(v.rows[row].name) · word diff of the outputs", Style(.title, bold: true))])
            add([
                StyledSpan(
                    "[-only in \(v.variants[a].label)-] {+only in \(v.variants[b].label)+} · Esc back", Style(.dim))
            ])
            func text(_ c: Int) -> String? {
                guard let r = v.cell(row: row, column: c)?.result else { return nil }
                return r.runId.flatMap { d.loaded[$0]?.output } ?? (r.runId == nil ? r.output : nil)
            }
            guard let ta = text(a), let tb = text(b) else {
                let ready = [a, b].allSatisfy { v.cell(row: row, column: $0)?.result != nil }
                add([StyledSpan(ready ? "reading the log…" : "both cells must finish first", Style(.dim))])
                return out
            }
            out.append(StyledLine([]))
            if ta == tb { add([StyledSpan("the two outputs are identical", Style(.success))]) }
            add(diffSpans(from: ta, to: tb))
        }
        return out
    }

    /// A word diff as spans: a run of removed words `[-like this-]`, of added ones
    /// `{+like this+}` — marked by brackets as well as colour, so it reads under NO_COLOR.
    static func diffSpans(from a: String, to b: String) -> [StyledSpan] {
        var out: [StyledSpan] = []
        var kind = 0 // 0 same, 1 removed, 2 added
        var text = ""
        func flush() {
            guard !text.isEmpty else { return }
            let body = text.trimmingCharacters(in: .whitespaces)
            let tail = String(text.reversed().prefix { $0 == " " })
            switch kind {
            case 1: out.append(StyledSpan("[-" + body + "-]" + tail, Style(.diffRemove, bold: true)))
            case 2: out.append(StyledSpan("{+" + body + "+}" + tail, Style(.diffAdd, bold: true)))
            default: out.append(StyledSpan(text, Style(.text)))
            }
            text = ""
        }
        for op in WordDiff.diff(from: visible(a), to: visible(b)) {
            let (k, t): (Int, String)
            switch op {
            case .same(let w): (k, t) = (0, w)
            case .removed(let w): (k, t) = (1, w)
            case .added(let w): (k, t) = (2, w)
            }
            if k != kind {
                flush()
                kind = k
            }
            text += t
        }
        flush()
        return out
    }

    /// Text from a server or a file, with control characters shown rather than acted on (line
    /// breaks and tabs kept).
    static func visible(_ s: String) -> String { TerminalText.visible(s) }

    /// Spans split at line breaks into paragraphs (each wrapped on its own).
    static func paragraphs(_ spans: [StyledSpan]) -> [[StyledSpan]] {
        var out: [[StyledSpan]] = [[]]
        for span in spans {
            let parts = span.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i > 0 { out.append([]) }
                if !p.isEmpty {
                    out[out.count - 1].append(
                        StyledSpan(String(p).replacingOccurrences(of: "\t", with: "    "), span.style))
                }
            }
        }
        return out
    }
}
