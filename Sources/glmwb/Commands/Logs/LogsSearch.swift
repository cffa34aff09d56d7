import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
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
}
