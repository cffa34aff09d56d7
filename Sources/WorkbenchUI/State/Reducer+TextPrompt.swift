import Foundation
import WorkbenchCore

/// The one-line (or, for tool results, multi-line) question: a new template's name, a session
/// budget, a replacement tool result.
extension AppState {
    mutating func handleTextPromptKey(_ key: Key, _ p: inout TextPrompt) -> [Effect] {
        defer { if case .textPrompt = overlay { overlay = .textPrompt(p) } }
        switch p.handle(key) {
        case .editing: return []
        case .cancelled:
            overlay = nil
            return []
        case .submitted:
            if case .budget = p.purpose {
                let t = p.text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "$", with: "")
                if t.isEmpty {
                    budgetUSD = nil
                    overlay = nil
                    statusMessage = "no session budget"
                    return []
                }
                guard let d = Decimal(string: t), d > 0 else { p.error = "type an amount in dollars, e.g. 2.50"; return [] }
                budgetUSD = d
                budgetWarned = totals.sessionUSD >= d * Decimal(string: "0.8")!
                overlay = nil
                statusMessage = "session budget \(Cost.format(d)); \(Cost.format(totals.sessionUSD)) spent so far"
                return []
            }
            if case .evalModel = p.purpose {
                overlay = nil
                return addEvalModel(p.text)
            }
            if case .editToolResult(let runId, let callId) = p.purpose {
                overlay = nil
                guard !isRunning else { statusMessage = "a request is running (Esc cancels it)"; return [] }
                return replayToolLoop(runId: runId, callId: callId, result: p.text)
            }
            let name = p.text.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { p.error = "type a name first"; return [] }
            if templates.contains(where: { $0.name == name }) {
                p.error = "\(name) exists; choose another name"
                return []
            }
            overlay = nil
            let text = promptSnapshot().templateText
            return [.saveTemplate(name: name, text: text)]
        }
    }
}
