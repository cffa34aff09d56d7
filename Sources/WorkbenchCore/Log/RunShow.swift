import Foundation

/// What `glmwb logs show` prints for one run, written piece by piece to `write` as it is read.
///
/// It reads what it shows: the run's row (its event counts included), its tool results, and the
/// raw payloads only when `events` asks for them — then one row at a time through a cursor, each
/// written before the next is read, so a run of millions of events is printed in the memory of a
/// small one. The counts come from the run's row (`RunLog.run(id:)` reads a running run's from
/// its tally row).
public enum RunShow {
    /// `r` as `RunLog.run(id:)` read it.
    public static func write(_ r: RunRecord, log: RunLog, json: Bool, events: Bool, to write: (String) -> Void) throws {
        let tools = try log.toolOutcomes(runId: r.id)
        if json {
            try writeJSON(r, tools: tools, log: log, events: events, to: write)
        } else {
            try writeMarkdown(r, tools: tools, log: log, events: events, to: write)
        }
    }

    private static func writeJSON(
        _ r: RunRecord, tools: [ToolOutcome], log: RunLog, events: Bool, to write: (String) -> Void
    ) throws {
        var obj = RunRecordJSON.object(r)
        if case .object(var o) = obj, !tools.isEmpty {
            o["tool_results"] = JSONValue.parse(WireJSON.string(tools)) ?? .array([])
            obj = .object(o)
        }
        guard events, case .object(let o) = obj else {
            write(obj.prettyText + "\n")
            return
        }
        // The events are streamed into the object's last key, one row at a time, so a run of a
        // million events never sits in memory as one array.
        var head = JSONValue.object(o).prettyText
        guard head.hasSuffix("}") else {
            write(head + "\n")
            return
        }
        head.removeLast()
        while head.last?.isWhitespace == true { head.removeLast() }
        write(head + ",\n  \"events\": [")
        var first = true
        try log.forEachEvent(runId: r.id) { e in
            let item = JSONValue.object([
                "seq": .number(Double(e.seq)), "offset_ms": .number(Double(e.offsetUs) / 1000), "data": .string(e.data),
            ])
            write((first ? "\n    " : ",\n    ") + item.canonicalText)
            first = false
        }
        write(first ? "]\n}\n" : "\n  ]\n}\n")
    }

    private static func writeMarkdown(
        _ r: RunRecord, tools: [ToolOutcome], log: RunLog, events: Bool, to write: (String) -> Void
    ) throws {
        write(RunExport.markdown([r]))
        if !tools.isEmpty {
            write("### tool results\n\n")
            for o in tools {
                write("- " + o.line + " (\(o.executor))" + (o.edited ? " — edited" : "") + "\n")
                for v in o.validationErrors { write("  - ✖ " + v + "\n") }
                write("  - result: `" + o.result.replacingOccurrences(of: "\n", with: " ") + "`\n")
                if let e = o.stderr, !e.isEmpty {
                    write("  - stderr: `" + e.replacingOccurrences(of: "\n", with: " ⏎ ") + "`\n")
                }
            }
            write("\n")
        }
        if let p = r.parentRunId { write("(a later step of the tool loop started by run \(p))\n\n") }
        write("### request JSON\n\n" + (JSONValue.parse(r.requestJson)?.prettyText ?? r.requestJson) + "\n\n")
        // A log written before the counts existed, opened read-only, counts with one aggregate.
        let count = try r.eventCount ?? log.countedEvents(runId: r.id)
        write("### events: \(count)\n")
        if let note = EventTally(r).droppedNote { write(note + "\n") }
        guard events else { return }
        try log.forEachEvent(runId: r.id) { e in
            write(String(format: "%10.1f ms  #%d  ", Double(e.offsetUs) / 1000, e.seq) + e.data + "\n")
        }
    }
}
