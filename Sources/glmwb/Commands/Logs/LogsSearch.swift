import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Full-text search over prompts, replies and system prompts, with a snippet around each match.",
            discussion: "Under each run, one line per field that matched (prompt, reply, system prompt): the text around the first match, the match marked «like this», line breaks shown as ⏎ and control characters as ␛, ␇, ….")
        @OptionGroup var options: LogOptions
        @Argument(help: "Words to find (all must match; prefixes match).") var text: String
        @Option(help: "How many runs.") var limit = 20
        @Option(help: "Characters of context either side of a match.") var context = 40
        @Flag(help: "Print a JSON array of run records, each with its matches (field, before, text, after).") var json = false

        func validate() throws {
            guard (0...10_000).contains(context) else { throw ValidationError("--context must be between 0 and 10000") }
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let hits = try options.open().searchHits(text, limit: limit, context: context)
            if json {
                Console.json(
                    JSONValue.array(
                        hits.map { hit in
                            var o = RunRecordJSON.object(hit.run).objectValue ?? [:]
                            o["matches"] = .array(
                                hit.matches.map {
                                    .object([
                                        "field": .string($0.field.rawValue), "before": .string($0.before),
                                        "text": .string($0.text), "after": .string($0.after),
                                    ])
                                })
                            return .object(o)
                        }))
                return
            }
            if hits.isEmpty { Console.print("no runs"); return }
            let width = hits.flatMap(\.matches).map(\.field.rawValue.count).max() ?? 0
            for hit in hits {
                printRuns([hit.run], json: false)
                for m in hit.matches {
                    Console.print("    " + (m.field.rawValue + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + m.marked)
                }
            }
        }
    }
}
