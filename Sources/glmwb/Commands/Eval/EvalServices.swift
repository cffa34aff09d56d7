import Foundation
import WorkbenchCore
import WorkbenchTools

/// The real `command` and `judge` assertions: a command runs under the command tools' process
/// rules (its own process group, a time limit, output limits); a judge is a logged run in JSON
/// mode at temperature 0 / do_sample false, so its verdict is repeatable and its cost counted.
struct EvalLiveServices: EvalAssertionServices {
    var services: Services
    /// Seconds a `command` assertion may run.
    var commandTimeout: Double = 30

    func runCommand(_ argv: [String], stdin: String) async -> EvalCommandOutcome {
        let r = await CommandToolRunner.run(argv: argv, input: stdin, timeout: commandTimeout)
        if r.timedOut { return EvalCommandOutcome(exitStatus: nil, stdout: r.output, stderr: r.stderr ?? "", failure: "timed out after \(Int(commandTimeout)) s") }
        return EvalCommandOutcome(exitStatus: r.exitStatus, stdout: r.output, stderr: r.stderr ?? "", failure: r.failure)
    }

    func judge(_ request: EvalJudgeRequest) async -> EvalJudgeReply {
        if let p = request.provider, p != services.provider.name {
            return EvalJudgeReply(text: nil, failure: "judge provider \(p) is not this evaluation's provider (\(services.provider.name)); only the evaluation's provider can judge")
        }
        let session = services.session(system: nil)
        var params = RequestParameters()
        params.jsonMode = true
        params.temperature = 0
        params.doSample = false
        var req = ChatRequest(model: request.model ?? services.provider.defaultModel, messages: [.system(request.system), .user(request.user)])
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
