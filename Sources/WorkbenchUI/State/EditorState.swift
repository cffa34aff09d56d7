import Foundation

/// The prompt editor: multi-line text with a caret, and the history of sent prompts.
/// Positions count Characters (graphemes), so a CJK character or an emoji is one step.
///
/// Long lines are soft-wrapped on screen (`SoftWrap`); the moves that depend on the wrap (↑↓ by
/// visual row, Home/End of a visual row) take the editor's width, which only the layout knows.
/// A width of `Int.max` means unwrapped: one visual row per line.
public struct EditorState: Sendable, Equatable {
    public var lines: [String] = [""] { didSet { goalX = nil } }
    public var row = 0 { didSet { goalX = nil } }
    public var col = 0 { didSet { goalX = nil } }
    public var history: [String] = []
    /// Index into `history` while browsing it; nil when editing a fresh draft.
    public var historyIndex: Int?
    private var draft: String?
    /// The column ↑/↓ aim for: kept across a run of vertical moves, so passing a short row does
    /// not pull the caret to the left for good; any other change forgets it.
    public private(set) var goalX: Int?

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

    /// The visual rows of line `k` at `width` columns.
    public func visualRows(_ k: Int, width: Int) -> [VisualRow] {
        SoftWrap.rows(Array(lines[k]), width: width)
    }

    /// Up moves one visual row (into the previous line's last row at the top of a wrapped line);
    /// on the first row of the first line it browses history.
    public mutating func up(width: Int = .max) {
        let chars = Array(lines[row])
        let rows = SoftWrap.rows(chars, width: width)
        let (k, x) = SoftWrap.locate(col, in: chars, rows: rows)
        let goal = goalX ?? x
        if k > 0 {
            col = SoftWrap.offset(atX: goal, row: k - 1, in: chars, rows: rows)
            goalX = goal
            return
        }
        if row > 0 {
            row -= 1
            let above = Array(lines[row])
            let aboveRows = SoftWrap.rows(above, width: width)
            col = SoftWrap.offset(atX: goal, row: aboveRows.count - 1, in: above, rows: aboveRows)
            goalX = goal
            return
        }
        guard !history.isEmpty else { return }
        if historyIndex == nil { draft = text; historyIndex = history.count }
        if let i = historyIndex, i > 0 {
            historyIndex = i - 1
            text = history[i - 1]
            row = 0
            col = min(col, lines[0].count)
        }
    }

    /// Down moves one visual row; on the last row of the last line it browses history forward,
    /// back to the draft.
    public mutating func down(width: Int = .max) {
        let chars = Array(lines[row])
        let rows = SoftWrap.rows(chars, width: width)
        let (k, x) = SoftWrap.locate(col, in: chars, rows: rows)
        let goal = goalX ?? x
        if k + 1 < rows.count {
            col = SoftWrap.offset(atX: goal, row: k + 1, in: chars, rows: rows)
            goalX = goal
            return
        }
        if row + 1 < lines.count {
            row += 1
            let below = Array(lines[row])
            col = SoftWrap.offset(atX: goal, row: 0, in: below, rows: SoftWrap.rows(below, width: width))
            goalX = goal
            return
        }
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

    /// Home goes to the start of the visual row; pressed there, to the start of the line.
    public mutating func home(width: Int = .max) {
        let chars = Array(lines[row])
        let rows = SoftWrap.rows(chars, width: width)
        let start = rows[SoftWrap.locate(col, in: chars, rows: rows).row].start
        col = col == start ? 0 : start
    }

    /// End goes to the end of the visual row (on a wrapped row, before its last character, which
    /// is usually the space it broke at: a caret after it would be drawn on the next row);
    /// pressed there, to the end of the line.
    public mutating func end(width: Int = .max) {
        let chars = Array(lines[row])
        let rows = SoftWrap.rows(chars, width: width)
        let k = SoftWrap.locate(col, in: chars, rows: rows).row
        let rowEnd = k == rows.count - 1 ? rows[k].end : max(rows[k].start, rows[k].end - 1)
        col = col == rowEnd ? chars.count : rowEnd
    }

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
