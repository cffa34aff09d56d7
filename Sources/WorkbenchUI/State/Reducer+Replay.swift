import Foundation
import WorkbenchCore

extension AppState {
    /// The order to replay the tool loop of `runId` as a new branch, after its call's result was
    /// edited in the trace: that step's request, its reply's calls and the results (with the
    /// edit) make the next request, hung under the loop's first run. Worked out here, from what
    /// the state shows, so the runtime only carries it out; when the step can no longer be
    /// rebuilt the waiting reply turn says why and nothing is sent.
    mutating func replayLoop(runId: String) -> [Effect] {
        guard let run = runs.first(where: { $0.runId == runId }), let reply = run.result,
            let request = run.sentRequest()
        else {
            abortSend("cannot replay: that step's request is no longer at hand")
            return []
        }
        let outcomes = trace.filter { $0.runId == runId }.compactMap(\.outcome)
        let calls = reply.toolCalls.filter { $0.type == "function" }
        let next = Session.followUp(request, reply: reply, calls: calls, outcomes: outcomes)
        return [.replayLoop(ReplayOrder(request: next, parentRunId: run.parentRunId ?? runId, mode: run.mode,
                                        templateName: run.templateName, templateVariables: run.templateVariables,
                                        sendsCancelledReplies: sendCancelledReplies))]
    }

    /// A turn that could not start (its tools did not come up, a replay that cannot be built):
    /// the waiting reply turn becomes a note saying why, and nothing is left running.
    mutating func abortSend(_ why: String) {
        if let i = turns.lastIndex(where: { $0.kind == .assistant && $0.runId == nil && $0.streaming }) {
            turns[i].streaming = false
            turns[i].kind = .note
            turns[i].text = "✖ not sent: " + why
            turns[i].version += 1
        }
        loopRunning = false
        statusMessage = "not sent: " + why
    }
}
