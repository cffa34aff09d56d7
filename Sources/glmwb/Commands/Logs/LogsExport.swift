import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
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
}
