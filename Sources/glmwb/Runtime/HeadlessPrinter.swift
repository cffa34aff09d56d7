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

    /// The closing output, from the logged record (the same object `logs show --json` prints),
    /// or, when the log could not store the run, from the record built in memory: the reply is
    /// printed either way, then one line says the log failed (the caller exits non-zero).
    func finish(_ result: RunResult, log: RunLog) throws {
        defer { if let f = log.failure { err(f.description) } }
        guard let record = log.record(for: result) else { throw CLIFailure.api("run \(result.runId) is not in the log") }
        guard json, runIds.count > 1 || loopEnd != nil else { return finish(record) }
        // A tool loop: the last step's record, plus every step with its tool results.
        var top = RunRecordJSON.object(record).objectValue ?? [:]
        var steps: [JSONValue] = []
        for id in runIds {
            guard let r = log.record(runId: id) else { continue }
            var o = RunRecordJSON.object(r).objectValue ?? [:]
            o["tool_results"] = JSONValue.parse(WireJSON.string((try? log.toolOutcomes(runId: id)) ?? [])) ?? .array([])
            steps.append(.object(o))
        }
        top["steps"] = .array(steps)
        top["loop"] = .string(loopEnd?.summary ?? "")
        Console.out(JSONValue.object(top).prettyText + "\n")
        if let e = record.error { err(e.summary) }
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
            if !endedWithNewline { Console.out("\n"); endedWithNewline = true }
            for o in outcomes {
                err(o.line + ": " + String(o.result.replacingOccurrences(of: "\n", with: " ").prefix(200)))
                for v in o.validationErrors { err("  ✖ \(v)") }
                if let st = o.stderr, !st.isEmpty { err("  stderr: " + String(st.replacingOccurrences(of: "\n", with: " ⏎ ").prefix(200))) }
                if let n = o.note { err("  note: \(n)") }
            }
        case .loopEnded(let end):
            err(end.summary)
        case .finished(let r), .failed(let r), .cancelled(let r):
            guard !r.anomalies.isEmpty else { break }
            flush()
            if !endedWithNewline { Console.out("\n"); endedWithNewline = true }
            for a in r.anomalies { err("note: " + a) }
        default:
            break
        }
    }

    func flush() {
        guard !out.isEmpty else { return }
        Console.out(out)
        Console.flush()
        out = ""
    }

    func finish(_ record: RunRecord) {
        if json {
            Console.out(RunRecordJSON.object(record).prettyText + "\n")
            // The JSON keeps its `error` object; stderr still names the cause in one line.
            if let e = record.error { err(e.summary) }
        } else {
            flush()
            if !endedWithNewline { Console.out("\n") }
            if let e = record.error { err(e.summary) }
            err(RunSummary.line(record))
        }
    }

    private func err(_ s: String) {
        Console.err("[glmwb] " + s + "\n")
    }
}
