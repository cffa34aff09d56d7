import Foundation
import Testing
@testable import WorkbenchCore

/// Reports built by hand, as the runner will build them.
enum EvalFixtures {
    static let variants = [EvalVariant(id: "A", label: "on disk", source: .file(path: "prompts/qa/kb.md")),
                           EvalVariant(id: "B", label: "HEAD", source: .git(rev: "HEAD", sha: "abc123"))]

    static func pass(_ name: String, _ v: String, rep: Int = 0, cost: String? = "0.00001", ms: Double? = 100, output: String = "ok [1]") -> EvalCellResult {
        EvalCellResult(caseName: name, variantId: v, repeatIndex: rep, runId: "\(name)-\(v)-\(rep)", status: .pass, output: output,
                       assertions: [EvalAssertionResult(type: "contains", verdict: .pass, reason: "contains “[1]”")],
                       costUSD: cost.flatMap { Decimal(string: $0) }, latencyMs: ms, usage: Usage(promptTokens: 10, completionTokens: 5, totalTokens: 15))
    }

    static func fail(_ name: String, _ v: String, rep: Int = 0, reason: String = "does not contain “[1]”", ms: Double? = 200, output: String = "no citation") -> EvalCellResult {
        EvalCellResult(caseName: name, variantId: v, repeatIndex: rep, runId: "\(name)-\(v)-\(rep)", status: .fail, output: output,
                       assertions: [EvalAssertionResult(type: "contains", verdict: .fail, reason: reason)],
                       costUSD: Decimal(string: "0.00002"), latencyMs: ms, usage: Usage(promptTokens: 10, completionTokens: 7, totalTokens: 17))
    }

    static func error(_ name: String, _ v: String, rep: Int = 0) -> EvalCellResult {
        EvalCellResult(caseName: name, variantId: v, repeatIndex: rep, runId: "\(name)-\(v)-\(rep)", status: .error, problem: "API error 1113: insufficient balance")
    }

    static func skipped(_ name: String, _ v: String, rep: Int = 0) -> EvalCellResult {
        EvalCellResult(caseName: name, variantId: v, repeatIndex: rep, status: .skipped, problem: "not run: --max-cost $0.01 reached")
    }

    static func report(_ rows: [(String, [EvalCellResult])], variants: [EvalVariant] = variants, threshold: Int? = nil, interrupted: Bool = false) -> EvalReport {
        EvalReport(evalId: "ev1", template: "qa/kb", variants: variants, cases: rows.map { name, cells in
            EvalCaseRow(name: name, vars: ["question": name], expected: "x [1]", groups: variants.compactMap { v in
                let runs = cells.filter { $0.variantId == v.id }
                return runs.isEmpty ? nil : EvalCellGroup(caseName: name, variantId: v.id, runs: runs, threshold: threshold)
            })
        }, interrupted: interrupted)
    }
}

@Suite("Eval outcomes and totals")
struct EvalOutcomeTests {
    typealias F = EvalFixtures

    @Test("a finished cell is judged from its assertions: fail outranks unscored; no assertions is unscored")
    func judged() {
        let p = EvalAssertionResult(type: "contains", verdict: .pass, reason: "")
        let f = EvalAssertionResult(type: "regex", verdict: .fail, reason: "no match")
        let u = EvalAssertionResult(type: "judge", verdict: .unscored, reason: "bad verdict")
        #expect(EvalCellStatus.judged([p, p]) == .pass)
        #expect(EvalCellStatus.judged([p, u, f]) == .fail)
        #expect(EvalCellStatus.judged([p, u]) == .unscored)
        #expect(EvalCellStatus.judged([]) == .unscored)
        let cell = EvalCellResult.finished(caseName: "a", variantId: "A", runId: "r", observation: EvalObservation(output: "x"),
                                           assertions: [p, u, f], costUSD: 0, latencyMs: 1)
        #expect(cell.status == .fail)
        #expect(cell.reason == "regex: no match")
        let bare = EvalCellResult.finished(caseName: "a", variantId: "A", runId: "r", observation: EvalObservation(output: "x"), assertions: [], costUSD: 0, latencyMs: 1)
        #expect(bare.status == .unscored && bare.reason?.contains("no assertions") == true)
    }

