/// The model table's context window, checked before a request is sent: a prompt larger than the
/// window would cost a round trip that ends in 1261. (`max_tokens` above the model's maximum output
/// is one of `validationErrors`.) Models the table does not know are not refused.
extension ChatRequest {
    /// Each limit this request breaks, with the numbers and what to do.
    public func limitProblems(promptEstimate: Int) -> [String] {
        guard let spec = ModelTable.spec(for: model) else { return [] }
        var out: [String] = []
        if let window = spec.contextWindow, promptEstimate > window {
            out.append(
                "the prompt is about \(promptEstimate) tokens (estimated), more than \(model)'s "
                    + "\(ModelTable.kilo(window))-token context window (\(window)): trim the conversation, "
                    + "start a new one, or use a model with a larger window\(Self.largerWindow(than: window, need: promptEstimate))"
            )
        }
        return out
    }

    /// ` (glm-4.6: 200K)`: a model of the table whose window holds the prompt, if any.
    static func largerWindow(than window: Int, need: Int) -> String {
        guard
            let m = ModelTable.models.first(where: {
                ($0.contextWindow ?? 0) >= need && ($0.contextWindow ?? 0) > window
            }),
            let w = m.contextWindow
        else { return "" }
        return " (\(m.id): \(ModelTable.kilo(w)))"
    }
}
