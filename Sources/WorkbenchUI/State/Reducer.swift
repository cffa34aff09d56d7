import Foundation
import WorkbenchCore

extension AppState {
    /// The one place state changes. Returns the effects the runtime must perform.
    public mutating func reduce(_ event: AppEvent) -> [Effect] {
        let effects = reduceEvent(event)
        // A tool loop waits on its questions: whenever nothing else is open, ask the next one.
        if let q = toolQuestions.first {
            switch overlay {
            case nil: overlay = .toolQuestion(q)
            case .toolQuestion?: break
            default: statusMessage = "the tool loop is waiting for your answer: close this to see its question"
            }
        }
        return effects
    }

    private mutating func reduceEvent(_ event: AppEvent) -> [Effect] {
        switch event {
        case .input(let input):
            return handle(input)
        case .run(let batch):
            for e in batch { apply(e) }
            return []
        case .tick(let date):
            now = date
            return []
        case .templatesLoaded(let list, let errors):
            if let v = evalView, let old = templates.first(where: { $0.name == v.template }),
                list.first(where: { $0.name == v.template }) != old
            {
                evalView?.templateChanged = true
                statusMessage = "\(v.template) changed on disk: r reruns, sending only the cells the edit changed"
            }
            templatesLoaded(list, errors: errors)
            return []
        case .toolsLoaded(let tools):
            toolCatalog = tools
            return []
        case .pricing(let p):
            pricing = p
            return []
        case .compareStarted(let request, let sequential, let repeats, let at):
            compareStarted(request, sequential: sequential, repeats: repeats, at: at)
            return []
        case .compare(let batches):
            compareEvents(batches)
            return []
        case .compareFinished(let request):
            return compareFinished(request)
        case .conversationsListed(let items):
            overlay = items.isEmpty ? nil : .picker(PickerState(purpose: .resume, title: "Open an earlier conversation", items: items))
            if items.isEmpty { statusMessage = "no earlier conversations in the log" }
            return []
        case .conversationLoaded(let id, let loadedSystem, let loadedTurns, let loadedRuns):
            system = loadedSystem
            // Turn ids carry the conversation id, so old entries would only accumulate.
            layoutCache.removeAll()
            conversationId = id
            turns = loadedTurns
            runs = loadedRuns
            // The runtime cancelled the previous conversation's runs and loops with it: nothing
            // of them may keep this one "running" (Ctrl-N is the way out of a stuck loop).
            activeRunId = nil
            loopRunning = false
            toolQuestions = []
            if case .toolQuestion? = overlay { overlay = nil }
            trace = []
            for (i, r) in loadedRuns.enumerated() {
                for call in r.result?.toolCalls ?? [] {
                    trace.append(TraceItem(runId: r.runId, call: PartialToolCall(index: trace.count, id: call.id, type: call.type, name: call.function.name, arguments: call.function.arguments), userTurn: i))
                }
            }
            totals.conversationUSD = loadedRuns.compactMap { $0.result?.cost.usd }.reduce(0, +)
            totals.conversationWouldCost = loadedRuns.compactMap { $0.result?.cost.wouldCostUSD }.reduce(0, +)
            logRunIndex = nil
            conversationScroll = Scroll()
            editingTurn = nil
            statusMessage = loadedTurns.isEmpty ? "new conversation" : "reopened conversation \(id)"
            return []
        case .providerChanged(let name, let m):
            providerName = name
            model = m
            parameters.model = nil
            statusMessage = "provider \(name), model \(m)"
            return []
        case .status(let s):
            statusMessage = s
            return []
        case .sendAborted(let why):
            abortSend(why)
            return []
        case .toolQuestion(let q):
            // The policy is applied when a call needs it, not when the loop starts, so "always
            // allow" (or a change in the palette) applies to the rest of a running loop too.
            if q.kind == .approve, approvalPolicy != .ask {
                return [.answerTool(id: q.id, approved: approvalPolicy == .all, text: nil)]
            }
            toolQuestions.append(q)
            return []
        case .terminate:
            return perform(.quit)
        case .logWriteFailed(let message):
            logWriteFailure = message
            statusMessage = "the run log could not be written: \(message) (this run is not saved)"
            return []
        case .draftRestored(let text):
            restoreDraft(text)
            return []
        case .evalPlanned, .evalCells, .evalProgress, .evalFinished, .evalFailed, .evalRunsLoaded:
            return evalEvent(event)
        case .timelineLoaded(let runId, let entries):
            if let i = runs.firstIndex(where: { $0.runId == runId }), runs[i].timelineReleased {
                runs[i].timeline = entries
                runs[i].timelineReleased = false
            }
            return []
        }
    }

