import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
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
}
