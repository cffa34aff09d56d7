import Foundation

/// Z.AI's web search engines, by region: the international API (api.z.ai) lists one,
/// `search_pro_jina`; the China region (open.bigmodel.cn) lists its own four (zai-api.md §2, §9 —
/// whether a region accepts the other's engines is not documented, so each region is offered only
/// its own). Other servers that speak the format (GLMSim, proxies) are not checked.
public enum WebSearchEngines {
    public enum Region: String, Sendable, Equatable {
        case intl, cn
    }

    public static let international = ["search_pro_jina"]
    public static let china = ["search_std", "search_pro", "search_pro_sogou", "search_pro_quark"]

    /// The region a base URL belongs to; nil for any other server.
    public static func region(of baseURL: URL) -> Region? {
        switch baseURL.host?.lowercased() {
        case "api.z.ai": return .intl
        case "open.bigmodel.cn": return .cn
        default: return nil
        }
    }

    public static func engines(_ region: Region) -> [String] {
        region == .cn ? china : international
    }

    /// The engine used when a template or the palette names none: the region's first (its
    /// standard one), else Z.AI's international engine.
    public static func defaultEngine(_ region: Region?) -> String {
        region.map { engines($0)[0] } ?? international[0]
    }
}

extension ChatRequest {
    /// Gives every web_search tool without a `search_engine` the region's default, and says which
    /// engines the region does not take (refused before sending, with the ones it does).
    public mutating func settleSearchEngines(region: WebSearchEngines.Region?) -> [String] {
        guard var list = tools else { return [] }
        var problems: [String] = []
        for i in list.indices where list[i].type == "web_search" {
            var o = list[i].webSearch?.objectValue ?? [:]
            guard let engine = o["search_engine"]?.stringValue else {
                o["search_engine"] = .string(WebSearchEngines.defaultEngine(region))
                list[i].webSearch = .object(o)
                continue
            }
            if let region, !WebSearchEngines.engines(region).contains(engine) {
                let host = region == .cn ? "open.bigmodel.cn" : "api.z.ai"
                problems.append(
                    "web_search engine \(engine) is not offered on \(host); use "
                        + WebSearchEngines.engines(region).joined(separator: ", "))
            }
        }
        tools = list
        return problems
    }

    /// Whether a web_search tool is switched on (`enable: true`): Z.AI then searches for this
    /// request, whether or not it returns the results (`search_result`).
    public var searchesTheWeb: Bool {
        (tools ?? []).contains { $0.type == "web_search" && $0.webSearch?["enable"] == .bool(true) }
    }
}
