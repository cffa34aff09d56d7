import Foundation
import Testing

@testable import WorkbenchCore

/// The evaluation keys of the config: `eval_concurrency` (the default for `--concurrency`) and
/// `judge: {provider, model}` (the default judge), with the same file:line errors as the rest.
@Suite("Eval config: eval_concurrency and judge")
struct EvalConfigTests {
    @Test("eval_concurrency and judge parse")
    func parses() throws {
        let c = try WorkbenchConfig.parse(
            """
            eval_concurrency: 12
            eval_confirm_usd: 0.20
            judge:
              provider: sim
              model: glm-4.5
            """, file: "c.yaml")
        #expect(c.evalConcurrency == 12)
        #expect(c.evalConfirmUSD == Decimal(string: "0.2"))
        #expect(try WorkbenchConfig.parse("eval_confirm_usd: 0", file: "c.yaml").evalConfirmUSD == 0)
        #expect(c.judge == WorkbenchConfig.JudgeSetting(provider: "sim", model: "glm-4.5"))
        let named = try WorkbenchConfig.parse(
            """
            providers:
              grader: {base_url: "http://127.0.0.1:9/v1"}
            judge: {provider: grader}
            """, file: "c.yaml")
        #expect(named.judge == WorkbenchConfig.JudgeSetting(provider: "grader", model: nil))
        #expect(try WorkbenchConfig.parse("judge: {model: glm-4.5}", file: "c.yaml").judge?.model == "glm-4.5")
    }

    @Test(
        "absurd values are refused with the file, the line and the key",
        arguments: [
            ("eval_concurrency: 0", "eval_concurrency"), ("eval_concurrency: 257", "eval_concurrency"),
            ("eval_concurrency: -4", "eval_concurrency"), ("eval_concurrency: 2.5", "eval_concurrency"),
            ("eval_concurrency: lots", "eval_concurrency"), ("eval_concurrency: .inf", "eval_concurrency"),
            ("judge: zai", "judge"), ("judge: {}", "judge"),
            ("eval_confirm_usd: -1", "eval_confirm_usd: -1 is outside"), ("eval_confirm_usd: .nan", "eval_confirm_usd"),
            ("eval_confirm_usd: cheap", "eval_confirm_usd"),
            ("judge: {provider: nowhere}", "no provider named 'nowhere'"),
            ("judge: {modle: x}", "judge.modle: unknown key"), ("judge: {provider: [a]}", "judge.provider"),
            ("\n\njudge:\n  model: 5", "config.yaml:4: judge.model"),
        ])
    func refused(_ text: String, _ needle: String) {
        do {
            _ = try WorkbenchConfig.parse(text, file: "/x/config.yaml")
            Issue.record("no error for \(text)")
        } catch {
            #expect("\(error)".contains(needle), "\(error)")
            #expect("\(error)".hasPrefix("/x/config.yaml:"), "names the file and line: \(error)")
        }
    }

    static func request(provider: String? = nil, model: String? = nil) -> EvalJudgeRequest {
        EvalJudgeRequest(rubric: "r", provider: provider, model: model, system: "s", user: "u")
    }

    @Test("the config's judge fills what a judge: assertion leaves out, and nothing it names")
    func judgeDefaults() {
        let d = WorkbenchConfig.JudgeSetting(provider: "zai", model: "glm-4.5")
        func pick(_ r: EvalJudgeRequest, _ d: WorkbenchConfig.JudgeSetting?) -> [String?] {
            let x = EvalJudge.resolved(r, defaults: d)
            return [x.provider, x.model]
        }
        #expect(pick(Self.request(), d) == ["zai", "glm-4.5"], "nothing named: the configured judge")
        #expect(
            pick(Self.request(model: "glm-4.6"), d) == ["zai", "glm-4.6"], "a model alone: on the configured provider")
        #expect(
            pick(Self.request(provider: "zai"), d) == ["zai", "glm-4.5"],
            "the configured provider: its configured model")
        #expect(
            pick(Self.request(provider: "local"), d) == ["local", nil], "another provider keeps its own default model")
        #expect(pick(Self.request(provider: "local", model: "m"), d) == ["local", "m"])
        #expect(pick(Self.request(), nil) == [nil, nil], "no config: the evaluation's provider decides")
        #expect(
            pick(Self.request(), WorkbenchConfig.JudgeSetting(model: "glm-4.5")) == [nil, "glm-4.5"],
            "a configured model alone applies on the evaluation's provider")
    }
}
