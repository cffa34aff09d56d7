import Foundation
import WorkbenchCore
import WorkbenchTools

/// The real `command` and `judge` assertions: a command runs under the command tools' process
/// rules (its own process group, a time limit, output limits); a judge is a logged run in JSON
/// mode at temperature 0 / do_sample false, so its verdict is repeatable and its cost counted.
/// The judge is the assertion's provider and model, else the config's `judge:`, else the
/// evaluation's (first) provider and its default model.
struct EvalLiveServices: EvalAssertionServices {
    var services: Services
    /// The providers resolved for this evaluation (columns and judges), by name.
    var providers: [String: Provider] = [:]
    /// Seconds a `command` assertion may run.
    var commandTimeout: Double = 30

    func runCommand(_ argv: [String], stdin: String) async -> EvalCommandOutcome {
        await Self.command(argv, stdin: stdin, timeout: commandTimeout)
    }

    /// A `command` check run under the command tools' process rules: what `glmwb eval` and
    /// `eval rescore` both use.
    static func command(_ argv: [String], stdin: String, timeout: Double) async -> EvalCommandOutcome {
        let r = await CommandToolRunner.run(argv: argv, input: stdin, timeout: timeout)
        let failure = r.timedOut ? "timed out after \(Int(timeout)) s" : r.failure
        let status = r.timedOut ? nil : r.exitStatus
        return EvalCommandOutcome(exitStatus: status, stdout: r.output, stderr: r.stderr ?? "", failure: failure)
    }

    func judge(_ asked: EvalJudgeRequest) async -> EvalJudgeReply {
        let request = EvalJudge.resolved(asked, defaults: services.config.judge)
        let name = request.provider ?? services.provider.name
        guard let provider = name == services.provider.name ? services.provider : providers[name] else {
            return EvalJudgeReply(text: nil, failure: "judge provider \(name) was not resolved for this evaluation")
        }
        let session = services.session(system: nil, provider: provider)
        var params = RequestParameters()
        params.jsonMode = true
        params.temperature = 0
        params.doSample = false
        var req = ChatRequest(
            model: request.model ?? provider.defaultModel, messages: [.system(request.system), .user(request.user)])
        params.apply(to: &req)
        var result: RunResult?
        for await batch in await session.run(req, mode: .nonStream) {
            for e in batch { if let r = e.result { result = r } }
        }
        guard let r = result else { return EvalJudgeReply(text: nil, failure: "the judge run ended without a result") }
        guard r.status == .ok else {
            return EvalJudgeReply(text: nil, failure: "judge run failed: " + (r.error?.summary ?? r.status.rawValue), costUSD: r.cost.usd, runId: r.runId, model: req.model)
        }
        return EvalJudgeReply(text: r.content, costUSD: r.cost.usd, runId: r.runId, model: req.model)
    }
}
