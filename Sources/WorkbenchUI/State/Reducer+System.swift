import Foundation
import WorkbenchCore

/// The system prompt is edited in the prompt editor itself (soft wrap, paste, every editing
/// key), with the draft put aside until the edit ends. It belongs to the conversation: the next
/// request sends it, a new conversation keeps it, a reopened one brings its own, and every run
/// logs it as the first message of its request.
extension AppState {
    mutating func beginEditSystem() {
        guard editingSystem == nil else { return }
        editingTurn = nil
        editingSystem = editor.text
        editor.text = system ?? ""
        focus = .editor
        statusMessage = "editing the system prompt: Ctrl-S keeps it (empty removes it), Esc leaves it unchanged"
    }

    mutating func keepSystemPrompt() {
        guard let draft = editingSystem else { return }
        let text = editor.text
        let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
        system = clean.isEmpty ? nil : text
        editor.text = draft
        editingSystem = nil
        statusMessage = system == nil
            ? "no system prompt: the next request sends none"
            : "system prompt kept (\(text.count) characters): the next request sends it"
    }
}