    @Test("repeats: k/N passed, flaky when 0<k<N, the threshold decides; a failed repeat outranks an errored one")
    func repeats() {
        let runs = [F.pass("a", "A", rep: 2), F.fail("a", "A", rep: 0), F.pass("a", "A", rep: 1)]
        let g = EvalCellGroup(caseName: "a", variantId: "A", runs: runs)
        #expect(g.runs.map(\.repeatIndex) == [0, 1, 2])
        #expect(g.passed == 2 && g.total == 3 && g.threshold == 3)
        #expect(g.isFlaky)
        #expect(g.status == .fail)
        #expect(EvalCellGroup(caseName: "a", variantId: "A", runs: runs, threshold: 2).status == .pass)
        // An absurd threshold is pinned to 1…N, never making a case impossible or free.
        #expect(EvalCellGroup(caseName: "a", variantId: "A", runs: runs, threshold: 99).threshold == 3)
        #expect(EvalCellGroup(caseName: "a", variantId: "A", runs: runs, threshold: 0).threshold == 1)
        let mixed = EvalCellGroup(caseName: "a", variantId: "A", runs: [F.pass("a", "A"), F.error("a", "A", rep: 1), F.fail("a", "A", rep: 2)])
        #expect(mixed.status == .fail)
        let errored = EvalCellGroup(caseName: "a", variantId: "A", runs: [F.pass("a", "A"), F.error("a", "A", rep: 1)])
        #expect(errored.status == .error && errored.reason == "API error 1113: insufficient balance")
        #expect(!EvalCellGroup(caseName: "a", variantId: "A", runs: [F.fail("a", "A"), F.fail("a", "A", rep: 1)]).isFlaky)
        #expect(EvalCellGroup(caseName: "a", variantId: "A", runs: []).status == .skipped)
    }

    @Test("summary per variant: counts by case, exact cost, tokens, nearest-rank p50/p95 of measured latencies")
    func summary() throws {
        var cached = F.pass("c", "A", cost: "0", ms: nil)
        cached.cached = EvalCacheOrigin(runId: "old", originalCostUSD: Decimal(string: "0.5"), originalLatencyMs: 9999)
        let r = F.report([
            ("a", [F.pass("a", "A", cost: "0.1", ms: 100), F.pass("a", "B", ms: 50)]),
            ("b", [F.fail("b", "A", ms: 300), F.pass("b", "B", ms: 60)]),
            ("c", [cached, F.error("c", "B")]),
            ("d", [F.skipped("d", "A"), F.pass("d", "B", cost: nil, ms: 70)]),
        ])
        let s = r.summaries
        #expect(s.map(\.variantId) == ["A", "B"])
        let a = s[0], b = s[1]
        #expect((a.passed, a.failed, a.errors, a.unscored, a.skipped, a.total) == (2, 1, 0, 0, 1, 4))
        #expect((b.passed, b.failed, b.errors, b.skipped) == (3, 0, 1, 0))
        // 0.1 + 0.00002 + 0 exactly; a Double sum would give 0.10002000000000001.
        #expect(EvalDecimal.plain(a.costUSD) == "0.10002")
        #expect(a.runs == 3 && a.cachedRuns == 1)
        #expect(a.promptTokens == 20 && a.completionTokens == 12)   // the cached run's tokens were not spent now
        #expect(a.p50LatencyMs == 100 && a.p95LatencyMs == 300)     // the cached 9999 ms is not a measurement
        #expect(b.unknownCostRuns == 1)                               // d's price is unknown
        #expect(b.p50LatencyMs == 60 && b.p95LatencyMs == 70)
        #expect(EvalVariantSummary.percentile(50, ofSorted: []) == nil)
        #expect(EvalVariantSummary.percentile(50, ofSorted: [7]) == 7)
        #expect(EvalVariantSummary.percentile(95, ofSorted: [7]) == 7)
        let hundred = (1...100).map(Double.init)
        #expect(EvalVariantSummary.percentile(50, ofSorted: hundred) == 50)
        #expect(EvalVariantSummary.percentile(95, ofSorted: hundred) == 95)
        #expect(EvalVariantSummary.percentile(95, ofSorted: [1, 2, 3, 4]) == 4)
        #expect(EvalVariantSummary.percentile(50, ofSorted: [1, 2, 3, 4]) == 2)
        #expect(r.disagreements == ["b", "c", "d"])
    }

