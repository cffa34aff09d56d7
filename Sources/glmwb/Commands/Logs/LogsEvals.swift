import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    /// `glmwb logs evals`: the evaluations in the log, newest first; `glmwb eval show ID`
    /// prints one again.
    struct Evals: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evals", abstract: "Evaluations (glmwb eval), newest first; `glmwb eval show ID` prints one.")
        @OptionGroup var options: LogOptions
        @Option(help: "How many to list.") var limit = 50
        @Flag(help: "A JSON array.") var json = false

        func run() throws {
            guard (1...100_000).contains(limit) else { throw CLIFailure.usage("--limit must be between 1 and 100000") }
            let list = try options.open().evals(limit: limit)
            if json {
                Console.json(
                    JSONValue.array(
                        list.map { e in
                            .object([
                                "id": .string(e.id), "template": .string(e.template),
                                "started_at": .string(LogDate.iso8601(e.startedAt)),
                                "exit_status": .number(Double(e.exitStatus)),
                                "summary": JSONValue.parse(e.summary) ?? .null,
                            ])
                        }
                    ))
                return
            }
            if list.isEmpty { Console.print("no evaluations"); return }
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm:ss"
            for e in list {
                let variants = (JSONValue.parse(e.summary)?.arrayValue ?? []).map { s in
                    "\(s["variant"]?.stringValue ?? "?"): \(Int(s["passed"]?.numberValue ?? 0)) passed, \(Int(s["failed"]?.numberValue ?? 0)) failed, $\(s["cost_usd"]?.stringValue ?? "?")"
                }
                Console.print(TerminalText.visible("\(e.id)  \(f.string(from: e.startedAt))  \(e.template)  exit \(e.exitStatus)  " + variants.joined(separator: " · ")))
            }
        }
    }
}
