import WorkbenchCore

/// Z.AI's server-run tools in the trace: they never come back as tool calls, so the trace shows
/// them as finished tools of their own, run by "Z.AI server", beside the function calls.
extension AppState {
    mutating func traceServerTool(runId: String, name: String, arguments: String, result: String, note: String) {
        var o = ToolOutcome(
            callId: name, name: name, arguments: arguments, status: .ok, result: result, executor: "Z.AI server")
        o.note = note
        let call = PartialToolCall(index: 10_000 + trace.count, id: name, type: name, name: name, arguments: arguments)
        var item = TraceItem(runId: runId, call: call, userTurn: max(0, turns.filter { $0.kind == .user }.count - 1))
        item.outcome = o
        trace.append(item)
    }

    /// A request that offers the `retrieval` tool: the knowledge base and prompt template it
    /// used. The API returns no retrieved passages (the docs describe none), so the trace says
    /// that the reply's citations are where they show.
    mutating func traceRetrieval(runId: String, request: ChatRequest) {
        for use in RetrievalUse.offered(request: request) {
            traceServerTool(
                runId: runId, name: "retrieval", arguments: use.options,
                result: "searched knowledge base \(use.knowledgeID); the passages go into the prompt on the server",
                note: "run by Z.AI; the response does not list the passages — see the reply's citations")
        }
    }
}
