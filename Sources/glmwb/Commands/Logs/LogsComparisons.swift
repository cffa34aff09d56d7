import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    struct Comparisons: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "comparisons",
            abstract: "Stream vs non-stream comparisons (glmwb compare, Ctrl-K), newest first.")
        @OptionGroup var options: LogOptions
        @Option(help: "How many to list.") var limit = 50
        @Flag(help: "A JSON array.") var json = false

        func run() throws {
            let list = try options.open().comparisons(limit: limit)
            if json {
                Console.json(
                    JSONValue.array(
                        list.map { c in
                            .object([
                                "id": .string(c.id),
                                "created_at": .string(LogDate.iso8601(c.createdAt)),
                                "conversation_id": .string(c.conversationId),
                                "stream_run_ids": .array(c.streamRunIds.map(JSONValue.string)),
                                "non_stream_run_ids": .array(c.nonStreamRunIds.map(JSONValue.string)),
                                "differences": .array(c.differences.map(JSONValue.string)),
                                "sampling": .bool(c.sampling),
                                "verdict": .string(c.verdict),
                            ])
                        }
                    ))
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
}
