import Foundation
import WorkbenchCore

/// The conversation pane: every turn laid out by display width (CJK never split), replies as
/// Markdown, a cursor mark while streaming, an error block for failures and a dim footer with
/// tokens, cost, TTFT, tokens/s and the finish reason.
public enum ConversationView {
    /// A finished reply is rendered whole; a streaming one incrementally (see StreamingLayout).
    static func markdown(_ turn: Turn, width: Int, streaming: StreamingLayout) -> [StyledLine] {
        guard turn.streaming else { return MarkdownRenderer.render(turn.text, width: width) }
        return streaming.lines(for: turn.text, turnId: turn.id, width: width)
    }

    static func lines(for turn: Turn, width: Int, streaming: StreamingLayout = StreamingLayout()) -> [StyledLine] {
        var out: [StyledLine] = []
        switch turn.kind {
        case .user:
            out.append(StyledLine([StyledSpan(text: "▶ You", style: Style(.user, bold: true))]))
            out += TextWrap.wrap(plain: turn.text, width: width, style: Style(.text))
        case .note:
            out += TextWrap.wrap(plain: turn.text, width: width, style: Style(.dim))
        case .assistant:
            var head = "◆ Assistant"
            if turn.streaming {
                switch turn.mode {
                case .stream?: head += " · streaming…"
                case .nonStream?: head += " · waiting for the whole reply (non-stream)…"
                case nil: head += " · sending…"
                }
            }
            out.append(StyledLine([StyledSpan(text: head, style: Style(.assistant, bold: true))]))
            out += thinkingLines(turn, width: width)
            var body = turn.text.isEmpty ? [] : markdown(turn, width: width, streaming: streaming)
            if turn.streaming {
                if let last = body.popLast(), last.width < width {
                    body.append(StyledLine(last.spans + [StyledSpan(text: "▌", style: Style(.cursor))]))
                } else {
                    body.append(StyledLine([StyledSpan(text: "▌", style: Style(.cursor))]))
                }
            }
            out += body
            for call in turn.toolCalls {
                let text = "⚙ " + (call.name ?? "?") + "(" + call.arguments + ")"
                out += TextWrap.wrap(plain: text, width: width, style: Style(.tool))
            }
            if let e = turn.error { out += errorBlock(e, width: width) }
            if turn.status == .cancelled {
                out.append(StyledLine([StyledSpan(text: "⏹ cancelled — the partial reply is kept", style: Style(.warning))]))
            }
            // The screen shows what the model will receive: a reply left out of the history
            // (with the prompt it answers) says so where it stands.
            if !turn.streaming, turn.status != nil, !turn.inHistory {
                out += TextWrap.wrap(plain: "↷ not sent to the model: this prompt and reply are left out of the next requests", width: width, style: Style(.dim))
            }
            if let f = turn.footer { out += TextWrap.wrap(plain: f, width: width, style: Style(.dim)) }
        }
        out.append(StyledLine([]))
        return out
    }

    /// A thinking model's reasoning, above its reply and set apart (dim, under its own heading):
    /// open while the model thinks, one line once the answer starts; Alt-T toggles it.
    static func thinkingLines(_ turn: Turn, width: Int) -> [StyledLine] {
        guard !turn.reasoning.isEmpty else { return [] }
        let words = turn.reasoning.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
        guard turn.showsThinking else {
            let head = "▸ thinking (\(words) word\(words == 1 ? "" : "s")) · Alt-T shows it"
            return TextWrap.wrap(plain: head, width: width, style: Style(.dim, bold: true))
        }
        let head = "▾ thinking · Alt-T hides it"
        let text = turn.reasoning.trimmingCharacters(in: .whitespacesAndNewlines)
        return TextWrap.wrap(plain: head, width: width, style: Style(.dim, bold: true))
            + TextWrap.wrap(plain: text, width: width, style: Style(.dim))
            + [StyledLine([])]
    }

