import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// The model table's limits before sending: the context window (meter and refusal) and the
/// maximum output.
@Suite("Model limits: context window and maximum output")
struct ModelLimitsTests {
    @Test("the meter's figure: estimated before the answer, reported after, against the model's window")
    func fill() {
        let window = ModelTable.spec(for: "glm-4.5")!.contextWindow!
        let estimated = ContextFill(promptTokens: Figure(41 * 1024, .estimated), window: window)
        #expect(estimated.text == "ctx ~41K/128K")
        #expect(!estimated.isNearFull)
        let at80 = (window * 8 + 9) / 10 // the first count at or past 80%
        let reported = ContextFill(promptTokens: Figure(at80, .reported), window: window)
        #expect(reported.text == "ctx \(ModelTable.kilo(at80))/128K")
        #expect(reported.isNearFull, "amber from 80%")
        #expect(!ContextFill(promptTokens: Figure(at80 - 1, .reported), window: window).isNearFull)
        let unknown = ContextFill(
            promptTokens: Figure(41 * 1024, .reported), window: ModelTable.spec(for: "llama")?.contextWindow)
        #expect(unknown.text == "ctx 41K/?")
        #expect(unknown.fraction == nil && !unknown.isNearFull)
        #expect(ContextFill(promptTokens: Figure(812, .reported), window: window).text == "ctx 812/128K")
    }

    @Test("a run's prompt: the reported count once usage came, else the estimate made before sending")
    func fromFigures() {
        var live = LiveFigures(mode: .stream, promptEstimate: 3000)
        let before = ContextFill(figures: live.figures, promptEstimate: 3000, model: "glm-4.7")
        #expect(before.promptTokens == Figure(3000, .estimated))
        #expect(before.window == 200 * 1024)
        live.absorb(.usage(Usage(promptTokens: 3500, completionTokens: 10)))
        let after = ContextFill(figures: live.figures, promptEstimate: 3000, model: "glm-4.7")
        #expect(after.promptTokens == Figure(3500, .reported))
    }

    @Test("a prompt above the window is refused with the numbers and what to do; unknown models are not")
    func windowProblems() {
        var req = ChatRequest(model: Provider.glmModel, messages: [.user("x")])
        #expect(req.limitProblems(promptEstimate: 131_072).isEmpty, "exactly the window fits")
        let p = req.limitProblems(promptEstimate: 150_000)
        #expect(p.count == 1)
        let text = p.joined()
        for needle in ["150000", "128K", "131072", "trim", "new one", "larger window", "glm-4.6: 200K"] {
            #expect(text.contains(needle), "\(needle) in \(text)")
        }
        req.model = "my-local-model"
        #expect(req.limitProblems(promptEstimate: 10_000_000).isEmpty)
    }

    @Test("max_tokens above the model's maximum output is refused, per model")
    func maxOutput() {
        var req = ChatRequest(model: Provider.glmModel, messages: [.user("x")])
        req.maxTokens = 20_000
        let p = req.validationErrors(glmRules: true)
        #expect(p.contains { $0.contains("16384-token output limit") && $0.contains("lower max_tokens") })
        req.model = "glm-4.6"
        #expect(req.validationErrors(glmRules: true).isEmpty, "glm-4.6 writes up to 128K")
        req.maxTokens = 200_000
        #expect(req.validationErrors(glmRules: true).contains { $0.contains("131072-token output limit") })
    }

    @Test("the session refuses an over-long prompt before sending: nothing reaches the server")
    func sessionRefuses() async {
        let transport = ScriptedTransport(.sse(WireFixtures.textStream(["never"])))
        let session = await Session.scripted(transport)
        let prompt = String(repeating: "word ", count: 120_000) // about 158K tokens by the estimate
        let run = await collect(await session.submit(prompt, parameters: RequestParameters(), mode: .stream))
        #expect(run.result.status == .failed)
        #expect(run.result.error?.kind == .invalidRequest)
        #expect(run.result.error?.message.contains("context window") == true)
        #expect(transport.requests.isEmpty)
    }

    @Test("the dry run and template preview name the window the prompt goes into")
    func dryRun() {
        let req = ChatRequest(model: "glm-4.7", messages: [.user("hello")])
        let e = DryRunEstimate(req, providerName: "zai", free: false, prices: .builtIn)
        #expect(e.context.window == 200 * 1024)
        #expect(e.context.promptTokens == Figure(e.promptTokens, .estimated))
        #expect(e.line.hasPrefix("≈ \(e.promptTokens) prompt tokens of a 200K window · "), "\(e.line)")
        let local = DryRunEstimate(
            ChatRequest(model: "llama", messages: [.user("hello")]), providerName: "vllm", free: false, prices: .builtIn
        )
        #expect(local.line.contains("prompt tokens (window unknown)"), "\(local.line)")
    }
}
