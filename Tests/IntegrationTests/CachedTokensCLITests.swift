import Foundation
import GLMSim
import Testing
import WorkbenchCore

/// A context-cache hit priced end to end: GLMSim reports `cached_tokens` in the usage, the real
/// client reads it, and the cost charges those tokens once, at the cached-input rate.
@Suite("Cached tokens, priced at the cached rate")
struct CachedTokensCLITests {
    @Test("glm-4.5 on the zai provider: (prompt − cached) × input + cached × cached-input + completion × output")
    func priced() async throws {
        let sim = try await GLMSimServer.start(defaultScenario: "cached:3")
        defer { Task { try? await sim.shutdown() } }
        let r = try await glmwb(
            [
                "run", "--provider", "zai", "--base-url", sim.baseURL.absoluteString, "--model", "glm-4.5", "--json",
                "--data-dir", tempDataDir(), "Hello there, how are you doing on this fine day",
            ],
            env: ["ZAI_API_KEY": "test-key-not-real"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(r.json)
        let usage = try #require(o["usage"])
        let prompt = try #require(usage["prompt_tokens"]?.numberValue)
        let completion = try #require(usage["completion_tokens"]?.numberValue)
        #expect(usage["cached_tokens"] == .number(3))
        let spec = try #require(ModelTable.spec(for: "glm-4.5")?.price)
        let input = NSDecimalNumber(decimal: spec.inputPerMillion).doubleValue
        let cachedRate = NSDecimalNumber(decimal: try #require(spec.cachedInputPerMillion)).doubleValue
        let output = NSDecimalNumber(decimal: spec.outputPerMillion).doubleValue
        let expected = ((prompt - 3) * input + 3 * cachedRate + completion * output) / 1_000_000
        let cost = try #require(o["cost_usd"]?.numberValue)
        #expect(abs(cost - expected) < 1e-12, "\(cost) vs \(expected)")
        #expect(cachedRate < input, "the cached rate is the cheaper one: the test would not tell them apart otherwise")
    }
}
