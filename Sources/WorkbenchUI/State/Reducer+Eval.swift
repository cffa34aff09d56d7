import Foundation
import WorkbenchCore

/// The evaluation view (F7): open it on a template, fill it from the runtime's events, and its
/// keys — move, open a cell, diff a row, filter, search, add and remove columns, rerun (the
/// log answers what did not change), cancel, close.
extension AppState {
    /// F7 and the palette evaluate the template selected in the templates pane; `v` in a
    /// template's form evaluates that one.
    mutating func openEvaluation(_ chosen: PromptTemplate? = nil) -> [Effect] {
        guard let t = chosen ?? selectedTemplate else {
            statusMessage = "no template selected: pick one in Templates (F4), then F7 evaluates it over its cases"
            return []
        }
        guard !isRunning else {
            statusMessage = "a request is running (Esc cancels it)"
            return []
        }
        overlay = nil
        let mode: RunMode = (t.stream ?? stream) ? .stream : .nonStream
        evalView = EvalViewState(template: t.name, templatePath: t.path, columns: EvalColumnChoice(mode: mode))
        return startEvaluation(useCache: true)
    }

    /// Plans and runs the view's evaluation: cells whose exact request the log holds come from it
    /// at $0 unless `useCache` is off. The budget covers it: nothing starts once it is reached,
    /// and the run stops starting cells when what is left of it is spent.
    mutating func startEvaluation(useCache: Bool, confirmed: Bool = false) -> [Effect] {
        guard var v = evalView else { return [] }
        guard budgetAllowsSend() else { return [] }
        v.phase = .planning
        v.lastUseCache = useCache
        evalView = v
        let left = budgetUSD.map { max(0, $0 - totals.sessionUSD) }
        statusMessage =
            useCache
            ? "evaluating \(v.template): unchanged cells come from the log"
            : "evaluating \(v.template): every cell is sent"
        return [
            .runEval(
                EvalOrder(
                    template: v.template, columns: v.columns, useCache: useCache,
                    confirmAboveUSD: confirmed ? nil : evalConfirmUSD, maxCostUSD: left))
        ]
    }

    mutating func evalEvent(_ event: AppEvent) -> [Effect] {
        switch event {
        case .evalPlanned(let p):
            guard evalView != nil else { return [] }
            evalView?.planned(p)
            if p.estimate.needsConfirmation {
                evalView?.phase = .confirming
                statusMessage = "this evaluation would send " + p.estimate.line + ": y runs it, n does not"
            } else {
                evalView?.phase = .running
                evalView?.startedAt = now
            }
        case .evalCells(let id, let updates):
            guard evalView?.evalId == id else { return [] }
            evalView?.update(updates)
            for u in updates {
                guard case .done(let r) = u.progress else { continue }
                countEvalCost(r)
            }
        case .evalProgress(let id, let p):
            guard evalView?.evalId == id else { return [] }
            evalView?.progress = p
        case .evalFinished(let id, let interrupted, let logFailure):
            guard let v = evalView, v.evalId == id else { return [] }
            evalView?.phase = .finished(interrupted: interrupted)
            let done = zip(v.variants, v.summaries).map { "\($0.label) \($1.passed)/\($1.total)" }.joined(
                separator: " · ")
            statusMessage =
                (interrupted ? "evaluation cancelled: finished cells stay · " : "evaluation done · ")
                + "passed \(done) · $\(EvalDecimal.plain(v.summaries.reduce(Decimal(0)) { $0 + $1.costUSD }))"
            if let logFailure {
                logWriteFailure = logFailure
                statusMessage = logFailure
            }
        case .evalFailed(let why):
            guard evalView != nil else { return [] }
            evalView?.phase = .failed(why)
            statusMessage = "evaluation not run: " + why
        case .evalRunsLoaded(let runs):
            for r in runs { evalView?.detail?.loaded[r.runId] = r }
        default: break
        }
        return []
    }

    /// What a finished cell cost joins the session's spending (a cached one cost nothing now;
    /// an unknown price is counted as unknown, never as $0).
    private mutating func countEvalCost(_ r: EvalCellResult) {
        let before = totals.sessionUSD
        if r.cached == nil {
            if let usd = r.costUSD {
                totals.sessionUSD += usd
            } else if r.runId != nil, r.status != .error {
                totals.unknownRuns += 1
            }
            if let u = r.usage {
                totals.promptTokens = totals.promptTokens.addingSaturated(u.promptTokens)
                totals.completionTokens = totals.completionTokens.addingSaturated(u.completionTokens)
            }
        }
        totals.sessionUSD += r.judgeCostUSD
        if let b = budgetUSD, b > 0, before < b * Decimal(string: "0.8")!,
            totals.sessionUSD >= b * Decimal(string: "0.8")!
        {
            budgetWarned = true
        }
    }

