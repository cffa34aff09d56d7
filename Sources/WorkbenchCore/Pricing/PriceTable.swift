import Foundation

/// One dated price. Prices change; every cost shown carries the entry it came from.
public struct PriceEntry: Sendable, Codable, Equatable {
    /// Provider name this price applies to; nil for any provider serving the model.
    public var provider: String?
    /// Model id; a trailing `*` matches any suffix.
    public var model: String
    public var inputPerMillion: Decimal
    /// The rate of prompt tokens the server served from its cache (`cached_tokens`, part of
    /// `prompt_tokens`); nil when none is published: cached tokens are then charged as input.
    public var cachedInputPerMillion: Decimal?
    public var outputPerMillion: Decimal
    public var webSearchPerUse: Decimal?
    /// The day the price was read or set (YYYY-MM-DD).
    public var asOf: String
    public var source: String

    public init(
        provider: String? = nil, model: String, inputPerMillion: Decimal, cachedInputPerMillion: Decimal? = nil,
        outputPerMillion: Decimal, webSearchPerUse: Decimal? = nil, asOf: String, source: String
    ) {
        self.provider = provider
        self.model = model
        self.inputPerMillion = inputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.outputPerMillion = outputPerMillion
        self.webSearchPerUse = webSearchPerUse
        self.asOf = asOf
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, inputPerMillion = "input_per_million", outputPerMillion = "output_per_million"
        case cachedInputPerMillion = "cached_input_per_million"
        case webSearchPerUse = "web_search_per_use", asOf = "as_of", source
    }

    /// Every rate $0: a model Z.AI gives away (the Flash ones), labelled "free", not "unknown".
    public var isFree: Bool {
        inputPerMillion == 0 && outputPerMillion == 0 && (cachedInputPerMillion ?? 0) == 0
    }

    func matches(model m: String) -> Bool {
        if model.hasSuffix("*") { return m.lowercased().hasPrefix(model.dropLast().lowercased()) }
        return model.caseInsensitiveCompare(m) == .orderedSame
    }
}

/// The money side of a run. `usd == nil` means the price is unknown: it is shown as "unknown",
/// never as $0.00. Free providers (local, sim) cost 0 and say what the run would cost at GLM rates.
public struct Cost: Sendable, Codable, Equatable {
    public var usd: Decimal?
    public var wouldCostUSD: Decimal?
    public var price: PriceEntry?
    /// Whether the token counts behind the number were reported or estimated.
    public var basis: UsageSource
    public var webSearchUses: Int
    /// The searches were counted from the request (an enabled web_search tool whose results were
    /// not returned), not confirmed by results coming back (`WebSearchCount`).
    public var webSearchCountedFromRequest = false

    public static func unknown(basis: UsageSource) -> Cost {
        Cost(usd: nil, wouldCostUSD: nil, price: nil, basis: basis, webSearchUses: 0)
    }

    public var label: String {
        if basis == .notBilled { return "$0 · not billed (no answer)" }
        guard let usd else { return "cost unknown" }
        var s = Cost.format(usd)
        if basis == .estimated { s += " est." }
        if wouldCostUSD == nil, price?.isFree == true { s += " (free model)" }
        if let w = wouldCostUSD { s += " (would cost \(Cost.format(w)) at GLM rates)" }
        if webSearchUses > 0 {
            s += " incl. \(webSearchUses) web search\(webSearchUses == 1 ? "" : "es")"
            if webSearchCountedFromRequest { s += " (counted from the request: results not returned)" }
        }
        return s
    }

    /// Dollars with enough digits that a one-token run is not rounded to zero.
    public static func format(_ d: Decimal) -> String {
        let v = NSDecimalNumber(decimal: d).doubleValue
        if v == 0 { return "$0" }
        if v >= 0.01 { return String(format: "$%.4f", v) }
        return String(format: "$%.8f", v).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}

public struct PriceTable: Sendable, Equatable {
    public var entries: [PriceEntry]

    public init(entries: [PriceEntry]) { self.entries = entries }

    /// The published price of the model this workbench is built for (zai-api.md §6), from the
    /// model table. Z.AI's prices apply to the `zai` provider only: another endpoint serving a
    /// model of the same name charges what it charges, which is unknown unless the config says.
    public static let glm4_32b = ModelTable.spec(for: Provider.glmModel)!.price!

    /// Every priced row of the model table (`ModelTable`); a model without one costs "unknown".
    public static let builtIn = PriceTable(entries: ModelTable.models.compactMap(\.price))

    /// Config entries are consulted first, so an override replaces the built-in price.
    public func overridden(by overrides: [PriceEntry]) -> PriceTable {
        PriceTable(entries: overrides + entries)
    }

    public func lookup(provider: String, model: String) -> PriceEntry? {
        entries.first { ($0.provider == nil || $0.provider == provider) && $0.matches(model: model) }
    }

    public func cost(usage: Usage, basis: UsageSource, provider: Provider, model: String, webSearchUses: Int) -> Cost {
        cost(usage: usage, basis: basis, providerName: provider.name, free: provider.free, model: model, webSearchUses: webSearchUses)
    }

    public func cost(usage: Usage, basis: UsageSource, providerName: String, free: Bool, model: String, webSearchUses: Int) -> Cost {
        if basis == .notBilled {
            let entry = free ? (lookup(provider: "zai", model: Self.glm4_32b.model) ?? Self.glm4_32b) : lookup(provider: providerName, model: model)
            return Cost(usd: 0, wouldCostUSD: free ? 0 : nil, price: entry, basis: .notBilled, webSearchUses: 0)
        }
        if free {
            let glm = lookup(provider: "zai", model: Self.glm4_32b.model) ?? Self.glm4_32b
            return Cost(usd: 0, wouldCostUSD: Self.price(usage, glm, webSearchUses), price: glm, basis: basis, webSearchUses: webSearchUses)
        }
        guard let entry = lookup(provider: providerName, model: model) else { return .unknown(basis: basis) }
        return Cost(usd: Self.price(usage, entry, webSearchUses), wouldCostUSD: nil, price: entry, basis: basis, webSearchUses: webSearchUses)
    }

    static func price(_ u: Usage, _ e: PriceEntry, _ searches: Int) -> Decimal {
        let million = Decimal(1_000_000)
        // Counts are validated (0…10¹²) where they are read; Decimal arithmetic never traps.
        // Cached tokens are part of prompt_tokens: charged once, at the cached rate.
        let cached = min(max(0, u.cachedTokens ?? 0), u.promptTokens)
        var total = Decimal(u.promptTokens - cached) * e.inputPerMillion / million
        total += Decimal(cached) * (e.cachedInputPerMillion ?? e.inputPerMillion) / million
        total += Decimal(u.completionTokens) * e.outputPerMillion / million
        total += Decimal(searches) * (e.webSearchPerUse ?? 0)
        return total
    }
}
