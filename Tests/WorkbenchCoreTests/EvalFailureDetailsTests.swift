import Foundation
import Testing

@testable import WorkbenchCore

/// What `glmwb eval show` adds under the table: every cell that did not pass, with each
/// assertion's verdict and reason and the case's `expected` beside the output; and the log
/// keeping `expected` (and the variants' provider, model and mode) so it can be shown again.
@Suite("Eval failure details and the stored cases")
struct EvalFailureDetailsTests {
    typealias F = EvalFixtures

    static var report: EvalReport {
        var twoChecks = F.fail("warranty", "B", output: "Three years.\nSee the manual.")
        twoChecks.assertions = [
            EvalAssertionResult(type: "contains", verdict: .fail, reason: "does not contain “[1]”"),
            EvalAssertionResult(type: "regex", verdict: .pass, reason: "matches (?i)years"),
            EvalAssertionResult(type: "judge", verdict: .unscored, reason: "the judge's reply is not a verdict"),
        ]
        return F.report([
            ("warranty", [F.pass("warranty", "A"), twoChecks]),
            ("broke", [F.error("broke", "A"), F.skipped("broke", "B")]),
            ("fine", [F.pass("fine", "A"), F.pass("fine", "B")]),
        ])
    }

    @Test("each cell that did not pass: every assertion with its mark and reason, expected beside the output")
    func details() {
        let text = EvalFailureDetails().text(Self.report)
        #expect(text.contains("✘ warranty · B: HEAD · run warranty-B-0"), "\(text)")
        #expect(text.contains("    ✘ contains: does not contain “[1]”"))
        #expect(text.contains("    ✔ regex: matches (?i)years"), "passing assertions are listed too")
        #expect(text.contains("    ? judge: the judge's reply is not a verdict"))
        #expect(text.contains("    expected: x [1]"))
        #expect(
            text.contains("    output:   Three years.\n              See the manual."),
            "later lines sit under the first: \(text)")
        #expect(text.contains("! broke · A: on disk"))
        #expect(text.contains("error: API error 1113: insufficient balance"))
        #expect(!text.contains("broke · B"), "a skipped cell has no output to show")
        #expect(!text.contains("fine"), "passing cells are left out")
        #expect(!text.contains("warranty · A"))
    }

    @Test("nothing when every cell passed; long outputs are cut with a count; control characters are shown, not sent")
    func limits() {
        #expect(EvalFailureDetails().text(F.report([("ok", [F.pass("ok", "A")])])).isEmpty)
        let long = (1...30).map { "line \($0)" }.joined(separator: "\n") + "\u{1B}[2J"
        let text = EvalFailureDetails(maxLines: 5).text(F.report([("long", [F.fail("long", "A", output: long)])]))
        #expect(text.contains("line 5"))
        #expect(!text.contains("line 6"))
        #expect(text.contains("… 25 more lines"))
        let hostile = EvalFailureDetails().text(F.report([("x", [F.fail("x", "A", output: "a\u{1B}[2Jb")])]))
        #expect(!hostile.contains("\u{1B}"))
    }

    @Test(
        "the log keeps each case's expected and vars and each variant's provider, model and mode; eval show reads them back"
    )
    func storedCases() async throws {
        let log = try RunLog(dataDir: tempDir())
        var r = Self.report
        r.variants = [
            EvalVariant(
                id: "A", label: "kb @m1", source: .file(path: "kb.md"), provider: "sim", model: "m1", mode: .stream),
            EvalVariant(
                id: "B", label: "kb @m2 · non-stream", source: .model(model: "m2", provider: nil), provider: "sim",
                model: "m2",
                mode: .nonStream),
        ]
        try await log.recordEval(r, startedAt: Date())
        let back = try #require(try log.evalReport(id: "ev1"))
        #expect(back.variants == r.variants)
        #expect(back.cases.map(\.expected) == ["x [1]", "x [1]", "x [1]"])
        #expect(back.cases.first?.vars == ["question": "warranty"])
        let details = EvalFailureDetails().text(back)
        #expect(details.contains("expected: x [1]"))
        #expect(details.contains("✔ regex: matches (?i)years"))
    }
}