    // MARK: Keys

    mutating func handleEvalKey(_ key: Key) -> [Effect] {
        guard var v = evalView else { return [] }
        // Quitting, help, the palette and suspending work everywhere.
        if let a = Action.byKey[key], [.quit, .help, .palette, .suspend, .budget, .overBudgetOnce].contains(a) {
            return perform(a)
        }
        if v.searching {
            switch key {
            case .char(let c): v.search.append(c)
            case .paste(let s): v.search += s.filter { !$0.isNewline }
            case .backspace: if !v.search.isEmpty { v.search.removeLast() }
            case .ctrl("u"): v.search = ""
            case .enter: v.searching = false
            case .escape:
                v.search = ""
                v.searching = false
            default: break
            }
            v.refreshRows()
            evalView = v
            return []
        }
        if v.detail != nil { return handleEvalDetailKey(key, &v) }
        if v.phase == .confirming {
            switch key {
            case .char("y"), .enter: return startEvaluation(useCache: v.lastUseCache, confirmed: true)
            case .char("n"), .escape:
                evalView?.phase = .failed(
                    "not sent: the estimate is above eval_confirm_usd ($\(EvalDecimal.plain(evalConfirmUSD))); r asks again"
                )
                statusMessage = "nothing sent"
                return []
            default: return []
            }
        }
        let page = max(1, EvalLayout.visibleRowCount(height: height) - 1)
        switch key {
        case .escape:
            if v.isRunning {
                statusMessage = "cancelling the evaluation: finished cells stay"
                return [.cancelEval]
            }
            evalView = nil
            statusMessage = nil
            return []
        case .up: v.selectedRow = max(0, v.selectedRow - 1)
        case .down: v.selectedRow = min(max(0, v.visibleRows.count - 1), v.selectedRow + 1)
        case .pageUp: v.selectedRow = max(0, v.selectedRow - page)
        case .pageDown: v.selectedRow = min(max(0, v.visibleRows.count - 1), v.selectedRow + page)
        case .home: v.selectedRow = 0
        case .end: v.selectedRow = max(0, v.visibleRows.count - 1)
        case .left: v.selectedColumn = max(0, v.selectedColumn - 1)
        case .right: v.selectedColumn = min(max(0, v.variants.count - 1), v.selectedColumn + 1)
        case .char("f"):
            v.filter = v.filter.next
            v.refreshRows()
            statusMessage = "showing \(v.filter.rawValue) cases (\(v.visibleRows.count) of \(v.rows.count))"
        case .char("/"):
            v.searching = true
        case .enter:
            guard let row = v.selectedRowIndex, v.cell(row: row, column: v.selectedColumn) != nil else { break }
            evalView = v
            return openEvalCell(row: row, column: v.selectedColumn)
        case .char("d"):
            guard let row = v.selectedRowIndex else { break }
            guard v.variants.count > 1 else {
                statusMessage = "one column: add another (a HEAD, m model, s mode) to diff two outputs"
                break
            }
            let other = v.selectedColumn == 0 ? 1 : 0
            let columns = [other, v.selectedColumn].sorted()
            v.detail = EvalDetail(kind: .diff(row: row, columns: columns))
            evalView = v
            return loadRuns(columns.compactMap { v.cell(row: row, column: $0)?.result?.runId })
        case .char("r"), .char("R"):
            guard !v.isRunning else {
                statusMessage = "the evaluation is running (Esc cancels it)"
                break
            }
            evalView = v
            return startEvaluation(useCache: key == .char("r"))
        case .char("a"), .char("s"), .char("x"):
            guard !v.isRunning else {
                statusMessage = "the evaluation is running (Esc cancels it, then change the columns)"
                break
            }
            guard changeColumns(key, &v) else { break }
            evalView = v
            return startEvaluation(useCache: true)
        case .char("m"):
            guard !v.isRunning else {
                statusMessage = "the evaluation is running (Esc cancels it, then change the columns)"
                break
            }
            overlay = .textPrompt(TextPrompt(purpose: .evalModel, title: "Add a column: the same template on model…"))
        case .char("e"):
            evalView = v
            guard let t = templates.first(where: { $0.name == v.template }) else {
                statusMessage = "template \(v.template) is not loaded"
                return []
            }
            return editTemplateFile(t)
        default: break
        }
        evalView = v
        keepEvalSelectionVisible()
        return []
    }

