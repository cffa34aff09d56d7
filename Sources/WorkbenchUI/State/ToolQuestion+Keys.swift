import WorkbenchCore

extension ToolQuestion {
    /// What a key did to the question.
    public enum Outcome: Sendable, Equatable {
        case asking
        /// The answer: run it (with the typed result for a manual tool) or refuse it. `allowAll`
        /// is `a`: allow this call and every later one.
        case answered(approved: Bool, text: String?, allowAll: Bool)
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch (kind, key) {
        case (.approve, .char("y")), (.approve, .enter): return .answered(approved: true, text: nil, allowAll: false)
        case (.approve, .char("n")), (.approve, .escape): return .answered(approved: false, text: nil, allowAll: false)
        case (.approve, .char("a")): return .answered(approved: true, text: nil, allowAll: true)
        case (.manualResult, .char(let c)): text.append(c)
        case (.manualResult, .paste(let s)): text += s
        case (.manualResult, .altEnter): text.append("\n")
        case (.manualResult, .backspace): if !text.isEmpty { text.removeLast() }
        case (.manualResult, .ctrl("u")): text = ""
        case (.manualResult, .enter), (.manualResult, .ctrl("s")):
            return .answered(approved: true, text: text, allowAll: false)
        case (.manualResult, .escape): return .answered(approved: false, text: nil, allowAll: false)
        default: break
        }
        return .asking
    }
}