    /// A failure as the user should read it: what happened, the Z.AI code and its meaning, and
    /// what to do — never a raw dump.
    static func errorBlock(_ e: RunError, width: Int) -> [StyledLine] {
        var title: String
        switch e.kind {
        case .api:
            title = "API error" + (e.code.map { " \($0)" } ?? "") + (e.httpStatus.map { " (HTTP \($0))" } ?? "")
        case .transport: title = "Connection failed"
        case .interrupted: title = "Stream interrupted — partial reply kept"
        case .contentFilter: title = "Stopped by content safety"
        case .malformed: title = "Malformed response"
        case .invalidRequest: title = "Not sent: invalid request"
        }
        var rows: [(String, Style)] = [("✖ " + title, Style(.error, bold: true))]
        if let m = e.meaning { rows.append(("  " + m, Style(.error))) }
        if e.message != e.meaning { rows.append(("  " + e.message, Style(.text))) }
        if let a = e.advice { rows.append(("  What to do: " + a, Style(.warning))) }
        rows.append((e.retryable ? "  (retryable)" : "  (not retried)", Style(.dim)))
        return rows.flatMap { TextWrap.wrap(plain: $0.0, width: width, style: $0.1) }
    }

    static func cachedLines(_ s: AppState, _ turn: Turn, width: Int) -> [StyledLine] {
        s.layoutCache.lines(id: turn.id, version: turn.version &* 4 &+ (turn.streaming ? 1 : 0), width: width) {
            lines(for: turn, width: width, streaming: s.layoutCache.streaming)
        }
    }

    /// The system prompt heads the conversation, as it heads every request, so the screen
    /// shows all the model receives (Alt-S edits it).
    static func systemLines(_ s: AppState, width: Int) -> [StyledLine] {
        guard let system = s.system, !system.isEmpty else { return [] }
        return s.layoutCache.lines(id: "\u{0}system", version: system.hashValue, width: width) {
            [StyledLine([StyledSpan(text: "⚙ System prompt", style: Style(.dim, bold: true)),
                         StyledSpan(text: " · Alt-S edits", style: Style(.dim))])]
                + TextWrap.wrap(plain: system, width: width, style: Style(.dim)) + [StyledLine([])]
        }
    }

    public static func lineCount(_ s: AppState, width: Int) -> Int {
        s.turns.reduce(systemLines(s, width: width).count) { $0 + cachedLines(s, $1, width: width).count }
    }

    public static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        let system = systemLines(s, width: r.width)
        if s.turns.isEmpty {
            let hint = ["No messages yet.", "", "Type a prompt below and press Ctrl-S (or Alt-Enter) to send.",
                        "F1 shows every key; Ctrl-P opens the command palette; Alt-S sets a system prompt."]
            let rows = system.map { $0 } + hint.map { StyledLine([StyledSpan(text: $0, style: Style(.dim))]) }
            for (i, line) in rows.enumerated() where i < r.height { line.draw(into: &g, x: r.x, y: r.y + i, limit: r.width) }
            return
        }
        let perTurn = (system.isEmpty ? [] : [system]) + s.turns.map { cachedLines(s, $0, width: r.width) }
        let total = perTurn.reduce(0) { $0 + $1.count }
        let maxTop = max(0, total - r.height)
        let top = s.conversationScroll.follow ? maxTop : min(s.conversationScroll.top, maxTop)
        // Scrolled up with more below: the last row says so on its own, never over the text.
        let below = total - top - r.height
        let more = !s.conversationScroll.follow && top < maxTop && r.height >= 2
        let text = more ? Rect(x: r.x, y: r.y, width: r.width, height: r.height - 1) : r
        var skip = top
        var y = text.y
        for lines in perTurn {
            if skip >= lines.count { skip -= lines.count; continue }
            for line in lines[skip...] {
                if y >= text.maxY { break }
                line.draw(into: &g, x: text.x, y: y, limit: text.width)
                y += 1
            }
            skip = 0
            if y >= text.maxY { break }
        }
        LineList.scrollbar(total: total, top: top, in: r, into: &g)
        if more {
            let badge = "↓ \(below + 1) more line\(below + 1 == 1 ? "" : "s") · End follows the reply"
            g.fill(Rect(x: r.x, y: r.maxY - 1, width: max(0, r.width - 1), height: 1))
            g.put(badge, x: r.x, y: r.maxY - 1, style: Style(.accent, reverse: true), limit: max(0, r.width - 1))
        }
    }
}