    /// `a` toggles the HEAD column, `s` the other streaming mode; `x` removes what makes the
    /// selected column an added one. False when nothing changed.
    private mutating func changeColumns(_ key: Key, _ v: inout EvalViewState) -> Bool {
        switch key {
        case .char("a"):
            v.columns.againstHEAD.toggle()
            statusMessage =
                v.columns.againstHEAD ? "added: the template as committed at HEAD" : "removed the HEAD column"
        case .char("s"):
            if v.columns.modes.count > 1 {
                v.columns.modes.removeLast()
                statusMessage =
                    "removed the \(RunMode.allCases.first { !v.columns.modes.contains($0) }?.label ?? "") column"
            } else {
                let other: RunMode = v.columns.modes[0] == .stream ? .nonStream : .stream
                v.columns.modes.append(other)
                statusMessage = "added: every column also \(other.label)"
            }
        default:
            guard v.variants.indices.contains(v.selectedColumn) else { return false }
            let variant = v.variants[v.selectedColumn]
            if case .git = variant.source, v.columns.againstHEAD {
                v.columns.againstHEAD = false
            } else if let m = variant.model, let i = v.columns.extraModels.firstIndex(of: m) {
                v.columns.extraModels.remove(at: i)
            } else if v.columns.modes.count > 1, let mode = variant.mode, mode == v.columns.modes[1] {
                v.columns.modes.removeLast()
            } else {
                statusMessage = "the template on disk stays; x removes an added column (HEAD, a model, a mode)"
                return false
            }
            statusMessage = "removed the column \(variant.label)"
            v.selectedColumn = 0
        }
        return true
    }

    /// `m` typed a model: a column of the same template on it.
    mutating func addEvalModel(_ text: String) -> [Effect] {
        let model = text.trimmingCharacters(in: .whitespaces)
        guard var v = evalView, !model.isEmpty else { return [] }
        guard !v.columns.extraModels.contains(model) else {
            statusMessage = "\(model) is already a column"
            return []
        }
        v.columns.extraModels.append(model)
        evalView = v
        return startEvaluation(useCache: true)
    }

    private mutating func openEvalCell(row: Int, column: Int) -> [Effect] {
        evalView?.detail = EvalDetail(kind: .cell(row: row, column: column))
        let result = evalView?.cell(row: row, column: column)?.result
        return loadRuns([result?.runId].compactMap { $0 })
    }

    private func loadRuns(_ ids: [String]) -> [Effect] {
        ids.isEmpty ? [] : [.loadEvalRuns(ids)]
    }

    /// An opened cell or diff: scroll it, `[` `]` step to the neighbour cells, Esc back.
    private mutating func handleEvalDetailKey(_ key: Key, _ v: inout EvalViewState) -> [Effect] {
        guard var d = v.detail else { return [] }
        switch key {
        case .escape:
            v.detail = nil
            evalView = v
            return []
        case .up: d.scroll = max(0, d.scroll - 1)
        case .down: d.scroll += 1
        case .pageUp: d.scroll = max(0, d.scroll - max(1, height - 4))
        case .pageDown: d.scroll += max(1, height - 4)
        case .home: d.scroll = 0
        case .char("["), .char("]"):
            guard case .cell(let row, let column) = d.kind, let at = v.visibleRows.firstIndex(of: row) else { break }
            let n = max(1, v.variants.count)
            let flat = at * n + column + (key == .char("]") ? 1 : -1)
            guard flat >= 0, flat < v.visibleRows.count * n else { break }
            v.selectedRow = flat / n
            v.selectedColumn = flat % n
            evalView = v
            return openEvalCell(row: v.visibleRows[flat / n], column: flat % n)
        default: break
        }
        v.detail = d
        evalView = v
        return []
    }

    /// The selected row stays between the first and last rows drawn.
    private mutating func keepEvalSelectionVisible() {
        guard var v = evalView else { return }
        let rows = max(1, EvalLayout.visibleRowCount(height: height))
        if v.selectedRow < v.top { v.top = v.selectedRow }
        if v.selectedRow >= v.top + rows { v.top = v.selectedRow - rows + 1 }
        v.top = max(0, min(v.top, max(0, v.visibleRows.count - rows)))
        evalView = v
    }

    /// The wheel over the matrix moves the rows drawn (and the selection with them).
    mutating func scrollEvalView(by delta: Int) {
        guard var v = evalView else { return }
        if var d = v.detail {
            d.scroll = max(0, d.scroll + delta)
            v.detail = d
        } else {
            v.selectedRow = max(0, min(max(0, v.visibleRows.count - 1), v.selectedRow + delta))
        }
        evalView = v
        keepEvalSelectionVisible()
    }
}
