import Foundation
import Testing

@testable import WorkbenchCore
@testable import WorkbenchUI

/// The evaluation view's reducer: opening it orders a run, events fill it, keys filter, search,
/// open cells, change columns, rerun and cancel — all without a runtime.
@Suite("Evaluation view")
struct EvalViewTests {
    static let variants = [
        EvalVariant(
            id: "A", label: "on disk", source: .file(path: "/p/qa.md"), provider: "sim", model: "glm-4-32b-0414-128k",
            mode: .stream),
        EvalVariant(
            id: "B", label: "qa@HEAD", source: .git(rev: "HEAD", sha: "abc"), provider: "sim",
            model: "glm-4-32b-0414-128k", mode: .stream),
    ]

    static func planned(
        evalId: String = "ev1", cases: [String] = ["warranty", "accessories", "claims"], confirm: Bool = false,
        variants: [EvalVariant] = variants
    ) -> EvalPlanned {
        EvalPlanned(
            evalId: evalId, templatePath: "/p/qa.md", casesPath: "/p/qa.cases.yaml", variants: variants,
            rows: cases.map { EvalRowInfo(name: $0, vars: ["question": "about \($0)"], expected: "Two years [1].") },
            estimate: EvalEstimate(
                cells: cases.count * variants.count, toSend: cases.count * variants.count,
                promptUSD: Decimal(string: "0.25"), needsConfirmation: confirm))
    }

    static func result(
        _ name: String, _ variant: String, _ status: EvalCellStatus, output: String = "Two years [1].\nMore text.",
        cost: String = "0.001", cached: Bool = false
    ) -> EvalCellResult {
        let assertions = [
            EvalAssertionResult(
                type: "contains", verdict: status == .pass ? .pass : .fail,
                reason: status == .pass ? "contains “[1]”" : "does not contain “[1]”")
        ]
        return EvalCellResult(
            caseName: name, variantId: variant, runId: "run-\(name)-\(variant)", status: status,
            cached: cached
                ? EvalCacheOrigin(runId: "old-\(name)", originalCostUSD: Decimal(string: cost), originalLatencyMs: 90)
                : nil,
            output: output, assertions: status == .error ? [] : assertions, costUSD: cached ? 0 : Decimal(string: cost),
            latencyMs: cached ? nil : 120,
            usage: Usage(promptTokens: 100, completionTokens: 20),
            problem: status == .error ? "API error 1113: insufficient balance" : nil)
    }

    /// A view opened on qa/knowledge-base and planned with two columns.
    func opened() -> AppState {
        var s = makeState()
        s.templateSelection = 1
        let effects = key(&s, .function(7))
        #expect(effects.count == 1)
        _ = s.reduce(.evalPlanned(Self.planned()))
        return s
    }

    func finish(_ s: inout AppState, _ cells: [(Int, Int, EvalCellStatus)]) {
        let names = s.evalView!.rows.map(\.name)
        let updates = cells.map { r, c, st in
            EvalCellUpdate(row: r, column: c, progress: .finished(Self.result(names[r], Self.variants[c].id, st)))
        }
        _ = s.reduce(.evalCells(evalId: "ev1", updates))
    }

    @Test(
        "F7 orders a run of the selected template (the log may answer, the confirm threshold and the budget left go with it); the plan lays out queued cells"
    )
    func opens() throws {
        var s = makeState()
        s.templateSelection = 1
        s.budgetUSD = Decimal(string: "1.00")
        s.totals.sessionUSD = Decimal(string: "0.40")!
        let effects = key(&s, .function(7))
        guard case .runEval(let order)? = effects.first else { Issue.record("no run: \(effects)"); return }
        #expect(order.template == "qa/knowledge-base")
        #expect(order.useCache)
        #expect(order.confirmAboveUSD == Decimal(string: "0.05"))
        #expect(order.maxCostUSD == Decimal(string: "0.60"))
        #expect(order.columns.modes == [.stream])
        #expect(s.evalView?.phase == .planning)
        #expect(s.isRunning, "the view running blocks other sends")
        _ = s.reduce(.evalPlanned(Self.planned()))
        let v = try #require(s.evalView)
        #expect(v.phase == .running)
        #expect(v.cells == Array(repeating: .queued, count: 6))
        #expect(v.visibleRows == [0, 1, 2])
    }