    // MARK: Run events

    mutating func apply(_ event: RunEvent) {
        switch event {
        case .toolOutcomes(let runId, let outcomes):
            loopRunning = true
            for o in outcomes {
                if let i = trace.firstIndex(where: { $0.runId == runId && $0.call.id == o.callId }) { trace[i].outcome = o }
            }
            var note = Turn(id: nextTurnId(), kind: .note, text: outcomes.map(\.line).joined(separator: "\n"), runId: nil)
            note.footer = outcomes.contains(where: \.isFailure) ? "some calls failed; the model is told what went wrong" : nil
            turns.append(note)
        case .loopEnded(let end):
            // The loop is over, however it got here: nothing of it runs any more. A step cut
            // off by cancelling the loop may never report its own end, so its reply stops here.
            loopRunning = false
            addLoopTotal()
            if let id = activeRunId {
                activeRunId = nil
                if let i = turns.lastIndex(where: { $0.runId == id && $0.streaming }) {
                    turns[i].streaming = false
                    turns[i].status = .cancelled
                    turns[i].inHistory = false
                    turns[i].version += 1
                }
            }
            switch end {
            case .answered: break
            case .stepLimit, .stopped:
                turns.append(Turn(id: nextTurnId(), kind: .note, text: "⚠ " + end.summary))
                statusMessage = end.summary
            }
        case .started(let s):
            // A later step of a tool loop gets its own reply turn under the tool results.
            if s.parentRunId != nil, !turns.contains(where: { $0.kind == .assistant && $0.runId == nil && $0.streaming }) {
                var reply = Turn(id: nextTurnId(), kind: .assistant, text: "")
                reply.streaming = true
                turns.append(reply)
            }
            activeRunId = s.runId
            if let i = turns.lastIndex(where: { $0.kind == .assistant && $0.runId == nil && $0.streaming }) {
                turns[i].runId = s.runId
                turns[i].mode = s.mode
                turns[i].version += 1
            }
            var view = RunState(runId: s.runId, mode: s.mode, model: s.model, provider: s.provider, requestJSON: s.requestJSON,
                               startedAt: s.startedAt, promptEstimate: s.promptEstimate)
            view.requestPreview = RunState.preview(of: s.request, json: s.requestJSON)
            view.request = s.request
            if view.requestPreview != nil { view.requestJSON = "" }
            view.jsonMode = s.request.responseFormat == .jsonObject
            view.templateName = s.templateName
            view.templateVariables = s.templateVariables
            view.parentRunId = s.parentRunId
            releaseTimelines(keeping: logRunIndex)
            runs.append(view)
            traceRetrieval(runId: s.runId, request: s.request)
            if !s.notes.isEmpty { statusMessage = s.notes.joined(separator: "; ") }
        case .headers:
            break
        case .reasoning(let text):
            updateTurn { $0.reasoning += text }
        case .firstByte, .payload, .tally, .usage:
            updateRun { $0.absorb(event) }
        case .delta(let text):
            updateRun { $0.absorb(event) }
            updateTurn { $0.text += text }
        case .toolCall(let call):
            updateTurn { t in
                if let i = t.toolCalls.firstIndex(where: { $0.index == call.index }) { t.toolCalls[i] = call } else { t.toolCalls.append(call) }
            }
            let runId = activeRunId ?? ""
            let userTurns = turns.filter { $0.kind == .user }.count
            if let i = trace.firstIndex(where: { $0.runId == runId && $0.call.index == call.index }) {
                trace[i].call = call
            } else {
                trace.append(TraceItem(runId: runId, call: call, userTurn: max(0, userTurns - 1), arrivedMs: runs.last?.timeline.last?.offsetMs))
            }
        case .webSearch(let results):
            updateTurn { $0.footer = "web search: \(results.count) result(s)" }
            // Z.AI ran the search; the trace shows what it found, like any other tool's result.
            let runId = activeRunId ?? ""
            let list = JSONValue.array(results.map { r in
                .object(["title": .string(r.title ?? ""), "link": .string(r.link ?? ""), "refer": .string(r.refer ?? ""),
                         "content": .string(String((r.content ?? "").prefix(200)))])
            })
            traceServerTool(
                runId: runId, name: "web_search", arguments: "{}", result: list.prettyText,
                note: "\(results.count) result(s); priced per search")
        case .finished(let r), .failed(let r), .cancelled(let r):
            finishRun(r)
        }
    }

