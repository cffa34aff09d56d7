import Foundation
import GRDB

/// What the log's runs used and cost, grouped by day, model, template or provider
/// (`glmwb logs stats`).
///
/// Dollars are summed as exact `Decimal`s from the stored decimal text, never as `Double`s. A run
/// whose price is unknown (`cost_usd` NULL) is counted apart in `unknownPriceRuns`, never as $0;
/// a run whose token counts were estimated rather than reported is counted in `estimatedRuns`.
public struct RunStats: Sendable, Equatable {
    public enum Grouping: String, CaseIterable, Sendable {
        case day, model, template, provider
    }

    public struct Group: Sendable, Equatable {
        public var key: String
        public var runs = 0
        public var promptTokens = 0
        public var completionTokens = 0
        /// A token sum passed Int.max: the total is not shown as a number, never trapped on.
        public var tokensOverflowed = false
        /// Sum over the runs with a known price.
        public var costUSD: Decimal = 0
        /// What the free providers' runs would have cost at GLM rates.
        public var wouldCostUSD: Decimal = 0
        /// Runs whose usage was estimated (the provider reported none).
        public var estimatedRuns = 0
        /// Runs with no price (cost_usd NULL): not included in `costUSD`.
        public var unknownPriceRuns = 0
        /// Runs whose stored counts or dollars are impossible (negative, not whole numbers):
        /// counted as runs, left out of every sum.
        public var invalidRuns = 0

        public init(key: String) { self.key = key }

        mutating func add(_ r: Row) {
            runs += 1
            guard r.valid else {
                invalidRuns += 1
                return
            }
            let p = promptTokens.addingReportingOverflow(r.promptTokens)
            let c = completionTokens.addingReportingOverflow(r.completionTokens)
            if p.overflow || c.overflow { tokensOverflowed = true }
            promptTokens = p.overflow ? Int.max : p.partialValue
            completionTokens = c.overflow ? Int.max : c.partialValue
            if let c = r.cost { costUSD += c } else { unknownPriceRuns += 1 }
            if let w = r.wouldCost { wouldCostUSD += w }
            if r.estimated { estimatedRuns += 1 }
        }

        /// Token sums as shown: the number, or "overflow" once a sum passed Int.max.
        public var promptTokensLabel: String { tokensOverflowed ? "overflow" : "\(promptTokens)" }
        public var completionTokensLabel: String { tokensOverflowed ? "overflow" : "\(completionTokens)" }

        /// "+ N runs with invalid usage (not counted)", or nil.
        public var invalidNote: String? {
            guard invalidRuns > 0 else { return nil }
            return "+ \(invalidRuns) run\(invalidRuns == 1 ? "" : "s") with invalid usage (not counted)"
        }

        /// Cost as shown in the table: the known sum, or "unknown" when no run had a price.
        public var costLabel: String {
            if runs > 0, unknownPriceRuns + invalidRuns == runs, unknownPriceRuns > 0 { return "unknown" }
            return Cost.format(costUSD)
        }

        /// "+ N runs with unknown price", or nil when every run had a price.
        public var unknownPriceNote: String? {
            guard unknownPriceRuns > 0 else { return nil }
            return "+ \(unknownPriceRuns) run\(unknownPriceRuns == 1 ? "" : "s") with unknown price"
        }

        public var json: JSONValue {
            .object([
                "runs": .number(Double(runs)),
                "prompt_tokens": tokensOverflowed ? .null : .number(Double(promptTokens)),
                "completion_tokens": tokensOverflowed ? .null : .number(Double(completionTokens)),
                "tokens_overflowed": .bool(tokensOverflowed),
                "invalid_runs": .number(Double(invalidRuns)),
                "cost_usd": .string(RunStats.decimalText(costUSD)),
                "would_cost_usd": .string(RunStats.decimalText(wouldCostUSD)),
                "estimated_runs": .number(Double(estimatedRuns)),
                "unknown_price_runs": .number(Double(unknownPriceRuns)),
            ])
        }
    }

    /// The columns one run contributes.
    struct Row {
        var startedAt: Date
        var provider: String
        var model: String
        var template: String?
        var promptTokens: Int
        var completionTokens: Int
        var estimated: Bool
        var cost: Decimal?
        var wouldCost: Decimal?
        /// False when a count or a dollar amount is negative or not a whole number of tokens.
        var valid = true
    }

