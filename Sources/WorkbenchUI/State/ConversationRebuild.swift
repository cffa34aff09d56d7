import Foundation
import WorkbenchCore

/// The screen's view of a conversation reopened from the log: its turns, as the model received
/// them, and a run entry for each logged run (for the run log pane and the meter).
public enum ConversationRebuild {
    /// The conversation pane's turns for a resumed conversation; the last reply carries its
    /// run's footer and status.
    public static func turns(_ c: ResumedConversation) -> [Turn] {
        var turns: [Turn] = []
        for (i, m) in c.history.enumerated() {
            let id = "r\(i)-\(c.conversationId)"
            switch m.role {
            case .user: turns.append(Turn(id: id, kind: .user, text: m.content ?? ""))
            case .assistant:
                var t = Turn(id: id, kind: .assistant, text: m.content ?? "")
                t.toolCalls = (m.toolCalls ?? []).enumerated().map {
                    PartialToolCall(index: $0.offset, id: $0.element.id, type: $0.element.type,
                                    name: $0.element.function.name, arguments: $0.element.function.arguments)
                }
                turns.append(t)
            case .tool: turns.append(Turn(id: id, kind: .note, text: "tool result: " + (m.content ?? "")))
            case .system: break
            }
        }
        if var lastTurn = turns.last, lastTurn.kind == .assistant {
            let r = c.lastRun.result
            lastTurn.footer = RunFooter.text(r, figures: RunFigures(record: c.lastRun))
            if c.loopRuns.count > 1 { lastTurn.footer! += "\n" + RunFooter.loopTotal(c.loopRuns.map(RunFigures.init(record:))) }
            lastTurn.reasoning = c.lastRun.reasoning ?? ""
            lastTurn.status = r.status
            lastTurn.error = r.error
            turns[turns.count - 1] = lastTurn
        }
        return turns
    }
}

extension RunState {
    /// A logged run as the run log pane shows it; `timeline` is its raw events' offsets and sizes.
    public init(record rec: RunRecord, timeline: [TimelineEntry]) {
        self.init(runId: rec.id, mode: rec.mode, model: rec.model, provider: rec.provider, requestJSON: rec.requestJson,
                  startedAt: rec.startedAt, promptEstimate: rec.promptEstimate)
        result = rec.result
        loggedFigures = RunFigures(record: rec)
        templateName = rec.templateName
        parentRunId = rec.parentRunId
        templateVariables = rec.templateVars.flatMap { JSONValue.parse($0)?.objectValue?.compactMapValues(\.stringValue) }
        self.timeline = timeline
        // Worked out once here, not by the log pane on every frame, and by bytes: the request
        // JSON carries the whole conversation.
        jsonMode = rec.requestJson.utf8.firstRange(of: "\"json_object\"".utf8) != nil
    }
}
