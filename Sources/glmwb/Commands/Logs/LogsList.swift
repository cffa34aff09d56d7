import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The newest runs, one line each.")
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
}
