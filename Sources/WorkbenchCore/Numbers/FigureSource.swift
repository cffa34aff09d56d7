/// Where a figure comes from, said next to it wherever it is shown.
public enum FigureSource: String, Sendable, Equatable, Codable {
    /// The server said so (its `usage`).
    case reported
    /// glmwb timed or counted it on this machine (timings, chunks; zero tokens for a request that
    /// got no reply, which generated nothing by definition).
    case measured
    /// glmwb's heuristic (`TokenEstimator`), or a speed computed from an estimated count.
    case estimated
    /// Nothing we can stand behind: shown as "—", never as a number.
    case unknown
}

/// One number and where it comes from. A nil value is always `unknown`.
public struct Figure<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value?
    public var source: FigureSource

    public init(_ value: Value?, _ source: FigureSource) {
        self.value = value
        self.source = value == nil ? .unknown : source
    }

    public static var unknown: Figure { Figure(nil, .unknown) }

    /// " est." after an estimated number, nothing otherwise: the label every front end uses.
    public var estimateMark: String { source == .estimated ? " est." : "" }
}
