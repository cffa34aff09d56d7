import ArgumentParser
import Foundation
import WorkbenchCore

/// `glmwb logs`: list, show, search and export the run log.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "List, show, search, total and export logged runs.",
        subcommands: [List.self, Show.self, Search.self, Stats.self, Comparisons.self, Export.self, Path.self],
        defaultSubcommand: List.self)

    struct LogOptions: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "Where the run log lives (default: $XDG_DATA_HOME/glmwb).")
        var dataDir: String?

        @Option(help: "Config file (default: $XDG_CONFIG_HOME/glmwb/config.yaml); read for data_dir and, by the curl export, a named provider's key variable.")
        var config: String?

        @Flag(help: "On a terminal, print control characters from logged replies as they are (by default they are shown as ␛, ␇, …).")
        var raw = false

        /// The config, or an empty one when it is missing or broken (reading the log needs none).
        func loadConfig() -> WorkbenchConfig {
            let env = ProcessInfo.processInfo.environment
            return (try? WorkbenchConfig.load(path: config ?? WorkbenchConfig.defaultPath(environment: env))) ?? WorkbenchConfig()
        }

        func open() throws -> RunLog {
            Console.raw = raw
            let env = ProcessInfo.processInfo.environment
            let config = loadConfig()
            let dir = RunLog.dataDir(flag: dataDir, config: config, environment: env)
            // Reading never needs to write: a log on a read-only mount or in someone else's
            // folder is opened read-only.
            do { return try RunLog(readingDataDir: dir) } catch { throw CLIFailure.usage("\(error)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest runs, one line each.")
        @OptionGroup var options: LogOptions
        @Option(help: "How many runs.") var limit = 20
        @Option(help: "Only runs of this conversation.") var conversation: String?
        @Flag(help: "Print a JSON array of run records.") var json = false

        func run() throws {
            let log = try options.open()
            let runs = try log.runs(limit: limit, conversationId: conversation)
            printRuns(runs, json: json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run: request, reply, usage, cost, timings and its raw events.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Run id or a unique prefix of it.") var id: String
        @Flag(help: "Print the run record as JSON.") var json = false
        @Flag(help: "Also list every raw stream payload with its offset.") var events = false

        func run() throws {
            let log = try options.open()
            let r: RunRecord
            do { r = try log.run(id: id) } catch let e as RunLog.LookupError { throw CLIFailure.usage(e.description) }
            let tools = try log.toolOutcomes(runId: r.id)
            if json {
                var obj = RunRecordJSON.object(r)
                if case .object(var o) = obj, !tools.isEmpty {
                    o["tool_results"] = JSONValue.parse(WireJSON.string(tools)) ?? .array([])
                    obj = .object(o)
                }
                guard events, case .object(let o) = obj else {
                    Console.print(obj.prettyText)
                    return
                }
                // The events are streamed into the object's last key, one row at a time, so a
                // run of a million events never sits in memory as one array.
                var head = JSONValue.object(o).prettyText
                guard head.hasSuffix("}") else { Console.print(head); return }
                head.removeLast()
                while head.last?.isWhitespace == true { head.removeLast() }
                Console.print(head + ",\n  \"events\": [", terminator: "")
                var first = true
                try log.forEachEvent(runId: r.id) { e in
                    let item = JSONValue.object(["seq": .number(Double(e.seq)), "offset_ms": .number(Double(e.offsetUs) / 1000), "data": .string(e.data)])
                    Console.print((first ? "\n    " : ",\n    ") + item.canonicalText, terminator: "")
                    first = false
                }
                Console.print(first ? "]\n}" : "\n  ]\n}")
                return
            }
            Console.print(RunExport.markdown([r]), terminator: "")
            if !tools.isEmpty {
                Console.print("### tool results\n")
                for o in tools {
                    Console.print("- " + o.line + " (\(o.executor))" + (o.edited ? " — edited" : ""))
                    for v in o.validationErrors { Console.print("  - ✖ " + v) }
                    Console.print("  - result: `" + o.result.replacingOccurrences(of: "\n", with: " ") + "`")
                    if let e = o.stderr, !e.isEmpty { Console.print("  - stderr: `" + e.replacingOccurrences(of: "\n", with: " ⏎ ") + "`") }
                }
                Console.print("")
            }
            if let p = r.parentRunId { Console.print("(a later step of the tool loop started by run \(p))\n") }
            Console.print("### request JSON\n\n" + (JSONValue.parse(r.requestJson)?.prettyText ?? r.requestJson) + "\n")
            // The count comes from the run's row: a run of a gigabyte of events is never loaded
            // to print one number.
            let tally = EventTally(r)
            let count = try r.eventCount ?? log.eventCount(runId: r.id)
            Console.print("### events: \(count)")
            if let note = tally.droppedNote { Console.print(note) }
            if events {
                try log.forEachEvent(runId: r.id) { e in
                    Console.print(String(format: "%10.1f ms  #%d  ", Double(e.offsetUs) / 1000, e.seq) + e.data)
                }
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Full-text search over prompts and replies.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Words to find (all must match; prefixes match).") var text: String
        @Option(help: "How many runs.") var limit = 20
        @Flag(help: "Print a JSON array of run records.") var json = false

        func run() throws {
            let runs = try options.open().search(text, limit: limit)
            printRuns(runs, json: json)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export a run, or a whole conversation with --conversation, as JSONL, Markdown or curl.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Run id (or prefix).") var id: String
        @Option(help: "jsonl, md or curl.") var format: String = "jsonl"
        @Flag(help: "Export every run of the run's conversation.") var conversation = false

        func run() throws {
            guard let f = RunExport.Format(rawValue: format) else {
                throw CLIFailure.usage("--format must be one of: jsonl, md, curl")
            }
            let log = try options.open()
            let r: RunRecord
            do { r = try log.run(id: id) } catch let e as RunLog.LookupError { throw CLIFailure.usage(e.description) }
            let runs = conversation ? try log.runs(conversationId: r.conversationId) : [r]
            switch f {
            case .jsonl: Console.print(RunExport.jsonl(runs), terminator: "")
            case .md: Console.print(RunExport.markdown(runs), terminator: "")
            case .curl:
                // The key is named (a variable or the provider's key command), never written.
                let config = options.loadConfig()
                Console.print(runs.map { RunExport.curl($0, key: .forProvider($0.provider, config: config)) }.joined(separator: "\n"), terminator: "")
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
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
                Console.print(stats.json.prettyText)
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

    struct Comparisons: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stream vs non-stream comparisons (glmwb compare, Ctrl-K), newest first.")
        @OptionGroup var options: LogOptions
        @Option(help: "How many to list.") var limit = 50
        @Flag(help: "A JSON array.") var json = false

        func run() throws {
            let list = try options.open().comparisons(limit: limit)
            if json {
                Console.print(JSONValue.array(list.map { c in
                    .object([
                        "id": .string(c.id),
                        "created_at": .string(ISO8601DateFormatter().string(from: c.createdAt)),
                        "conversation_id": .string(c.conversationId),
                        "stream_run_ids": .array(c.streamRunIds.map(JSONValue.string)),
                        "non_stream_run_ids": .array(c.nonStreamRunIds.map(JSONValue.string)),
                        "differences": .array(c.differences.map(JSONValue.string)),
                        "sampling": .bool(c.sampling),
                        "verdict": .string(c.verdict),
                    ])
                }).prettyText)
                return
            }
            if list.isEmpty { Console.print("no comparisons"); return }
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm:ss"
            for c in list {
                let diff = c.differences.isEmpty ? "agree" : "differ: " + c.differences.joined(separator: ", ")
                Console.print("\(c.id)  \(f.string(from: c.createdAt))  stream \(c.streamRunIds.joined(separator: ","))  non-stream \(c.nonStreamRunIds.joined(separator: ","))  \(diff)\(c.sampling ? " (sampling on)" : "")")
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the log database's path.")
        @OptionGroup var options: LogOptions
        func run() throws { Console.print(try options.open().path) }
    }
}

private func printRuns(_ runs: [RunRecord], json: Bool) {
    if json {
        Console.print(JSONValue.array(runs.map(RunRecordJSON.object)).prettyText)
        return
    }
    if runs.isEmpty { Console.print("no runs"); return }
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd HH:mm:ss"
    for r in runs {
        // A templated run is named by its template, which says more than its first words.
        let prompt = (r.templateName.map { "[\($0)] " } ?? "") + r.prompt.replacingOccurrences(of: "\n", with: " ")
        let tokens = "\(r.promptTokens ?? 0)/\(r.completionTokens ?? 0)" + (r.usageSource == .estimated ? "~" : "")
        let cost = r.costUsd.flatMap { Decimal(string: $0) }.map(Cost.format) ?? "?"
        Console.print("\(r.id)  \(f.string(from: r.startedAt))  \(r.provider)/\(r.model)  \(r.mode == .stream ? "S" : "N")  \(r.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(tokens) \(cost)  \(prompt.prefix(50))")
    }
}
