import WorkbenchCore

/// The tool loop seen from the UI: questions (approve a call, type a result), editing a result
/// and replaying the loop from that step.
extension AppState {
    mutating func handleToolQuestionKey(_ key: Key, _ q: inout ToolQuestion) -> [Effect] {
        guard case .answered(let approved, let text, let allowAll) = q.handle(key) else {
            overlay = .toolQuestion(q)
            return []
        }
        if allowAll {
            // Allow this call and stop asking: the policy becomes "all" for the session.
            approvalPolicy = .all
            statusMessage = "tool calls that run something: always allowed from now on (the palette changes it back)"
        }
        toolQuestions.removeAll { $0.id == q.id }
        overlay = nil
        return [.answerTool(id: q.id, approved: approved, text: text)]
    }

    /// `e` in the trace: replace the selected call's result and replay the loop from there.
    mutating func beginEditToolResult() {
        guard trace.indices.contains(traceSelection) else { return }
        let item = trace[traceSelection]
        guard let o = item.outcome else { statusMessage = "this call has no result yet"; return }
        guard !isRunning else { statusMessage = "a request is running (Esc cancels it)"; return }
        var p = TextPrompt(purpose: .editToolResult(runId: item.runId, callId: o.callId), title: "New result for \(o.name) — Enter replays the loop from here, Esc keeps it")
        p.text = o.result
        overlay = .textPrompt(p)
    }

    /// Drops the turns after the edited step and asks the runtime to replay from it.
    mutating func replayToolLoop(runId: String, callId: String, result: String) -> [Effect] {
        guard let i = trace.firstIndex(where: { $0.runId == runId && $0.call.id == callId }), var edited = trace[i].outcome else { return [] }
        edited.result = result
        edited.edited = true
        trace[i].outcome = edited
        // The conversation shows the new branch: everything after the step's tool results goes.
        if let reply = turns.firstIndex(where: { $0.runId == runId }) {
            let keep = min(turns.count, reply + 2)
            turns.removeSubrange(keep...)
            if keep - 1 < turns.count, turns[keep - 1].kind == .note {
                let lines = trace.filter { $0.runId == runId }.compactMap(\.outcome).map { ($0.edited ? "✎ " : "") + $0.line }
                turns[keep - 1].text = lines.joined(separator: "\n")
                turns[keep - 1].version += 1
            }
        }
        let later = Set(runs.drop(while: { $0.runId != runId }).dropFirst().map(\.runId))
        trace.removeAll { later.contains($0.runId) }
        var reply = Turn(id: nextTurnId(), kind: .assistant, text: "")
        reply.streaming = true
        turns.append(reply)
        loopRunning = true
        statusMessage = "replaying the tool loop with the edited result (the old branch stays in the log)"
        return replayLoop(runId: runId)
    }
}

extension AppState {
    /// Under the last reply of a tool loop, the whole loop's account beside the last step's:
    /// how many requests it took, their tokens and their cost, added up. A replayed loop counts
    /// every request made for it, the abandoned branch's too (they were sent and billed).
    mutating func addLoopTotal() {
        guard let last = runs.last else { return }
        let root = last.parentRunId ?? last.runId
        let steps = runs.filter { $0.runId == root || $0.parentRunId == root }
        guard steps.count > 1, let i = turns.lastIndex(where: { $0.runId == last.runId }) else { return }
        turns[i].footer = [turns[i].footer, RunFooter.loopTotal(steps.map(\.figures))].compactMap { $0 }.joined(separator: "\n")
        turns[i].version += 1
    }
}
