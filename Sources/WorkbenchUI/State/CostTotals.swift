import Foundation
import WorkbenchCore

/// Totals across runs: what this conversation and this session cost so far.
public struct CostTotals: Sendable, Equatable {
    public var conversationUSD: Decimal = 0
    public var sessionUSD: Decimal = 0
    public var conversationWouldCost: Decimal = 0
    public var sessionWouldCost: Decimal = 0
    /// Runs whose price was unknown: totals then say "+ unknown", never pretend completeness.
    public var unknownRuns = 0
    public var promptTokens = 0
    public var completionTokens = 0
}
