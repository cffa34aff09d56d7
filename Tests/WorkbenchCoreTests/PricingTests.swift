import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Pricing")
struct PricingTests {
    let zai = Provider(name: "zai", kind: .zai, baseURL: Provider.zaiInternational, apiKey: Secret("k"), defaultModel: Provider.glmModel, free: false)
    let local = Provider(name: "local", kind: .local, baseURL: URL(string: "http://127.0.0.1:8089/v1")!, apiKey: nil, defaultModel: Provider.localModel, free: true)
    let other = Provider(name: "vllm", kind: .openAICompatible, baseURL: URL(string: "http://h/v1")!, apiKey: nil, defaultModel: "llama", free: false)

    @Test("$0.10 per million tokens in and out, plus $0.01 per web search")
    func glm() {
        let table = PriceTable.builtIn
        let c = table.cost(usage: Usage(promptTokens: 1_000_000, completionTokens: 1_000_000), basis: .reported, provider: zai, model: Provider.glmModel, webSearchUses: 0)
        #expect(c.usd == Decimal(string: "0.2"))
        let one = table.cost(usage: Usage(promptTokens: 1, completionTokens: 0), basis: .reported, provider: zai, model: Provider.glmModel, webSearchUses: 0)
        #expect(one.usd == Decimal(string: "0.0000001"))
        #expect(Cost.format(one.usd!) == "$0.0000001")
        let search = table.cost(usage: Usage(promptTokens: 0, completionTokens: 0), basis: .reported, provider: zai, model: Provider.glmModel, webSearchUses: 2)
        #expect(search.usd == Decimal(string: "0.02"))
        #expect(c.price?.asOf == "2026-11-20")
    }

    @Test("local runs cost $0 and say what they would cost at GLM rates")
    func free() {
        let c = PriceTable.builtIn.cost(usage: Usage(promptTokens: 500_000, completionTokens: 500_000), basis: .estimated, provider: local, model: "SmolLM2-135M-Instruct", webSearchUses: 0)
        #expect(c.usd == 0)
        #expect(c.wouldCostUSD == Decimal(string: "0.1"))
        #expect(c.label == "$0 est. (would cost $0.1000 at GLM rates)")
    }

    @Test("an unknown model's cost is unknown, never zero")
    func unknown() {
        let c = PriceTable.builtIn.cost(usage: Usage(promptTokens: 10, completionTokens: 10), basis: .reported, provider: other, model: "llama", webSearchUses: 0)
        #expect(c.usd == nil)
        #expect(c.label == "cost unknown")
    }

    @Test("config overrides win over the built-in table, per provider and model")
    func overrides() {
        let o = PriceEntry(provider: "vllm", model: "llama*", inputPerMillion: 1, outputPerMillion: 2, asOf: "2026-11-01", source: "config")
        let t = PriceTable.builtIn.overridden(by: [o])
        let c = t.cost(usage: Usage(promptTokens: 1_000_000, completionTokens: 1_000_000), basis: .reported, provider: other, model: "llama-3-8b", webSearchUses: 0)
        #expect(c.usd == 3)
        #expect(c.price?.asOf == "2026-11-01")
        #expect(t.lookup(provider: "zai", model: "llama") == nil, "a provider-specific entry does not leak to others")
    }

    @Test("token estimates: Latin text by characters, CJK by characters, never zero for text")
    func estimates() {
        let e = TokenEstimator()
        #expect(e.estimate("") == 0)
        #expect(e.estimate("a") == 1)
        #expect(e.estimate(String(repeating: "word ", count: 76)) == 100)
        #expect(e.estimate("你好世界") == 3)
    }
}
