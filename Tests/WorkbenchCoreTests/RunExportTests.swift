import Foundation
import GRDB
import Testing
@testable import WorkbenchCore

/// `RunLog.stats` and the provenance the exports carry, on logs filled through the API.
@Suite("Run stats and export provenance")
struct RunExportTests {
    static var day: ISO8601DateFormatter { ISO8601DateFormatter() }

    func start(_ prompt: String, provider: String = "zai", model: String = Provider.glmModel, template: String? = nil,
               at: String = "2026-11-20T12:00:00Z") -> RunStart {
        var s = makeStart(prompt: prompt)
        let req = ChatRequest(model: model, messages: [.user(prompt)], stream: true)
        s = RunStart(runId: s.runId, conversationId: s.conversationId, parentRunId: nil, provider: provider, baseURL: s.baseURL,
                     model: model, mode: .stream, request: req, requestJSON: WireJSON.string(req), templateName: template,
                     templateVariables: nil, startedAt: Self.day.date(from: at)!, promptEstimate: 5)
        return s
    }

    func result(_ s: RunStart, usd: String?, would: String? = nil, basis: UsageSource = .reported, price: PriceEntry? = PriceTable.glm4_32b,
                tokens: (Int, Int) = (5, 3)) -> RunResult {
        var r = makeResult(s, content: "ok")
        r.usage = Usage(promptTokens: tokens.0, completionTokens: tokens.1)
        r.usageSource = basis
        r.cost = Cost(usd: usd.flatMap { Decimal(string: $0) }, wouldCostUSD: would.flatMap { Decimal(string: $0) },
                      price: usd == nil ? nil : price, basis: basis, webSearchUses: 0)
        return r
    }

    func log(_ runs: [(RunStart, RunResult)]) async throws -> RunLog {
        let log = try RunLog(dataDir: tempDir())
        for (s, r) in runs { log.begin(s); log.finish(r) }
        try await log.flush()
        return log
    }

    @Test("dollars are exact decimal sums; unknown prices and estimated usage are counted apart")
    func exactSums() async throws {
        let a = start("a"), b = start("b"), c = start("c", model: "other-model", at: "2026-11-21T00:00:01Z")
        let d = start("d", provider: "sim", at: "2026-11-20T23:59:59Z")
        let log = try await log([
            (a, result(a, usd: "0.1", tokens: (10, 20))),
            (b, result(b, usd: "0.2", tokens: (1, 2))),
            (c, result(c, usd: nil, basis: .estimated, tokens: (7, 0))),
            (d, result(d, usd: "0", would: "0.0000007", tokens: (4, 3))),
        ])
        let byModel = try log.stats(by: .model)
        #expect(byModel.groups.map(\.key) == ["glm-4-32b-0414-128k", "other-model"])
        let glm = byModel.groups[0]
        #expect(glm.runs == 3 && glm.promptTokens == 15 && glm.completionTokens == 25)
        // 0.1 + 0.2 as Doubles is 0.30000000000000004.
        #expect(RunStats.decimalText(glm.costUSD) == "0.3")
        #expect(RunStats.decimalText(glm.wouldCostUSD) == "0.0000007")
        #expect(glm.unknownPriceRuns == 0 && glm.unknownPriceNote == nil)
        let other = byModel.groups[1]
        #expect(other.unknownPriceRuns == 1 && other.estimatedRuns == 1 && other.costLabel == "unknown")
        #expect(other.unknownPriceNote == "+ 1 run with unknown price")
        #expect(byModel.total.runs == 4 && byModel.total.unknownPriceRuns == 1 && byModel.total.estimatedRuns == 1)
        #expect(byModel.total.json["cost_usd"] == .string("0.3"))

        let byDay = try log.stats(by: .day)
        #expect(byDay.groups.map(\.key) == ["2026-11-20", "2026-11-21"])
        #expect(byDay.groups.map(\.runs) == [3, 1])
        let since = try log.stats(by: .day, since: RunStats.parseDay("2026-11-21"))
        #expect(since.groups.map(\.key) == ["2026-11-21"] && since.total.runs == 1)
        #expect(since.json["since"] == .string("2026-11-21"))

        let byProvider = try log.stats(by: .provider)
        #expect(byProvider.groups.map(\.key) == ["sim", "zai"])
        #expect(byProvider.groups[0].costUSD == 0 && byProvider.groups[0].wouldCostUSD == Decimal(string: "0.0000007"))
    }

    @Test("template grouping names untemplated runs (none)")
    func templates() async throws {
        let a = start("a", template: "qa/knowledge-base"), b = start("b")
        let stats = try await log([(a, result(a, usd: "0.5")), (b, result(b, usd: "0.25"))]).stats(by: .template)
        #expect(stats.groups.map(\.key) == ["(none)", "qa/knowledge-base"])
        let obj = try #require(stats.json.objectValue)
        #expect(obj["by"] == .string("template"))
        let g = try #require(obj["groups"]?.arrayValue?.last?.objectValue)
        #expect(Set(g.keys) == ["key", "runs", "prompt_tokens", "completion_tokens", "cost_usd", "would_cost_usd", "estimated_runs", "unknown_price_runs", "tokens_overflowed", "invalid_runs"])
        #expect(g["cost_usd"] == .string("0.5"))
        #expect(obj["total"]?["cost_usd"] == .string("0.75"))
    }