    public var by: Grouping
    /// Only runs started on or after this instant (UTC midnight of `--since`).
    public var since: Date?
    public var groups: [Group]
    public var total: Group

    public static let noTemplate = "(none)"

    init(by: Grouping, since: Date?, rows: [Row]) {
        self.by = by
        self.since = since
        var byKey: [String: Group] = [:]
        var total = Group(key: "total")
        for r in rows {
            let key = Self.key(r, by)
            byKey[key, default: Group(key: key)].add(r)
            total.add(r)
        }
        groups = byKey.values.sorted { $0.key < $1.key }
        self.total = total
    }

    static func key(_ r: Row, _ by: Grouping) -> String {
        switch by {
        case .day: return utcDay(r.startedAt)
        case .model: return r.model
        case .template: return r.template ?? noTemplate
        case .provider: return r.provider
        }
    }

    /// `YYYY-MM-DD` of an instant, in UTC.
    public static func utcDay(_ d: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// UTC midnight of a `YYYY-MM-DD` day, or nil when the text is not such a day.
    public static func parseDay(_ s: String) -> Date? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let comps = DateComponents(year: y, month: m, day: d)
        guard let date = utcCalendar.date(from: comps), utcDay(date) == s else { return nil }
        return date
    }

    private static var utcCalendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    /// A decimal as plain text ("0.0000123"), exact, never in exponent form.
    public static func decimalText(_ d: Decimal) -> String {
        NSDecimalNumber(decimal: d).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }

    /// `{by, since, groups: [{key, runs, …}], total: {…}}`; dollars as decimal strings.
    public var json: JSONValue {
        .object([
            "by": .string(by.rawValue),
            "since": since.map { .string(Self.utcDay($0)) } ?? .null,
            "groups": .array(groups.map { g in
                guard case .object(var o) = g.json else { return g.json }
                o["key"] = .string(g.key)
                return .object(o)
            }),
            "total": total.json,
        ])
    }
}

extension RunLog {
    /// Runs, tokens and dollars per group. Every run in the log counts, whatever its status;
    /// `since` keeps runs started at or after that instant.
    public func stats(by: RunStats.Grouping, since: Date? = nil) throws -> RunStats {
        // Dates are decoded by GRDB (however it stored them) and filtered and grouped here, so
        // the day boundaries are UTC whatever the column's storage class.
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT started_at, provider, model, template_name, prompt_tokens, completion_tokens,
                       usage_source, cost_usd, would_cost_usd
                FROM runs
                """).map { row -> RunStats.Row in
                let cost: String? = row["cost_usd"]
                let would: String? = row["would_cost_usd"]
                let source: String? = row["usage_source"]
                // Counts are read as whatever SQLite holds, never forced into Int (a REAL or TEXT
                // written by another tool would trap GRDB's conversion).
                let prompt = Self.count(row["prompt_tokens"]), completion = Self.count(row["completion_tokens"])
                let costValue = try cost.map { try Self.decimal($0) }, wouldValue = try would.map { try Self.decimal($0) }
                let valid = prompt != nil && completion != nil && (costValue ?? 0) >= 0 && (wouldValue ?? 0) >= 0
                return RunStats.Row(
                    startedAt: row["started_at"], provider: row["provider"], model: row["model"],
                    template: row["template_name"], promptTokens: prompt ?? 0,
                    completionTokens: completion ?? 0, estimated: source == UsageSource.estimated.rawValue,
                    cost: costValue, wouldCost: wouldValue, valid: valid)
            }
        }
        return RunStats(by: by, since: since, rows: since.map { s in rows.filter { $0.startedAt >= s } } ?? rows)
    }

    public struct StatsError: Error, CustomStringConvertible {
        public var text: String
        public var description: String { "the run log holds a cost that is not a decimal number: '\(text)'" }
    }

    /// A stored token count: NULL is 0 (no usage recorded); a negative, fractional or non-numeric
    /// value is nil (invalid).
    static func count(_ v: DatabaseValue) -> Int? {
        switch v.storage {
        case .null: return 0
        case .int64(let i): return i >= 0 ? Int(i) : nil
        case .double(let d): return d >= 0 ? Int(exactly: d) : nil
        case .string, .blob: return nil
        }
    }

    /// Stored dollars are decimal text; anything else is an error, not a silent $0.
    static func decimal(_ s: String) throws -> Decimal {
        guard let d = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else { throw StatsError(text: s) }
        return d
    }
}