    @Test("judge costs are counted in the total and labelled apart")
    func judgeCost() {
        var cell = F.pass("a", "A", cost: "0.001")
        cell.assertions.append(EvalAssertionResult(type: "judge", verdict: .pass, reason: "ok", judgeCostUSD: Decimal(string: "0.0002"), judgeRunId: "j"))
        cell.assertions.append(EvalAssertionResult(type: "judge", verdict: .unscored, reason: "?", judgeCostUSD: nil, judgeRunId: "j2"))
        let s = EvalVariantSummary(variantId: "A", groups: [EvalCellGroup(caseName: "a", variantId: "A", runs: [cell])])
        #expect(EvalDecimal.plain(s.costUSD) == "0.0012")
        #expect(EvalDecimal.plain(s.judgeCostUSD) == "0.0002")
        #expect(s.unknownCostRuns == 1)
        #expect(cell.judgeCostUSD == Decimal(string: "0.0002"))
    }

    @Test("decimals print plain: no exponent, no float noise, whatever the magnitude")
    func plainDecimals() {
        let cases: [(String, String)] = [("0", "0"), ("0.000000000000000000000001", "0.000000000000000000000001"), ("1e-20", "0.00000000000000000001"),
                                         ("12345678901234567890", "12345678901234567890"), ("1e20", "100000000000000000000"), ("0.10", "0.1"),
                                         ("-0.5", "-0.5"), ("100", "100"), ("3.14159", "3.14159"), ("0.0000123", "0.0000123")]
        for (input, want) in cases {
            #expect(EvalDecimal.plain(Decimal(string: input, locale: Locale(identifier: "en_US_POSIX"))!) == want, "\(input)")
        }
        var sum = Decimal(0)
        for _ in 0..<10 { sum += Decimal(string: "0.1")! }
        #expect(EvalDecimal.plain(sum) == "1")
    }

    @Test("exit status: 0 all passed, 1 any failed, 3 errors/unscored/skipped without failures, 130 interrupted")
    func exitStatus() {
        #expect(F.report([("a", [F.pass("a", "A"), F.pass("a", "B")])]).exitStatus == 0)
        #expect(F.report([("a", [F.pass("a", "A"), F.fail("a", "B")]), ("b", [F.error("b", "A")])]).exitStatus == 1)
        #expect(F.report([("a", [F.pass("a", "A"), F.error("a", "B")])]).exitStatus == 3)
        #expect(F.report([("a", [F.pass("a", "A"), F.skipped("a", "B")])]).exitStatus == 3)
        let unscored = EvalCellResult(caseName: "a", variantId: "A", status: .unscored)
        #expect(F.report([("a", [unscored])]).exitStatus == 3)
        #expect(F.report([("a", [F.fail("a", "A")])], interrupted: true).exitStatus == 130)
        #expect(EvalExitStatus.code(for: []) == 3)
        #expect(EvalExitStatus.usage == 2)
        // A flaky case under its threshold fails the run even though most repeats passed.
        let flaky = F.report([("a", [F.pass("a", "A"), F.pass("a", "A", rep: 1), F.fail("a", "A", rep: 2)])], variants: [F.variants[0]])
        #expect(flaky.exitStatus == 1)
        #expect(F.report([("a", [F.pass("a", "A"), F.pass("a", "A", rep: 1), F.fail("a", "A", rep: 2)])], variants: [F.variants[0]], threshold: 2).exitStatus == 0)
    }

