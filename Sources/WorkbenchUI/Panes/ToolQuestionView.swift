import WorkbenchCore

/// The tool loop asking: may this call run (y/n), or what did it return (type or paste).
/// Everything is wrapped to the box actually drawn, so nothing is cut at the box's edge; arguments
/// too long for the screen end with a line that says how many more there are and where they are
/// shown whole (the call's entry in the tool trace).
enum ToolQuestionView {
    static func render(_ q: ToolQuestion, queued: Int, into g: inout Grid) {
        let width = min(g.width, 86)
        let inner = max(1, width - 2)
        let args = JSONValue.parse(q.call.function.arguments)?.prettyText ?? q.call.function.arguments
        let header = TextWrap.wrap(plain: "\(q.call.function.name) · \(q.executor) · id \(q.call.id)", width: inner, style: Style(.tool, bold: true))
        // A narrow box gets the keys alone (help, F1, says the rest), so they fit on one row.
        let narrow = inner < 40
        let hint = q.kind == .manualResult
            ? (narrow ? "Enter send · Esc none" : "Enter send · Alt-Enter new line · Ctrl-U clear · Esc no result (the model is told)")
            : (narrow ? "y/a/n · Esc deny" : "y / Enter allow · a always allow · n / Esc deny (the model is told it was not allowed)")
        let hintLines = TextWrap.wrap(plain: hint, width: inner, style: Style(.dim))
        let answer = q.kind == .manualResult ? Array(TextWrap.wrap(plain: "› " + StatusView.oneLine(q.text), width: inner, style: Style(.accent, bold: true)).suffix(6)) : []
        var lines = TextWrap.wrap(plain: TerminalText.visible(args), width: inner, style: Style(.code))
        // Rows the box has for the arguments once the rest is placed (at least one).
        let rows = max(1, g.height - 1)
        let room = max(1, min(max(1, g.height / 2 - 4), rows - 2 - header.count - hintLines.count - answer.count - 1))
        if lines.count > room {
            let hidden = lines.count - room + 1
            lines = Array(lines.prefix(room - 1))
            lines += TextWrap.wrap(plain: "… \(hidden) more line\(hidden == 1 ? "" : "s") (the tool trace shows them all)", width: inner, style: Style(.dim)).prefix(1)
        }
        let title = q.kind == .approve ? "Allow this tool call?" : "Type the result of this tool call"
        let r = OverlayView.frame(&g, width: width, height: header.count + lines.count + answer.count + hintLines.count + 3,
                                  title: title + (queued > 1 ? " (1 of \(queued))" : ""))
        let y = r.y
        // The answer and the keys matter most: they are placed from the bottom, the call above.
        let hintY = max(r.y, r.maxY - hintLines.count)
        LineList.draw(hintLines[...], in: Rect(x: r.x, y: hintY, width: r.width, height: r.maxY - hintY), into: &g)
        let answerY = max(r.y, hintY - answer.count)
        LineList.draw(answer[...], in: Rect(x: r.x, y: answerY, width: r.width, height: hintY - answerY), into: &g)
        if q.kind == .manualResult {
            g.cursor = (min(r.maxX - 1, r.x + (answer.last?.width ?? 2)), max(r.y, hintY - 1))
        }
        let gap = answerY - y > header.count + lines.count ? 1 : 0
        let top = Rect(x: r.x, y: y, width: r.width, height: max(0, answerY - gap - y))
        LineList.draw((header + lines)[...], in: top, into: &g)
    }
}