    @Test("a cost that is not decimal text is an error, not $0")
    func badCost() async throws {
        let a = start("a")
        let log = try await log([(a, result(a, usd: "0.1"))])
        let q = try DatabaseQueue(path: log.path)
        try await q.write { try $0.execute(sql: "UPDATE runs SET cost_usd = 'n/a'") }
        #expect(throws: RunLog.StatsError.self) { try log.stats(by: .model) }
    }

    @Test("days parse strictly, in UTC")
    func days() {
        #expect(RunStats.parseDay("2026-02-30") == nil)
        #expect(RunStats.parseDay("2026-2-3") == nil)
        #expect(RunStats.parseDay("yesterday") == nil)
        #expect(RunStats.parseDay("2026-11-20").map(RunStats.utcDay) == "2026-11-20")
        #expect(RunStats.parseDay("2026-11-20")?.timeIntervalSince1970 == 1_795_132_800)
    }

    @Test("Markdown names the usage source and the price used, or says the price is unknown")
    func markdownProvenance() async throws {
        let config = PriceEntry(provider: "zai", model: "glm-4*", inputPerMillion: Decimal(string: "0.125")!, outputPerMillion: 2,
                                asOf: "2026-11-01", source: "config /home/u/.config/glmwb/config.yaml")
        let a = start("a"), b = start("b", model: "other-model"), c = start("c")
        let log = try await log([(a, result(a, usd: "0.000001")), (b, result(b, usd: nil, basis: .estimated)),
                                 (c, result(c, usd: "0.000002", price: config))])
        let md = RunExport.markdown(try log.runs(limit: 10).reversed())
        #expect(md.contains("- usage: reported by the provider"))
        #expect(md.contains("- price: $0.10/M in, $0.10/M out, $0.01 per web search, as of 2026-11-20, from docs.z.ai/guides/llm/glm-4-32b-0414-128k"))
        #expect(md.contains("- usage: estimated by glmwb"))
        #expect(md.contains("- price: price unknown (no price for zai/other-model"))
        #expect(md.contains("- price: $0.125/M in, $2.00/M out, as of 2026-11-01, from config /home/u/.config/glmwb/config.yaml"))
    }

    @Test("JSONL: one line per run, each with usage.source and the price with as_of and source")
    func jsonl() async throws {
        let a = start("a"), b = start("b", model: "other-model")
        let log = try await log([(a, result(a, usd: "0.000001")), (b, result(b, usd: nil, basis: .estimated))])
        let lines = RunExport.jsonl(try log.runs(limit: 10)).split(separator: "\n")
        #expect(lines.count == 2)
        let objs = lines.compactMap { JSONValue.parse(String($0)) }
        #expect(objs.count == 2)
        let priced = try #require(objs.first { $0["model"] == .string(Provider.glmModel) })
        #expect(priced["usage"]?["source"] == .string("reported"))
        #expect(priced["price"]?["as_of"] == .string("2026-11-20"))
        #expect(priced["price"]?["source"] == .string("docs.z.ai/guides/llm/glm-4-32b-0414-128k"))
        let unknown = try #require(objs.first { $0["model"] == .string("other-model") })
        #expect(unknown["usage"]?["source"] == .string("estimated"))
        #expect(unknown["price"] == .null && unknown["cost_usd"] == .null)
    }

    @Test("curl names the key's variable or command, never the key")
    func curlKeys() async throws {
        let a = start("it's")
        let r = try await log([(a, result(a, usd: "0.1"))]).run(id: a.runId)
        #expect(RunExport.curl(r).contains("-H \"Authorization: Bearer $ZAI_API_KEY\""))
        #expect(RunExport.curl(r, key: .environment("MY_KEY")).contains("Bearer $MY_KEY\""))
        #expect(RunExport.curl(r, key: .environment("a;rm -rf")).contains("Bearer $(printenv 'a;rm -rf')\""))
        #expect(RunExport.curl(r, key: .command(["/bin/sh", "-c", "pass show x"])).contains("Bearer $('/bin/sh' '-c' 'pass show x' | head -n 1)\""))
        #expect(!RunExport.curl(r, key: .none).contains("Authorization"))
        let config = try WorkbenchConfig.parse("""
            providers:
              gw: {base_url: "http://h/v1", api_key_env: GW_KEY}
              open: {base_url: "http://h/v1"}
            """, file: "c.yaml")
        #expect(RunExport.KeySource.forProvider("gw", config: config) == .environment("GW_KEY"))
        #expect(RunExport.KeySource.forProvider("open", config: config) == .none)
        #expect(RunExport.KeySource.forProvider("zai", config: config) == .environment("ZAI_API_KEY"))
        #expect(RunExport.KeySource.forProvider("sim", config: config) == .none)
    }
}
