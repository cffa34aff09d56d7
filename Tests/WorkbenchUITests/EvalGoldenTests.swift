import Foundation
import Testing

@testable import WorkbenchCore
@testable import WorkbenchUI

/// The evaluation view's screens, recorded: running, finished, filtered, a cell opened, a row's
/// diff, and the small sizes (one column at a time with the switcher below 100 columns).
@Suite("Evaluation view screens")
struct EvalGoldenTests {
    func state(_ w: Int, _ h: Int) -> AppState {
        var s = makeState(w, h)
        s.templateSelection = 1
        _ = key(&s, .function(7))
        _ = s.reduce(
            .evalPlanned(
                EvalViewTests.planned(cases: [
                    "warranty-battery", "accessories-coverage", "claim-requirements", "not-in-passages",
                ])))
        return s
    }

    func fill(_ s: inout AppState, all: Bool) {
        let r = EvalViewTests.result
        var updates = [
            EvalCellUpdate(
                row: 0, column: 0,
                progress: .finished(
                    r("warranty-battery", "A", .pass, "The battery is covered for 24 months [1].", "0.000123", false))),
            EvalCellUpdate(
                row: 0, column: 1,
                progress: .finished(r("warranty-battery", "B", .fail, "Two years, I think.", "0.000119", false))),
            EvalCellUpdate(
                row: 1, column: 0,
                progress: .finished(
                    r("accessories-coverage", "A", .pass, "Brushes and filters: 6 months [2].", "0", true))),
            EvalCellUpdate(row: 1, column: 1, progress: .running),
        ]
        if all {
            updates[3] = EvalCellUpdate(
                row: 1, column: 1,
                progress: .finished(r("accessories-coverage", "B", .pass, "Six months [2].", "0.0001", false)))
            updates += [
                EvalCellUpdate(
                    row: 2, column: 0, progress: .finished(r("claim-requirements", "A", .error, "", "0", false))),
                EvalCellUpdate(
                    row: 2, column: 1,
                    progress: .finished(
                        r(
                            "claim-requirements", "B", .pass, "Proof of purchase and the serial number [3].", "0.0001",
                            false))),
                EvalCellUpdate(
                    row: 3, column: 0,
                    progress: .finished(
                        r("not-in-passages", "A", .pass, "I don't know from these passages.", "0.0001", false))),
                EvalCellUpdate(
                    row: 3, column: 1,
                    progress: .finished(
                        r("not-in-passages", "B", .pass, "I don't know from these passages.", "0.0001", false))),
            ]
        }
        _ = s.reduce(.evalCells(evalId: "ev1", updates))
        var p = EvalProgress()
        p.total = 8
        p.done = all ? 8 : 3
        p.passed = all ? 5 : 2
        p.failed = 1
        p.concurrency = 4
        p.running = all ? 0 : 1
        p.etaSeconds = all ? nil : 4
        _ = s.reduce(.evalProgress(evalId: "ev1", p))
        if all { _ = s.reduce(.evalFinished(evalId: "ev1", interrupted: false, logFailure: nil)) }
    }

    @Test("running at 120×36: progress, a running cell, the rest queued")
    func running() {
        var s = state(120, 36)
        fill(&s, all: false)
        assertGolden(Screen.render(s), "eval-running-120x36")
    }

    @Test("finished at 120×36: pass counts, exact cost, latency, the disagreeing row marked ≠")
    func finished() {
        var s = state(120, 36)
        fill(&s, all: true)
        assertGolden(Screen.render(s), "eval-finished-120x36")
    }

    @Test("filtered to disagreeing rows")
    func filtered() {
        var s = state(120, 36)
        fill(&s, all: true)
        _ = key(&s, .char("f"))
        _ = key(&s, .char("f"))
        assertGolden(Screen.render(s), "eval-disagreeing-120x36")
    }

    @Test("a failing cell opened: messages as sent, output, expected as a word diff, assertions, usage")
    func cellOpened() {
        var s = state(120, 36)
        fill(&s, all: true)
        _ = key(&s, .right)
        _ = key(&s, .enter)
        _ = s.reduce(
            .evalRunsLoaded([
                EvalRunContent(
                    runId: "run-warranty-battery-B",
                    messages: [
                        .init(role: "system", text: "Answer only from the passages."),
                        .init(role: "user", text: "How long is the warranty?"),
                    ], output: "Two years, I think.")
            ]))
        assertGolden(Screen.render(s), "eval-cell-120x36")
    }

    @Test("80×24 shows one column with the switcher; 20×6 still draws, cut with …")
    func small() {
        var s = state(80, 24)
        fill(&s, all: true)
        assertGolden(Screen.render(s), "eval-finished-80x24")
        var tiny = state(20, 6)
        fill(&tiny, all: true)
        assertGolden(Screen.render(tiny), "eval-finished-20x6")
    }

    @Test(
        "every size from 20×6 up draws the matrix and a cell without overlap or a crash",
        arguments: [(20, 6), (21, 7), (40, 10), (60, 15), (99, 29), (100, 30), (120, 36)])
    func sizes(_ w: Int, _ h: Int) {
        var s = state(w, h)
        fill(&s, all: true)
        let g = Screen.render(s)
        #expect(g.text.split(separator: "\n", omittingEmptySubsequences: false).count == h)
        #expect(g.text.contains("Evaluate") || w < 22)
        _ = key(&s, .enter)
        _ = Screen.render(s)
    }
}
