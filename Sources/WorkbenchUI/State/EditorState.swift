import Foundation

/// The prompt editor: multi-line text with a caret, and the history of sent prompts.
/// Positions count Characters (graphemes), so a CJK character or an emoji is one step.
public struct EditorState: Sendable, Equatable {
    public var lines: [String] = [""]
    public var row = 0
    public var col = 0
    public var history: [String] = []
    /// Index into `history` while browsing it; nil when editing a fresh draft.
    public var historyIndex: Int?
    private var draft: String?

    public init() {}

    public var text: String {
        get { lines.joined(separator: "\n") }
        set {
            lines = newValue.components(separatedBy: "\n")
            if lines.isEmpty { lines = [""] }
            row = lines.count - 1
            col = lines[row].count
        }
    }

    public var isEmpty: Bool { lines.allSatisfy { $0.isEmpty } }

    public mutating func insert(_ s: String) {
        let normalized = s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var line = Array(lines[row])
        let head = String(line[..<col]), tail = String(line[col...])
        let parts = normalized.components(separatedBy: "\n")
        if parts.count == 1 {
            line.insert(contentsOf: Array(parts[0]), at: col)
            lines[row] = String(line)
            col += parts[0].count
            return
        }
        var new = [head + parts[0]]
        new += parts[1..<(parts.count - 1)]
        new.append(parts[parts.count - 1] + tail)
        lines.replaceSubrange(row...row, with: new)
        row += parts.count - 1
        col = parts[parts.count - 1].count
    }

    public mutating func newline() { insert("\n") }

    public mutating func backspace() {
        if col > 0 {
            var line = Array(lines[row])
            line.remove(at: col - 1)
            lines[row] = String(line)
            col -= 1
        } else if row > 0 {
            let prev = lines[row - 1]
            col = prev.count
            lines[row - 1] = prev + lines[row]
            lines.remove(at: row)
            row -= 1
        }
    }

    public mutating func delete() {
        if col < lines[row].count {
            var line = Array(lines[row])
            line.remove(at: col)
            lines[row] = String(line)
        } else if row + 1 < lines.count {
            lines[row] += lines[row + 1]
            lines.remove(at: row + 1)
        }
    }

    public mutating func left() {
        if col > 0 { col -= 1 } else if row > 0 { row -= 1; col = lines[row].count }
    }

    public mutating func right() {
        if col < lines[row].count { col += 1 } else if row + 1 < lines.count { row += 1; col = 0 }
    }

    /// Up on the first line browses history; otherwise moves the caret.
    public mutating func up() {
        if row > 0 { row -= 1; col = min(col, lines[row].count); return }
        guard !history.isEmpty else { return }
        if historyIndex == nil { draft = text; historyIndex = history.count }
        if let i = historyIndex, i > 0 {
            historyIndex = i - 1
            text = history[i - 1]
            row = 0
            col = min(col, lines[0].count)
        }
    }

    /// Down on the last line browses history forward, back to the draft.
    public mutating func down() {
        if row + 1 < lines.count { row += 1; col = min(col, lines[row].count); return }
        guard let i = historyIndex else { return }
        if i + 1 < history.count {
            historyIndex = i + 1
            text = history[i + 1]
        } else {
            historyIndex = nil
            text = draft ?? ""
            draft = nil
        }
    }

    /// Ctrl-U: deletes from the start of the line to the caret, as a shell does. Only this line,
    /// so one stray press never wipes a long multi-line draft; at the start of a line it does
    /// nothing.
    public mutating func deleteToLineStart() {
        lines[row] = String(lines[row].dropFirst(col))
        col = 0
    }

    public mutating func home() { col = 0 }
    public mutating func end() { col = lines[row].count }

    /// Takes the text out for sending and remembers it in the history.
    public mutating func take() -> String {
        let t = text
        if !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, history.last != t { history.append(t) }
        lines = [""]
        row = 0
        col = 0
        historyIndex = nil
        draft = nil
        return t
    }
}
