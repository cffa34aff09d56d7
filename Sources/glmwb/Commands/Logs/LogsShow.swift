import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One run: request, reply, usage, cost, timings and its raw events.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Run id or a unique prefix of it.") var id: String
        @Flag(help: "Print the run record as JSON.") var json = false
        @Flag(help: "Also list every raw stream payload with its offset.") var events = false

        /// What it prints is `RunShow`'s: counts from the run's row, events only with --events,
        /// each written as it is read.
        func run() throws {
            let log = try options.open()
            let r: RunRecord
            do { r = try log.run(id: id) } catch let e as RunLog.LookupError { throw CLIFailure.usage(e.description) }
            try RunShow.write(r, log: log, json: json, events: events, to: Console.out)
        }
    }
}
