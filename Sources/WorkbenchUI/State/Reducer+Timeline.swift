import WorkbenchCore

/// The run log pane's event timelines, kept only for what can be on screen: the running run and
/// the run the pane shows. Every other run's timeline is let go when a run starts and read back
/// from the log (`Effect.loadTimeline`) when the pane is moved to it with `[` or `]`.
extension AppState {
    /// Lets go of the timelines of the finished runs, except the one at `shown` (the pane's
    /// selected run; nil follows the newest, which is the run about to start).
    mutating func releaseTimelines(keeping shown: Int?) {
        for i in runs.indices where i != shown && !runs[i].isRunning && !runs[i].timeline.isEmpty {
            runs[i].timeline = []
            runs[i].timelineReleased = true
        }
    }

    /// Asks for the selected run's timeline when it was let go.
    mutating func loadSelectedTimeline() -> [Effect] {
        guard let run = selectedRun, run.timelineReleased else { return [] }
        return [.loadTimeline(runId: run.runId)]
    }
}
