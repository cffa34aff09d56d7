import Foundation
import Testing

@testable import WorkbenchCore

/// Web search as Z.AI bills it — per search performed, whether or not the results come back —
/// and its engines as each region offers them.
@Suite("Web search: counted per search, engines by region")
struct WebSearchBillingTests {
    func request(_ options: [String: JSONValue]?) -> ChatRequest {
        var r = ChatRequest(model: "glm-4-32b-0414-128k", messages: [.user("news?")])
        if let options { r.tools = [ToolSpec(type: "web_search", webSearch: .object(options))] }
        return r
    }

    @Test(
        "results returned: one search, reported; search_result false: still one, counted from the request; disabled or unanswered: none"
    )
    func counted() {
        let on = request(["enable": .bool(true), "search_result": .bool(false)])
        #expect(WebSearchCount.performed(request: on, resultsReturned: true, answered: true) == (1, .reported))
        #expect(WebSearchCount.performed(request: on, resultsReturned: false, answered: true) == (1, .estimated))
        #expect(
            WebSearchCount.performed(request: on, resultsReturned: false, answered: false).count == 0,
            "no answer: not billed")
        let off = request(["enable": .bool(false)])
        #expect(WebSearchCount.performed(request: off, resultsReturned: false, answered: true).count == 0)
        #expect(WebSearchCount.performed(request: request(nil), resultsReturned: false, answered: true).count == 0)
    }

    @Test("a search counted from the request is priced and labelled so; with results it is priced without the note")
    func priced() {
        let prices = PriceTable.builtIn
        let u = Usage(promptTokens: 0, completionTokens: 0)
        var c = prices.cost(
            usage: u, basis: .reported, providerName: "zai", free: false, model: "glm-4-32b-0414-128k", webSearchUses: 1
        )
        #expect(c.usd == Decimal(string: "0.01"))
        c.webSearchCountedFromRequest = true
        #expect(c.label.contains("incl. 1 web search (counted from the request: results not returned)"))
        c.webSearchCountedFromRequest = false
        #expect(c.label.hasSuffix("incl. 1 web search"))
    }

    @Test(
        "the engine: the region's default when none is named; another region's engine is refused with the ones it takes"
    )
    func engines() {
        var intl = request(["enable": .bool(true)])
        #expect(intl.settleSearchEngines(region: .intl).isEmpty)
        #expect(intl.tools?.first?.webSearch?["search_engine"] == .string("search_pro_jina"))
        var cn = request(["enable": .bool(true)])
        #expect(cn.settleSearchEngines(region: .cn).isEmpty)
        #expect(cn.tools?.first?.webSearch?["search_engine"] == .string("search_std"))
        var wrong = request(["enable": .bool(true), "search_engine": .string("search_pro_sogou")])
        let problems = wrong.settleSearchEngines(region: .intl)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("not offered on api.z.ai; use search_pro_jina") == true)
        var quark = request(["enable": .bool(true), "search_engine": .string("search_pro_quark")])
        #expect(quark.settleSearchEngines(region: .cn).isEmpty)
        var elsewhere = request(["enable": .bool(true), "search_engine": .string("anything")])
        #expect(elsewhere.settleSearchEngines(region: nil).isEmpty, "other servers are not checked")
        #expect(WebSearchEngines.region(of: URL(string: "https://open.bigmodel.cn/api/paas/v4")!) == .cn)
        #expect(WebSearchEngines.region(of: URL(string: "https://api.z.ai/api/paas/v4")!) == .intl)
        #expect(WebSearchEngines.region(of: URL(string: "http://127.0.0.1:9/v1")!) == nil)
    }
}
