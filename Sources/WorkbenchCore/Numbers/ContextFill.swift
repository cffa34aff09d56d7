/// How full the model's context window is: the conversation's prompt — estimated before sending,
/// then as the server reported it — against the window the model table gives the model. Shown by
/// the meter as `ctx 41K/128K` (`ctx ~41K/128K` while estimated, `ctx 41K/?` for a model the
/// table does not know).
public struct ContextFill: Sendable, Equatable {
    public var promptTokens: Figure<Int>
    /// The model's window in tokens; nil when the model table does not know the model.
    public var window: Int?

    public init(promptTokens: Figure<Int>, window: Int?) {
        self.promptTokens = promptTokens
        self.window = window
    }

    /// The prompt of a run: the reported `prompt_tokens` once usage arrived, else the estimate
    /// made before sending (never a zero from a run that got no answer).
    public init(figures: RunFigures, promptEstimate: Int, model: String) {
        let reported = figures.promptTokens.source == .reported ? figures.promptTokens : nil
        self.init(
            promptTokens: reported ?? Figure(promptEstimate, .estimated),
            window: ModelTable.spec(for: model)?.contextWindow)
    }

    /// Share of the window used, 0…; nil when the window or the count is unknown.
    public var fraction: Double? {
        guard let w = window, w > 0, let n = promptTokens.value else { return nil }
        return Double(n) / Double(w)
    }

    /// From 80% of the window: time to trim, start anew or pick a larger model.
    public static let warningFraction = 0.8

    public var isNearFull: Bool { (fraction ?? 0) >= Self.warningFraction }
    public var isOver: Bool { (fraction ?? 0) > 1 }

    public var text: String {
        let n = promptTokens.value.map(ModelTable.kilo) ?? "?"
        let mark = promptTokens.source == .estimated ? "~" : ""
        return "ctx \(mark)\(n)/\(window.map(ModelTable.kilo) ?? "?")"
    }
}
