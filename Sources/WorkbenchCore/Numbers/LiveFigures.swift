/// What a front end knows of a run's figures while it runs, taken from the run's events: the
/// executor's latest count (`RunEvent.tally`), the server's usage once sent, the first byte.
/// The workbench's run state and any other consumer fold events through this one type, so live
/// figures are computed one way everywhere, and they are the final ones' own count.
public struct LiveFigures: Sendable, Equatable {
    public var mode: RunMode
    public var promptEstimate: Int
    public var tally: RunTally?
    public var reported: Usage?
    public var firstByteMs: Double?

    public init(mode: RunMode, promptEstimate: Int) {
        self.mode = mode
        self.promptEstimate = promptEstimate
    }

    /// Takes the events that carry figures; every other event leaves them as they are.
    public mutating func absorb(_ event: RunEvent) {
        switch event {
        case .firstByte(let ms): firstByteMs = ms
        case .tally(let t): tally = t
        case .usage(let u): reported = u
        default: break
        }
    }

    public var figures: RunFigures {
        RunFigures(live: tally, mode: mode, promptEstimate: promptEstimate, reported: reported, firstByteMs: firstByteMs)
    }
}
