/// The end-of-run table: a row per case, a column per variant, each cell ✔ / ✘ / ! / ? / – with
/// the reason it did not pass, then summary rows per variant. With two variants the cases where
/// they disagree come first (marked ≠): they are what the user ran the comparison for.
///
/// Columns are sized by display width, which Core cannot measure (that needs the terminal's
/// wcwidth table, in WorkbenchUI): the caller passes `width` — the CLI gives `DisplayWidth.of`.
/// Everything printed that came from files or models is passed through `TerminalText.visible`.
public struct EvalTableWriter: Sendable {
    /// Columns of a string as the terminal draws it.
    public var width: @Sendable (String) -> Int
    /// The widest a variant column may be; longer reasons end in `…` (the JSON has them whole).
    public var maxColumnWidth: Int
    /// The widest the case-name column may be.
    public var maxNameWidth: Int

    public init(width: @escaping @Sendable (String) -> Int, maxColumnWidth: Int = 48, maxNameWidth: Int = 32) {
        self.width = width
        self.maxColumnWidth = max(4, maxColumnWidth)
        self.maxNameWidth = max(4, maxNameWidth)
    }

    public func table(_ r: EvalReport) -> String {
        let disagree = Set(r.disagreements)
        let ordered = r.variants.count == 2 ? r.cases.filter { disagree.contains($0.name) } + r.cases.filter { !disagree.contains($0.name) } : r.cases
        var rows: [[String]] = [["case"] + r.variants.map { "\($0.id): \($0.label)" }]
        for c in ordered {
            let name = (disagree.contains(c.name) ? "≠ " : "") + c.name
            rows.append([name] + r.variants.map { v in c.group(v.id).map(cell) ?? "–" })
        }
        let summaries = r.summaries
        let separatorIndex = rows.count
        rows.append(["passed"] + summaries.map { "\($0.passed)/\($0.total)" + ($0.flaky > 0 ? " (\($0.flaky) flaky)" : "") })
        rows.append(["failed · errors"] + summaries.map { "\($0.failed) · \($0.errors)" })
        if summaries.contains(where: { $0.unscored + $0.skipped > 0 }) {
            rows.append(["unscored · skipped"] + summaries.map { "\($0.unscored) · \($0.skipped)" })
        }
        rows.append(["cost"] + summaries.map(costText))
        rows.append(["tokens in/out"] + summaries.map { "\($0.promptTokens)/\($0.completionTokens)" })
        rows.append(["p50/p95 latency"] + summaries.map { s in
            guard let p50 = s.p50LatencyMs, let p95 = s.p95LatencyMs else { return "–" }
            return "\(ms(p50)) / \(ms(p95)) ms"
        })
        if !disagree.isEmpty {
            rows.append(["disagreements"] + r.variants.enumerated().map { $0.offset == 0 ? "\(disagree.count)" : "" })
        }

        let clean = rows.map { $0.map { TerminalText.visible($0).replacingOccurrences(of: "\n", with: "⏎") } }
        let columns = clean[0].count
        var widths = (0..<columns).map { col in clean.map { width($0[col]) }.max() ?? 0 }
        widths[0] = min(widths[0], maxNameWidth)
        for i in 1..<max(columns, 1) where i < widths.count { widths[i] = min(widths[i], maxColumnWidth) }
        var lines: [String] = []
        for (i, row) in clean.enumerated() {
            if i == 1 || i == separatorIndex { lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")) }
            let cells = row.enumerated().map { col, text in pad(fit(text, widths[col]), widths[col]) }
            lines.append(trimTrailing(cells.joined(separator: "  ")))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `✔`, `✘ 1/3 flaky · contains: does not contain “[1]”`, `! HTTP 429 …`, `? judge: …`, `– skipped: …`.
    func cell(_ g: EvalCellGroup) -> String {
        var s = g.status.mark
        if g.total > 1 { s += " \(g.passed)/\(g.total)" + (g.isFlaky ? " flaky" : "") }
        if !g.runs.isEmpty, g.runs.allSatisfy({ $0.cached != nil }) { s += " cached" }
        if let reason = g.reason { s += " " + reason }
        return s
    }

    func costText(_ s: EvalVariantSummary) -> String {
        var t = "$" + EvalDecimal.plain(s.costUSD)
        if s.judgeCostUSD > 0 { t += " (judge $\(EvalDecimal.plain(s.judgeCostUSD)))" }
        if s.unknownCostRuns > 0 { t += " + \(s.unknownCostRuns) unknown" }
        return t
    }

    func ms(_ v: Double) -> String { JSONValue.number(v.rounded()).canonicalText }

    /// `text` cut to `columns` display columns, ending in `…` when cut.
    func fit(_ text: String, _ columns: Int) -> String {
        guard width(text) > columns else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let w = width(String(ch))
            if used + w > columns - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    func pad(_ text: String, _ columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - width(text)))
    }

    func trimTrailing(_ s: String) -> String {
        var s = s
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
