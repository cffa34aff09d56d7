import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Runs, tokens and dollars per day, model, template or provider.",
            discussion: """
                Dollars are exact sums of each run's logged cost. Runs without a price are counted \
                apart ("+ N runs with unknown price"), never as $0; "est." counts runs whose usage \
                was estimated because the provider reported none. Days are UTC.
                """)
        @OptionGroup var options: LogOptions
        @Option(help: "Group by day, model, template or provider.") var by: String = "model"
        @Option(help: "Only runs started on or after this UTC day (YYYY-MM-DD).") var since: String?
        @Flag(help: "Print one JSON object: {by, since, groups: [...], total}.") var json = false

        func validate() throws {
            if RunStats.Grouping(rawValue: by) == nil {
                throw ValidationError("--by must be one of: \(RunStats.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let since, RunStats.parseDay(since) == nil { throw ValidationError("--since must be a day such as 2026-11-20") }
        }

        func run() throws {
            let grouping = RunStats.Grouping(rawValue: by)!
            let stats: RunStats
            do { stats = try options.open().stats(by: grouping, since: since.flatMap(RunStats.parseDay)) }
            catch let e as RunLog.StatsError { throw CLIFailure.api(e.description) }
            if json {
                Console.json(stats.json)
                return
            }
            Console.print(Self.table(stats), terminator: "")
        }

        static func table(_ s: RunStats) -> String {
            let header = [s.by.rawValue, "runs", "prompt tok", "completion tok", "cost", "would cost", "est."]
            func cells(_ g: RunStats.Group) -> [String] {
                [g.key, "\(g.runs)", g.promptTokensLabel, g.completionTokensLabel, g.costLabel,
                 g.wouldCostUSD == 0 ? "-" : Cost.format(g.wouldCostUSD), "\(g.estimatedRuns)"]
            }
            let rows = [header] + s.groups.map(cells) + [cells(s.total)]
            func note(_ g: RunStats.Group) -> String? {
                let parts = [g.unknownPriceNote, g.invalidNote].compactMap { $0 }
                return parts.isEmpty ? nil : parts.joined(separator: "  ")
            }
            let notes = [nil] + s.groups.map(note) + [note(s.total)]
            let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
            var out = ""
            if let since = s.since { out += "runs since \(RunStats.utcDay(since)) (UTC)\n" }
            if s.total.runs == 0 { return out + "no runs\n" }
            for (i, row) in rows.enumerated() {
                if i == rows.count - 1 { out += String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n" }
                let line = row.enumerated().map { c, text in
                    let pad = String(repeating: " ", count: widths[c] - text.count)
                    return c == 0 ? text + pad : pad + text
                }.joined(separator: "  ")
                out += line + (notes[i].map { "  " + $0 } ?? "") + "\n"
            }
            if s.total.estimatedRuns > 0 { out += "est.: runs whose token counts were estimated (the provider reported no usage)\n" }
            if s.total.unknownPriceRuns > 0 { out += "unknown price: no price for that provider/model (add one under prices: in the config); not counted in cost\n" }
            if s.total.tokensOverflowed { out += "overflow: a token sum passed \(Int.max); the log holds impossible counts\n" }
            if s.total.invalidRuns > 0 { out += "invalid usage: runs logged with negative or non-integer counts or dollars; left out of every sum\n" }
            if s.total.wouldCostUSD > 0 { out += "would cost: what the free providers' runs would cost at GLM rates\n" }
            return out
        }
    }
}
