import Foundation

extension Session {
    /// Runs `first` and, while the reply asks for tools, answers them through `dispatcher` and
    /// sends the follow-up: the whole function-calling loop as one stream of events. Every step
    /// is its own run in the log; steps after the first point at the first (`parent_run_id`),
    /// so the log links the loop to the user turn that started it. Hitting `stepLimit` is
    /// reported (`.loopEnded(.stepLimit)`), never silent.
    /// `parentRunId`: when replaying a loop from an edited step, the original loop's first run.
    public func runLoop(_ first: ChatRequest, mode: RunMode, dispatcher: ToolDispatcher?, stepLimit: Int = 8,
                        parentRunId: String? = nil,
                        templateName: String? = nil, templateVariables: [String: String]? = nil) -> AsyncStream<[RunEvent]> {
        var first = first
        if let d = dispatcher, !d.tools.isEmpty, first.tools == nil { first.tools = d.specs }
        let (stream, continuation) = AsyncStream<[RunEvent]>.makeStream()
        let loopId = "loop-" + RunID.make()
        let task = Task { [weak self] in
            guard let self else { continuation.finish(); return }
            var request = first
            var rootRun: String? = parentRunId
            var step = 0
            while true {
                step += 1
                let inner = await self.run(request, mode: mode, updatesHistory: true, parentRunId: rootRun,
                                           templateName: templateName, templateVariables: templateVariables)
                var terminal: RunResult?
                for await batch in inner {
                    continuation.yield(batch)
                    if let r = batch.compactMap(\.result).last { terminal = r }
                }
                guard let r = terminal else {
                    // The loop's task was cancelled while a step streamed: iterating a stream in a
                    // cancelled task ends early, so the step's own terminal event never came
                    // through. The loop still says that it ended, so no consumer waits for it.
                    if dispatcher != nil { continuation.yield([.loopEnded(.stopped(.cancelled))]) }
                    break
                }
                guard let dispatcher else { break }
                let calls = r.toolCalls.filter { $0.type == "function" }
                if calls.isEmpty || r.status != .ok {
                    // A replay (`parentRunId`) continues a loop that is already under way, so its
                    // end is reported even when its first request is the last: the workbench
                    // counts the loop as running until this event, for a first loop and a replay
                    // alike. Without it a replay answered in one step stayed "running" for good.
                    if step > 1 || !calls.isEmpty || parentRunId != nil {
                        continuation.yield([.loopEnded(r.status == .ok ? .answered(steps: step) : .stopped(r.status))])
                    }
                    break
                }
                if rootRun == nil { rootRun = r.runId }
                let outcomes = await dispatcher.run(calls)
                self.log?.recordTools(runId: r.runId, outcomes)
                continuation.yield([.toolOutcomes(runId: r.runId, outcomes)])
                if Task.isCancelled {
                    continuation.yield([.loopEnded(.stopped(.cancelled))])
                    break
                }
                if step >= stepLimit {
                    continuation.yield([.loopEnded(.stepLimit(stepLimit))])
                    break
                }
                request = Self.followUp(request, reply: r, calls: calls, outcomes: outcomes)
            }
            continuation.finish()
            await self.loopDone(loopId)
        }
        tasks[loopId] = task
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The next request of a loop: what was sent, the assistant's tool calls (content kept as the
    /// model wrote it), and one `tool` message per call with its id echoed exactly.
    public static func followUp(_ request: ChatRequest, reply: RunResult, calls: [ToolCall], outcomes: [ToolOutcome]) -> ChatRequest {
        var next = request
        // A forced function (`tool_choice` naming it) applies to the first step only; forcing it
        // again would make the model call it forever.
        if next.toolChoice?.objectValue != nil { next.toolChoice = nil }
        var assistant = ChatMessage.assistant(reply.content, toolCalls: calls)
        // Interleaved thinking (GLM-4.5 and later): "thinking blocks should be explicitly
        // preserved and returned together with the tool results" (docs.z.ai thinking-mode).
        if !reply.reasoning.isEmpty, ModelTable.spec(for: next.model)?.fields.thinking == true {
            assistant.reasoningContent = reply.reasoning
        }
        next.messages.append(assistant)
        for o in outcomes { next.messages.append(.tool(o.result, callId: o.callId)) }
        return next
    }

    private func loopDone(_ id: String) { tasks[id] = nil }
}
