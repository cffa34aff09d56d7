import Foundation
import WorkbenchCore

/// Prints run events for a terminal or a pipe: text to stdout as it arrives, a thinking model's
/// reasoning, tool calls and the summary to stderr; with `--json`, only the final record on stdout.
final class HeadlessPrinter {
    let json: Bool
    /// `--hide-thinking` turns this off: the reasoning is still logged, just not printed.
    let showThinking: Bool
    /// Every run this printer saw, in order (the steps of a tool loop).
    private(set) var runIds: [String] = []
    private(set) var loopEnd: ToolLoopEnd?
    private var out = ""
    private var endedWithNewline = true
    /// Reasoning received since the last flush, and whether the reasoning printed so far ended
    /// its line: the answer must start on a line of its own.
    private var thinking = ""
    private var thinkingOpen = false

    init(json: Bool, showThinking: Bool = true) {
        self.json = json
        self.showThinking = showThinking
    }

    /// Prints a run's events as they arrive; returns its result.
    func consume(_ events: AsyncStream<[RunEvent]>) async -> RunResult? {
        // The terminal event is kept as the (boxed) event, not as a `RunResult`: a result is
        // 624 bytes, and asking every event for one copied that much per event (issue 15).
        var terminal: RunEvent?
        for await batch in events {
            // Raw payloads and counts are the log's, never printed: passed over without a copy
            // (a full-speed read is hundreds of them; issue 15).
            batch.withUnsafeBufferPointer { read in
                for i in read.indices where !read[i].isRecordOnly {
                    show(read[i])
                    if read[i].isTerminal { terminal = read[i] }
                }
            }
            flush()
        }
        return terminal?.result
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
        Console.json(.object(top))
        if let e = record.error { err(e.summary) }
    }

    func show(_ event: RunEvent) {
        if case .started(let s) = event {
            runIds.append(s.runId)
            if !json {
                for use in RetrievalUse.offered(request: s.request) { err(use.summary) }
            }
            for n in s.notes { err("note: " + n) }
        }
        if case .loopEnded(let e) = event { loopEnd = e }
        guard !json else { return }
        switch event {
        case .reasoning(let t):
            if showThinking { thinking += t }
        case .delta(let t):
            endThinking()
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
        flushThinking()
        guard !out.isEmpty else { return }
        Console.out(out)
        Console.flush()
        out = ""
    }

    func finish(_ record: RunRecord) {
        if json {
            Console.json(RunRecordJSON.object(record))
            // The JSON keeps its `error` object; stderr still names the cause in one line.
            if let e = record.error { err(e.summary) }
        } else {
            flush()
            if !endedWithNewline { Console.out("\n") }
            if let e = record.error { err(e.summary) }
            err(RunSummary.line(record))
        }
    }

    /// Reasoning is over (the answer, a tool call's output or the summary follows): print what
    /// is left of it and end its line.
    private func endThinking() {
        flushThinking()
        if thinkingOpen { Console.err("\n") }
        thinkingOpen = false
    }

    private func flushThinking() {
        guard !thinking.isEmpty else { return }
        Console.thinking(thinking)
        thinkingOpen = !thinking.hasSuffix("\n")
        thinking = ""
    }

    private func err(_ s: String) {
        endThinking()
        Console.err("[glmwb] " + s + "\n")
    }
}
