import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export a run, or a whole conversation with --conversation, as JSONL, Markdown or curl.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Run id (or prefix).") var id: String
        @Option(help: "jsonl, md or curl.") var format: String = "jsonl"
        @Flag(help: "Export every run of the run's conversation.") var conversation = false
        @Option(help: ArgumentHelp("Write to FILE instead of stdout (curl: an executable #!/bin/sh script).", valueName: "FILE"))
        var output: String?

        func run() throws {
            guard let f = RunExport.Format(rawValue: format) else {
                throw CLIFailure.usage("--format must be one of: jsonl, md, curl")
            }
            let log = try options.open()
            let r: RunRecord
            do { r = try log.run(id: id) } catch let e as RunLog.LookupError { throw CLIFailure.usage(e.description) }
            let runs = conversation ? try log.runs(conversationId: r.conversationId) : [r]
            let text: String
            switch f {
            case .jsonl: text = RunExport.jsonl(runs)
            case .md: text = RunExport.markdown(runs)
            case .curl:
                // The key is named (a variable or the provider's key command), never written.
                let config = options.loadConfig()
                if let output {
                    let title = conversation ? "Each request of conversation \(r.conversationId)" : "Run \(r.id)"
                    do { try RunExport.writeScript(RunExport.curlScript(runs, title: title, config: config), to: output) }
                    catch { throw CLIFailure.usage("cannot write \(output): \(error.localizedDescription)") }
                    return
                }
                text = runs.map { RunExport.curl($0, key: .forProvider($0.provider, config: config)) }.joined(separator: "\n")
            }
            guard let output else { return Console.print(text, terminator: "") }
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) }
            catch { throw CLIFailure.usage("cannot write \(output): \(error.localizedDescription)") }
        }
    }
}
