import Foundation

/// What `glmwb eval show` prints under the table for every cell that did not pass: each
/// assertion with its verdict and reason (the table has room for one), and the case's
/// `expected` beside the output, since "what did it say, and what should it have said?" is the
/// first question about a failure. Model text passes through `TerminalText.visible`.
public struct EvalFailureDetails: Sendable {
    /// Output and expected text longer than this many lines end in a note saying how much was
    /// left out (`glmwb logs show RUN` has it whole).
    public var maxLines: Int

    public init(maxLines: Int = 12) {
        self.maxLines = max(1, maxLines)
    }

    /// Empty when every cell passed (or was skipped: it has no output to show).
    public func text(_ r: EvalReport) -> String {
        var blocks: [String] = []
        for row in r.cases {
            for v in r.variants {
                guard let g = row.group(v.id) else { continue }
                for cell in g.runs where [.fail, .error, .unscored].contains(cell.status) {
                    blocks.append(block(row: row, variant: v, cell: cell, repeats: g.total))
                }
            }
        }
        guard !blocks.isEmpty else { return "" }
        return "\nCells that did not pass:\n\n" + blocks.joined(separator: "\n")
    }

    func block(row: EvalCaseRow, variant v: EvalVariant, cell: EvalCellResult, repeats: Int) -> String {
        var head = "\(cell.status.mark) \(TerminalText.visible(row.name)) · \(v.id): \(TerminalText.visible(v.label))"
        if repeats > 1 { head += " · repeat \(cell.repeatIndex + 1)/\(repeats)" }
        if let run = cell.runId { head += " · run \(run)" }
        var lines = [head]
        if let problem = cell.problem { lines.append("    \(cell.status.rawValue): \(EvalReason.oneLine(problem))") }
        for a in cell.assertions {
            let mark = a.verdict == .pass ? "✔" : a.verdict == .fail ? "✘" : "?"
            lines.append("    \(mark) \(a.type): \(a.reason)")
        }
        lines += labelled("expected", row.expected ?? "(none given)")
        lines += labelled("output", cell.output.isEmpty ? "(empty)" : cell.output)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `    expected: first line` then the rest indented under it, cut at `maxLines`. Both
    /// labels take the width of `expected:`, so the two texts start in the same column.
    func labelled(_ label: String, _ text: String) -> [String] {
        let all = TerminalText.visible(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let shown = all.prefix(maxLines)
        let head = "    " + (label + ":").padding(toLength: 10, withPad: " ", startingAt: 0)
        let pad = String(repeating: " ", count: head.count)
        var out = shown.enumerated().map { $0.offset == 0 ? head + $0.element : pad + $0.element }
        if all.count > shown.count { out.append(pad + "… \(all.count - shown.count) more lines") }
        return out
    }
}