    @Test("no template selected: F7 says what to do and opens nothing")
    func noTemplate() {
        var s = makeState()
        s.templates = []
        #expect(key(&s, .function(7)).isEmpty)
        #expect(s.evalView == nil)
        #expect(s.statusMessage?.contains("F4") == true)
    }

    @Test(
        "cells fill live: running, then done with only the output's first line kept; summaries count them; costs join the session's"
    )
    func fills() throws {
        var s = opened()
        _ = s.reduce(.evalCells(evalId: "ev1", [EvalCellUpdate(row: 0, column: 0, progress: .running)]))
        #expect(s.evalView?.cell(row: 0, column: 0) == .running)
        finish(&s, [(0, 0, .pass), (0, 1, .fail), (1, 0, .pass)])
        let v = try #require(s.evalView)
        #expect(
            v.cell(row: 0, column: 0)?.result?.output == "Two years [1].", "the rest of the output stays in the log")
        #expect(v.summaries[0].passed == 2 && v.summaries[1].failed == 1)
        #expect(v.summaries[0].costUSD == Decimal(string: "0.002"))
        #expect(s.totals.sessionUSD == Decimal(string: "0.003"))
        #expect(v.disagrees(row: 0) && !v.disagrees(row: 1))
        // Events of another evaluation (one closed and replaced) change nothing.
        let before = s.evalView
        _ = s.reduce(.evalCells(evalId: "other", [EvalCellUpdate(row: 2, column: 0, progress: .running)]))
        #expect(s.evalView == before)
        _ = s.reduce(.evalFinished(evalId: "ev1", interrupted: false, logFailure: nil))
        #expect(s.evalView?.phase == .finished(interrupted: false))
        #expect(!s.isRunning)
        #expect(s.statusMessage?.contains("evaluation done") == true)
    }

    @Test("a cached cell costs nothing now; an unknown price is counted as unknown, never $0")
    func cachedCosts() {
        var s = opened()
        var unknown = Self.result("claims", "A", .pass)
        unknown.costUSD = nil
        _ = s.reduce(
            .evalCells(
                evalId: "ev1",
                [
                    EvalCellUpdate(
                        row: 0, column: 0, progress: .finished(Self.result("warranty", "A", .pass, cached: true))),
                    EvalCellUpdate(row: 2, column: 0, progress: .finished(unknown)),
                ]))
        #expect(s.totals.sessionUSD == 0)
        #expect(s.totals.unknownRuns == 1)
        #expect(s.evalView?.summaries[0].cachedRuns == 1)
    }

    @Test(
        "f cycles all → failing → disagreeing → errors; / searches names and variables; the selection follows its case")
    func filters() throws {
        var s = opened()
        finish(&s, [(0, 0, .pass), (0, 1, .fail), (1, 0, .pass), (1, 1, .pass), (2, 0, .error), (2, 1, .error)])
        _ = s.reduce(.evalFinished(evalId: "ev1", interrupted: false, logFailure: nil))
        _ = key(&s, .down)
        _ = key(&s, .down)
        #expect(s.evalView?.selectedRowIndex == 2)
        _ = key(&s, .char("f"))
        #expect(s.evalView?.filter == .failing)
        #expect(s.evalView?.visibleRows == [0])
        _ = key(&s, .char("f"))
        #expect(s.evalView?.visibleRows == [0], "only warranty disagrees")
        _ = key(&s, .char("f"))
        #expect(s.evalView?.visibleRows == [2])
        #expect(s.evalView?.selectedRowIndex == 2, "claims is still selected")
        _ = key(&s, .char("f"))
        #expect(s.evalView?.filter == .all)
        _ = key(&s, .char("/"))
        type(&s, "about acc")
        #expect(s.evalView?.visibleRows == [1], "search reads the variables too")
        _ = key(&s, .enter)
        #expect(s.evalView?.searching == false)
        #expect(s.evalView?.search == "about acc")
        _ = key(&s, .char("/"))
        _ = key(&s, .escape)
        #expect(s.evalView?.visibleRows == [0, 1, 2], "Esc in the search clears it")
        #expect(s.evalView != nil, "and does not close the view")
    }

    @Test("Enter opens a cell and asks the log for its run; [ ] step to the neighbours; Esc goes back to the matrix")
    func opensCell() throws {
        var s = opened()
        finish(&s, [(0, 0, .pass), (0, 1, .fail), (1, 0, .pass)])
        _ = key(&s, .right)
        let effects = key(&s, .enter)
        #expect(effects == [.loadEvalRuns(["run-warranty-B"])])
        #expect(s.evalView?.detail?.kind == .cell(row: 0, column: 1))
        _ = s.reduce(
            .evalRunsLoaded([
                EvalRunContent(
                    runId: "run-warranty-B", messages: [.init(role: "user", text: "Question?")],
                    output: "Two years [1].\nMore text.")
            ]))
        #expect(s.evalView?.detail?.loaded["run-warranty-B"]?.output.contains("More text.") == true)
        #expect(key(&s, .char("]")) == [.loadEvalRuns(["run-accessories-A"])])
        #expect(s.evalView?.detail?.kind == .cell(row: 1, column: 0))
        #expect(key(&s, .char("[")) == [.loadEvalRuns(["run-warranty-B"])])
        _ = key(&s, .escape)
        #expect(s.evalView?.detail == nil)
        #expect(s.evalView != nil)
    }

    @Test("d diffs the row's outputs in two columns; with one column it says how to add one")
    func diff() {
        var s = opened()
        finish(&s, [(0, 0, .pass), (0, 1, .fail)])
        #expect(key(&s, .char("d")) == [.loadEvalRuns(["run-warranty-A", "run-warranty-B"])])
        #expect(s.evalView?.detail?.kind == .diff(row: 0, columns: [0, 1]))
        var one = makeState()
        one.templateSelection = 1
        _ = key(&one, .function(7))
        _ = one.reduce(.evalPlanned(Self.planned(variants: [Self.variants[0]])))
        #expect(key(&one, .char("d")).isEmpty)
        #expect(one.statusMessage?.contains("add another") == true)
    }

    @Test(
        "r reruns with the cache, R without; neither while running; Esc cancels a running evaluation and then closes the view"
    )
    func rerunAndCancel() {
        var s = opened()
        #expect(key(&s, .char("r")).isEmpty, "running: r waits")
        #expect(key(&s, .escape) == [.cancelEval])
        #expect(s.evalView != nil, "the first Esc cancels, the view stays")
        _ = s.reduce(.evalFinished(evalId: "ev1", interrupted: true, logFailure: nil))
        #expect(s.evalView?.phase == .finished(interrupted: true))
        guard case .runEval(let again)? = key(&s, .char("r")).first else { Issue.record("no rerun"); return }
        #expect(again.useCache)
        _ = s.reduce(.evalFinished(evalId: "ev1", interrupted: false, logFailure: nil))
        guard case .runEval(let all)? = key(&s, .char("R")).first else { Issue.record("no rerun"); return }
        #expect(!all.useCache)
        _ = s.reduce(.evalPlanned(Self.planned(evalId: "ev2")))
        _ = s.reduce(.evalFinished(evalId: "ev2", interrupted: false, logFailure: nil))
        #expect(key(&s, .escape).isEmpty)
        #expect(s.evalView == nil)
    }

    @Test("a, s and m add columns and rerun; x removes the selected added column; the file on disk cannot be removed")
    func columns() throws {
        var s = opened()
        _ = s.reduce(.evalFinished(evalId: "ev1", interrupted: false, logFailure: nil))
        guard case .runEval(let withHead)? = key(&s, .char("a")).first else { Issue.record("no run"); return }
        #expect(withHead.columns.againstHEAD)
        _ = s.reduce(.evalPlanned(Self.planned(evalId: "ev2")))
        _ = s.reduce(.evalFinished(evalId: "ev2", interrupted: false, logFailure: nil))
        guard case .runEval(let withMode)? = key(&s, .char("s")).first else { Issue.record("no run"); return }
        #expect(withMode.columns.modes == [.stream, .nonStream])
        _ = s.reduce(.evalFinished(evalId: "ev2", interrupted: false, logFailure: nil))
        _ = s.reduce(.evalPlanned(Self.planned(evalId: "ev3")))
        _ = s.reduce(.evalFinished(evalId: "ev3", interrupted: false, logFailure: nil))
        _ = key(&s, .char("m"))
        type(&s, "glm-4.5")
        guard case .runEval(let withModel)? = key(&s, .enter).first else { Issue.record("no run"); return }
        #expect(withModel.columns.extraModels == ["glm-4.5"])
        _ = s.reduce(.evalPlanned(Self.planned(evalId: "ev4")))
        _ = s.reduce(.evalFinished(evalId: "ev4", interrupted: false, logFailure: nil))
        // Column 0 is the file on disk: x keeps it.
        #expect(key(&s, .char("x")).isEmpty)
        _ = key(&s, .right)
        guard case .runEval(let noHead)? = key(&s, .char("x")).first else { Issue.record("no run"); return }
        #expect(!noHead.columns.againstHEAD, "column 1 is HEAD")
        #expect(noHead.columns.extraModels == ["glm-4.5"])
    }

    @Test("above eval_confirm_usd the view asks first: n sends nothing, y runs it confirmed")
    func confirms() {
        var s = makeState()
        s.templateSelection = 1
        _ = key(&s, .function(7))
        _ = s.reduce(.evalPlanned(Self.planned(confirm: true)))
        #expect(s.evalView?.phase == .confirming)
        #expect(s.statusMessage?.contains("$0.25") == true)
        #expect(key(&s, .char("n")).isEmpty)
        if case .failed(let why)? = s.evalView?.phase {
            #expect(why.contains("not sent"))
        } else {
            Issue.record("not refused")
        }
        _ = s.reduce(.evalPlanned(Self.planned(evalId: "ev2", confirm: true)))
        guard case .runEval(let order)? = key(&s, .char("y")).first else { Issue.record("no run"); return }
        #expect(order.confirmAboveUSD == nil)
    }

    @Test("the budget covers evaluations: reached, F7 sends nothing and says why")
    func budget() {
        var s = makeState()
        s.templateSelection = 1
        s.budgetUSD = Decimal(string: "0.10")
        s.totals.sessionUSD = Decimal(string: "0.10")!
        #expect(key(&s, .function(7)).isEmpty)
        #expect(s.statusMessage?.contains("budget reached") == true)
    }

    @Test("an edit of the template on disk marks the view: r sends what changed")
    func templateChanged() {
        var s = opened()
        _ = s.reduce(.evalFinished(evalId: "ev1", interrupted: false, logFailure: nil))
        var edited = s.templates
        edited[1].body += "\nAnswer in English."
        _ = s.reduce(.templatesLoaded(edited, errors: []))
        #expect(s.evalView?.templateChanged == true)
        #expect(s.statusMessage?.contains("r reruns") == true)
    }

    @Test("10,000 cases: moving, paging and filtering keep the selection on screen; only visible rows are drawn")
    func manyCases() throws {
        var s = makeState(80, 24)
        s.templateSelection = 1
        _ = key(&s, .function(7))
        let names = (0..<10_000).map { "case-\($0)" }
        _ = s.reduce(.evalPlanned(Self.planned(cases: names)))
        _ = key(&s, .end)
        var v = try #require(s.evalView)
        #expect(v.selectedRowIndex == 9_999)
        #expect(v.top + EvalLayout.visibleRowCount(height: 24) - 1 == 9_999)
        let g = Screen.render(s)
        #expect(g.text.contains("case-9999"))
        #expect(!g.text.contains("case-0 "))
        _ = key(&s, .pageUp)
        v = try #require(s.evalView)
        #expect(v.selectedRow < 9_999 && v.selectedRow >= v.top)
        // The filter over every row.
        let updates = (0..<10_000).map {
            EvalCellUpdate(
                row: $0, column: 0, progress: .finished(Self.result(names[$0], "A", $0 % 100 == 0 ? .fail : .pass)))
        }
        _ = s.reduce(.evalCells(evalId: "ev1", updates))
        _ = key(&s, .char("f"))
        #expect(s.evalView?.visibleRows.count == 100)
    }

    @Test("server text in a cell or a detail never reaches the terminal as control sequences")
    func controlSequences() {
        var s = opened()
        let hostile = Self.result("warranty", "A", .fail, output: "\u{1B}]52;c;AAAA\u{07}pwned\u{1B}[2J")
        _ = s.reduce(.evalCells(evalId: "ev1", [EvalCellUpdate(row: 0, column: 0, progress: .finished(hostile))]))
        var g = Screen.render(s)
        #expect(!g.text.contains("\u{1B}"))
        _ = key(&s, .enter)
        _ = s.reduce(
            .evalRunsLoaded([
                EvalRunContent(
                    runId: "run-warranty-A", messages: [.init(role: "user", text: "\u{1B}[31mred")],
                    output: "\u{1B}]0;title\u{07}")
            ]))
        g = Screen.render(s)
        #expect(!g.text.contains("\u{1B}") && !g.text.contains("\u{07}"))
        #expect(g.text.contains("␛"))
    }
}
