import Foundation

/// A comparison as the log keeps it (`glmwb logs comparisons`).
public struct StoredComparison: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var conversationId: String
    public var streamRunIds: [String]
    public var nonStreamRunIds: [String]
    public var differences: [String]
    public var sampling: Bool
    public var verdict: String

    public init(id: String, createdAt: Date, conversationId: String, streamRunIds: [String], nonStreamRunIds: [String],
                differences: [String], sampling: Bool, verdict: String) {
        self.id = id
        self.createdAt = createdAt
        self.conversationId = conversationId
        self.streamRunIds = streamRunIds
        self.nonStreamRunIds = nonStreamRunIds
        self.differences = differences
        self.sampling = sampling
        self.verdict = verdict
    }
}
