import WorkbenchCore

extension TextPrompt {
    /// What a key did to the question.
    public enum Outcome: Sendable, Equatable {
        case editing
        case cancelled
        /// Enter: the typed text, for the reducer to check against the question's purpose (a bad
        /// answer sets `error` and reopens it).
        case submitted(String)
    }

    /// Editing keys stay here; the meaning of an answer is the reducer's. A template name is one
    /// line (a pasted newline becomes a space); a tool result may span lines (Alt-Enter).
    public mutating func handle(_ key: Key) -> Outcome {
        let oneLine: Bool
        if case .editToolResult = purpose { oneLine = false } else { oneLine = true }
        switch key {
        case .char(let c):
            text.append(c)
            error = nil
        case .paste(let s): text += oneLine ? s.replacingOccurrences(of: "\n", with: " ") : s
        case .backspace: if !text.isEmpty { text.removeLast() }
        case .ctrl("u"): text = ""
        case .altEnter where !oneLine: text.append("\n")
        case .escape: return .cancelled
        case .enter: return .submitted(text)
        default: break
        }
        return .editing
    }
}