    private mutating func updateRun(_ body: (inout RunState) -> Void) {
        guard let id = activeRunId, let i = runs.lastIndex(where: { $0.runId == id }) else { return }
        body(&runs[i])
    }

    private mutating func updateTurn(_ body: (inout Turn) -> Void) {
        guard let id = activeRunId, let i = turns.lastIndex(where: { $0.runId == id }) else { return }
        body(&turns[i])
        turns[i].version += 1
    }

    /// Adds a finished run to the conversation and session totals (unknown prices are counted
    /// as such, never as $0), and warns once the session passes 80% of its budget.
    mutating func countCost(_ r: RunResult) {
        let before = totals.sessionUSD
        if let usd = r.cost.usd {
            totals.conversationUSD += usd
            totals.sessionUSD += usd
        } else {
            totals.unknownRuns += 1
        }
        if let w = r.cost.wouldCostUSD {
            totals.conversationWouldCost += w
            totals.sessionWouldCost += w
        }
        totals.promptTokens = totals.promptTokens.addingSaturated(r.usage.promptTokens)
        totals.completionTokens = totals.completionTokens.addingSaturated(r.usage.completionTokens)
        if let b = budgetUSD, b > 0, before < b * Decimal(string: "0.8")!, totals.sessionUSD >= b * Decimal(string: "0.8")! {
            budgetWarned = true
        }
    }

    /// The status line's budget warning, once the session has spent 80% of it.
    var budgetWarning: String? {
        guard let b = budgetUSD, budgetWarned else { return nil }
        let spent = totals.sessionUSD
        return spent >= b ? "budget reached: \(Cost.format(spent)) of \(Cost.format(b)) — sending is refused (palette: Budget… raises it, F8 overrides once)"
            : "budget warning: \(Cost.format(spent)) of \(Cost.format(b)) spent (80% reached)"
    }

    /// Whether a request may be sent under the session budget; says why not when refused.
    mutating func budgetAllowsSend() -> Bool {
        guard let b = budgetUSD, totals.sessionUSD >= b else { return true }
        if budgetOverrideOnce {
            budgetOverrideOnce = false
            statusMessage = "over budget: this one request is sent by override"
            return true
        }
        budgetWarned = true
        statusMessage = budgetWarning
        return false
    }

    private mutating func finishRun(_ r: RunResult) {
        if let i = runs.lastIndex(where: { $0.runId == r.runId }) {
            runs[i].result = r
            if r.usageSource == .reported {
                estimator = estimator.calibrated(promptEstimate: runs[i].promptEstimate, reportedPromptTokens: r.usage.promptTokens)
            }
        }
        if let i = turns.lastIndex(where: { $0.runId == r.runId }) {
            turns[i].streaming = false
            turns[i].status = r.status
            turns[i].error = r.error
            // Non-stream replies (and the unlikely stream that sent no deltas) arrive whole here.
            if turns[i].text.isEmpty && !r.content.isEmpty { turns[i].text = r.content }
            turns[i].toolCalls = r.toolCalls.enumerated().map { PartialToolCall(index: $0.offset, id: $0.element.id, type: $0.element.type, name: $0.element.function.name, arguments: $0.element.function.arguments) }
            turns[i].footer = RunFooter.text(r)
            turns[i].inHistory = Session.keepsInHistory(r, sendCancelled: sendCancelledReplies)
            turns[i].version += 1
        }
        countCost(r)
        if activeRunId == r.runId { activeRunId = nil }
        switch r.status {
        case .cancelled:
            statusMessage = sendCancelledReplies || !Session.keepsInHistory(r, sendCancelled: true)
                ? "cancelled — the partial reply is kept"
                : "cancelled — the partial reply is kept on screen, not sent to the model (palette: send cancelled replies)"
        case .ok: statusMessage = budgetWarning
        default: statusMessage = r.error.map { $0.summary } ?? "the run failed"
        }
    }
}

extension AppState {
    /// The palette's "Send cancelled replies back…": replies already finished keep what the
    /// session decided for them (their mark says so); the change applies from the next reply on.
    mutating func toggleSendCancelledReplies() -> [Effect] {
        sendCancelledReplies.toggle()
        statusMessage = sendCancelledReplies
            ? "cancelled and interrupted replies are now sent back to the model as history (from the next reply on)"
            : "cancelled and interrupted replies are shown but not sent to the model (from the next reply on)"
        return []
    }
}
