import Foundation
import WorkbenchCore

/// Prints run events for a terminal or a pipe: text to stdout as it arrives, tool calls and the
/// summary to stderr; with `--json`, only the final record on stdout.
final class HeadlessPrinter {
    let json: Bool
    /// Every run this printer saw, in order (the steps of a tool loop).
    private(set) var runIds: [String] = []
    private(set) var loopEnd: ToolLoopEnd?
    private var out = ""
    private var endedWithNewline = true

    init(json: Bool) { self.json = json }

    /// Prints a run's events as they arrive; returns its result.
    func consume(_ events: AsyncStream<[RunEvent]>) async -> RunResult? {
        var result: RunResult?
        for await batch in events {
            for event in batch {
                show(event)
                if let r = event.result { result = r }
            }
            flush()
        }
        return result
    }

    /// The closing output, from the logged record (the same object `logs show --json` prints).
    func finish(_ result: RunResult, log: RunLog) throws {
        var record = try log.run(id: result.runId)
        // Only if the log could not write the end of the run: show what happened regardless.
        if record.status == .running { record.apply(result) }
        guard json, runIds.count > 1 || loopEnd != nil else { return finish(record) }
        // A tool loop: the last step's record, plus every step with its tool results.
        var top = RunRecordJSON.object(record).objectValue ?? [:]
        var steps: [JSONValue] = []
        for id in runIds {
            guard let r = try? log.run(id: id) else { continue }
            var o = RunRecordJSON.object(r).objectValue ?? [:]
            o["tool_results"] = JSONValue.parse(WireJSON.string((try? log.toolOutcomes(runId: id)) ?? [])) ?? .array([])
            steps.append(.object(o))
        }
        top["steps"] = .array(steps)
        top["loop"] = .string(loopEnd?.summary ?? "")
        FileHandle.standardOutput.write(Data((JSONValue.object(top).prettyText + "\n").utf8))
    }

    func show(_ event: RunEvent) {
        if case .started(let s) = event { runIds.append(s.runId) }
        if case .loopEnded(let e) = event { loopEnd = e }
        guard !json else { return }
        switch event {
        case .delta(let t):
            out += t
            endedWithNewline = t.hasSuffix("\n")
        case .toolCall(let call):
            if call.name != nil { err("tool call #\(call.index) \(call.name ?? "?")(\(call.arguments)) id=\(call.id ?? "-")") }
        case .webSearch(let results):
            err("web search: \(results.count) result(s)")
        case .toolOutcomes(_, let outcomes):
            flush()
            if !endedWithNewline { FileHandle.standardOutput.write(Data("\n".utf8)); endedWithNewline = true }
            for o in outcomes {
                err(o.line + ": " + String(o.result.replacingOccurrences(of: "\n", with: " ").prefix(200)))
                for v in o.validationErrors { err("  ✖ \(v)") }
                if let st = o.stderr, !st.isEmpty { err("  stderr: " + String(st.replacingOccurrences(of: "\n", with: " ⏎ ").prefix(200))) }
                if let n = o.note { err("  note: \(n)") }
            }
        case .loopEnded(let end):
            err(end.summary)
        default:
            break
        }
    }

    func flush() {
        guard !out.isEmpty else { return }
        FileHandle.standardOutput.write(Data(out.utf8))
        out = ""
    }

    func finish(_ record: RunRecord) {
        if json {
            FileHandle.standardOutput.write(Data((RunRecordJSON.object(record).prettyText + "\n").utf8))
        } else {
            flush()
            if !endedWithNewline { FileHandle.standardOutput.write(Data("\n".utf8)) }
            if let e = record.error { err(e.summary) }
            err(RunSummary.line(record))
        }
    }

    private func err(_ s: String) {
        FileHandle.standardError.write(Data(("[glmwb] " + s + "\n").utf8))
    }
}
