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

    @Test("cached tokens are part of prompt_tokens: charged once, at the cached rate")
    func cached() throws {
        let usage = Usage(promptTokens: 1_000_000, completionTokens: 1_000_000, cachedTokens: 400_000)
        let c = PriceTable.builtIn.cost(usage: usage, basis: .reported, provider: zai, model: "glm-4.5", webSearchUses: 0)
        // 600K uncached at $0.6/M + 400K cached at $0.11/M + 1M out at $2.2/M.
        let e = try #require(ModelTable.spec(for: "glm-4.5")?.price)
        let expected = Decimal(600_000) * e.inputPerMillion / 1_000_000 + Decimal(400_000) * e.cachedInputPerMillion! / 1_000_000
            + e.outputPerMillion
        #expect(c.usd == expected)
        #expect(c.usd == Decimal(string: "2.604"))
        let uncached = PriceTable.builtIn.cost(usage: Usage(promptTokens: 1_000_000, completionTokens: 1_000_000), basis: .reported,
                                               provider: zai, model: "glm-4.5", webSearchUses: 0)
        #expect(uncached.usd == Decimal(string: "2.8"), "without cached_tokens every prompt token is at the input rate")
    }

    @Test("a model with no published cached rate charges cached tokens as input, never twice")
    func cachedWithoutRate() {
        let usage = Usage(promptTokens: 1_000_000, completionTokens: 0, cachedTokens: 500_000)
        let c = PriceTable.builtIn.cost(usage: usage, basis: .reported, provider: zai, model: Provider.glmModel, webSearchUses: 0)
        #expect(c.usd == Decimal(string: "0.1"))
    }

    @Test("the Flash models are free: $0 said as free, not unknown", arguments: ["glm-4.5-flash", "glm-4.7-flash"])
    func freeModels(_ model: String) {
        let c = PriceTable.builtIn.cost(usage: Usage(promptTokens: 5000, completionTokens: 5000, cachedTokens: 100), basis: .reported,
                                        provider: zai, model: model, webSearchUses: 0)
        #expect(c.usd == 0)
        #expect(c.label == "$0 (free model)")
        #expect(ModelTable.spec(for: model)?.free == true)
    }

    @Test("a GLM model whose price the table could not confirm costs unknown, not $0")
    func unconfirmedPrice() {
        #expect(ModelTable.spec(for: "glm-5") != nil, "the model is known (window, fields)")
        let c = PriceTable.builtIn.cost(usage: Usage(promptTokens: 10, completionTokens: 10), basis: .reported, provider: zai,
                                        model: "glm-5", webSearchUses: 0)
        #expect(c.usd == nil)
        #expect(c.label == "cost unknown")
    }

    @Test("every row of the model table has its limits, a dated sourced price or none, and the Z.AI field rules")
    func modelTable() {
        let ids = ModelTable.models.map(\.id)
        #expect(Set(ids).count == ids.count, "one row per model")
        for m in ModelTable.models {
            #expect((m.contextWindow ?? 0) > (m.maxOutput ?? 0), "\(m.id): the window holds the longest reply")
            #expect(!m.limitsSource.isEmpty)
            #expect(m.fields.toolChoice == ["auto"])
            #expect(!m.fields.responseFormats.contains("json_schema"))
            if let p = m.price {
                #expect(p.asOf.count == 10 && p.source.hasPrefix("docs.z.ai/"), "\(m.id): dated, from docs.z.ai")
                #expect(p.provider == "zai", "Z.AI's price applies to Z.AI only")
                #expect(PriceTable.builtIn.lookup(provider: "zai", model: m.id) == p)
            } else {
                #expect(PriceTable.builtIn.lookup(provider: "zai", model: m.id) == nil)
            }
        }
        #expect(ModelTable.spec(for: "GLM-4.6")?.fields.toolStream == true)
        #expect(ModelTable.spec(for: "glm-4.5")?.fields.toolStream == false)
        #expect(ModelTable.spec(for: Provider.glmModel)?.fields.thinking == false)
        #expect(ModelTable.spec(for: Provider.glmModel)?.maxOutput == 16384)
        #expect(ModelTable.spec(for: Provider.glmModel)?.contextWindow == 131_072)
        #expect(ChatRequest.maxOutputTokens(model: "glm-4.7") == 131_072)
    }

    @Test("a config price with a cached rate overrides the table's")
    func cachedOverride() {
        let o = PriceEntry(provider: "zai", model: "glm-4.5", inputPerMillion: 1, cachedInputPerMillion: 0, outputPerMillion: 0,
                           asOf: "2026-12-01", source: "config")
        let c = PriceTable.builtIn.overridden(by: [o]).cost(
            usage: Usage(promptTokens: 1_000_000, completionTokens: 0, cachedTokens: 250_000), basis: .reported, provider: zai,
            model: "glm-4.5", webSearchUses: 0)
        #expect(c.usd == Decimal(string: "0.75"))
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