    @Test("eval diff: pass→fail first, then fail→pass; a case missing from NEW regresses; exit 1 only on regressions")
    func diff() {
        let one = [F.variants[0]]
        let old = F.report([("a", [F.pass("a", "A")]), ("b", [F.fail("b", "A")]), ("c", [F.pass("c", "A")]), ("d", [F.pass("d", "A")]), ("e", [F.pass("e", "A")])], variants: one)
        // NEW has one variant with another id: single-variant evaluations are compared anyway.
        let other = [EvalVariant(id: "X", label: "after", source: .file(path: nil))]
        let new = F.report([("a", [F.fail("a", "X")]), ("b", [F.pass("b", "X")]), ("d", [F.error("d", "X")]), ("e", [F.pass("e", "X")]), ("f", [F.pass("f", "X")])], variants: other)
        let d = EvalDiff(old: old, new: new)
        #expect(d.ordered.map(\.caseName) == ["a", "b", "c", "d"])
        #expect(d.regressions.map(\.caseName) == ["a", "c"])
        #expect(d.regressions.last?.new == nil)
        #expect(d.improvements.map(\.caseName) == ["b"])
        #expect(d.otherChanges.map { "\($0.caseName):\($0.old)→\(String(describing: $0.new))" } == ["d:pass→Optional(WorkbenchCore.EvalCellStatus.error)"])
        #expect(d.added == ["f"])
        #expect(d.exitStatus == 1)
        let better = EvalDiff(old: old, new: F.report(old.cases.map { ($0.name, [F.pass($0.name, "A")]) }, variants: one))
        #expect(better.regressions.isEmpty && better.improvements.map(\.caseName) == ["b"])
        #expect(better.exitStatus == 0)
        // Two variants are matched by id; a variant NEW does not have is not a regression.
        let twoOld = F.report([("a", [F.pass("a", "A"), F.pass("a", "B")])])
        let twoNew = F.report([("a", [F.pass("a", "A")])], variants: [F.variants[0], EvalVariant(id: "C", label: "c", source: .mode("stream"))])
        #expect(EvalDiff(old: twoOld, new: twoNew).regressions.isEmpty)
    }
}

@Suite("Eval report assembly and case checks")
struct EvalAssemblyTests {
    @Test("assemble: cells in any order become rows in case order, groups in variant order, repeats by index")
    func assemble() {
        let cases = [EvalCase(name: "a", vars: ["q": "1"], expected: "x"), EvalCase(name: "b"), EvalCase(name: "c")]
        let cells = [EvalFixtures.fail("b", "B"), EvalFixtures.pass("a", "B", rep: 1), EvalFixtures.pass("a", "A"), EvalFixtures.pass("a", "B"), EvalFixtures.pass("b", "A")]
        let r = EvalReport.assemble(evalId: "e", template: "t", variants: EvalFixtures.variants, cases: cases, cells: cells)
        #expect(r.cases.map(\.name) == ["a", "b", "c"])
        #expect(r.cases[0].vars == ["q": "1"] && r.cases[0].expected == "x")
        #expect(r.cases[0].groups.map(\.variantId) == ["A", "B"])
        #expect(r.cases[0].group("B")?.runs.map(\.repeatIndex) == [0, 1])
        #expect(r.cases[2].groups.isEmpty)
        #expect(r.cases[1].group("B")?.status == .fail)
        #expect(r.disagreements == ["b"])
    }

    @Test("cases are checked against the template before anything runs, each problem at its case's line")
    func problemsWithTemplate() throws {
        let template = try TemplateParser.parse("""
            ---
            description: d
            variables:
              question: {required: true}
              style: {default: concise, choices: [concise, detailed]}
            ---
            {{question}} ({{style}})
            """, name: "t", path: "t.md")
        let set = try EvalCaseFile.parse("""
            cases:
              - name: ok
                vars: {question: q}
              - name: typo
                vars: {questoin: q}
              - name: bad-choice
                vars: {question: q, style: long}
            """, format: .yaml, path: "t.cases.yaml", baseDirectory: "/")
        let problems = set.problems(with: template)
        #expect(problems.map(\.line) == [4, 6])
        #expect(problems[0].description.hasPrefix("t.cases.yaml:4: case typo: no variable named questoin"))
        #expect(problems[1].message.contains("long"))
    }
}
