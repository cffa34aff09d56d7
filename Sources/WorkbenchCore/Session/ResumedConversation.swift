import Foundation

/// A conversation rebuilt from its logged runs, ready to continue: what the next request
/// will carry (system prompt and history) and the run it continues from.
///
/// The history is the last answered run's request plus its reply, because that request already
/// holds every earlier turn as it was sent; rebuilding from each run's prompt instead would
/// lose edited or replayed turns.
public struct ResumedConversation: Sendable {
    public var conversationId: String
    public var system: String?
    /// User, assistant and tool messages, without the system prompt.
    public var history: [ChatMessage]
    /// The run the conversation continues from: the last one that succeeded, else the last.
    public var lastRun: RunRecord
    /// Every request of the tool loop `lastRun` ends (its first run and the later steps, in log
    /// order), so a reopened loop shows its total as it did live; just `lastRun` without a loop.
    public var loopRuns: [RunRecord]

    /// Nil when the conversation has no runs.
    public init?(conversationId: String, records: [RunRecord]) {
        guard let last = records.last(where: { $0.status == .ok }) ?? records.last else { return nil }
        let messages = last.request?.messages ?? []
        var history = messages.filter { $0.role != .system }
        if last.status == .ok || !last.content.isEmpty {
            history.append(.assistant(last.content, toolCalls: last.decodedToolCalls.isEmpty ? nil : last.decodedToolCalls))
        }
        self.conversationId = conversationId
        self.system = messages.first { $0.role == .system }?.content
        self.history = history
        self.lastRun = last
        let root = last.parentRunId ?? last.id
        loopRuns = records.filter { $0.id == root || $0.parentRunId == root }
    }
}
