import WorkbenchCore

/// A one-field question (save as template, a tool result to replay with, the budget). The title,
/// the text and the keys are wrapped to the box drawn; a text taller than the box shows its end,
/// where the caret is, under a line that says how many rows are above.
enum TextPromptView {
    static func render(_ p: TextPrompt, into g: inout Grid) {
        let width = min(g.width, 76)
        let inner = max(1, width - 2)
        let isSave: Bool
        let title: String
        switch p.purpose {
        case .saveTemplate: (isSave, title) = (true, "Save as template")
        case .editToolResult: (isSave, title) = (false, "Edit tool result")
        case .budget: (isSave, title) = (true, "Budget")
        case .evalModel: (isSave, title) = (true, "Add a model column")
        }
        let verb = p.purpose == .evalModel ? "add" : "save"
        let question = TextWrap.wrap(plain: StatusView.oneLine(p.title), width: inner, style: Style(.dim))
        // A narrow box gets the keys alone, on one row (help, F1, says the rest).
        let narrowKeys = isSave ? "Enter \(verb) · Esc" : "Enter · Esc cancel"
        let replayKeys = "Enter replay · Alt-Enter new line · Ctrl-U clear · Esc cancel"
        let wideKeys = isSave ? "Enter \(verb) · Esc cancel" : replayKeys
        let keysText = inner < 40 ? narrowKeys : wideKeys
        let keys = TextWrap.wrap(plain: keysText, width: inner, style: Style(.dim))
        let error = p.error.map { TextWrap.wrap(plain: "✖ " + StatusView.oneLine($0), width: inner, style: Style(.error)) } ?? []
        var text = TextLines.split("› " + TerminalText.visible(p.text)).flatMap {
            TextWrap.hardWrap([StyledSpan(String($0), Style(.accent, bold: true))], width: inner)
        }
        let rows = max(1, g.height - 1) - 2
        // The text (its end, where the caret is) before the question: at least two rows.
        let room = max(2, min(10, rows - keys.count - error.count - min(question.count, max(1, rows / 3))))
        if text.count > room {
            let above = text.count - room + 1
            text = [StyledLine([StyledSpan("… \(above) row\(above == 1 ? "" : "s") above", Style(.dim))])]
                + text.suffix(room - 1)
        }
        let r = OverlayView.frame(&g, width: width, height: question.count + text.count + error.count + keys.count + 2, title: title)
        // Bottom up: the keys, any error, the text (and caret); the question gets what is left.
        let keysY = max(r.y, r.maxY - keys.count)
        LineList.draw(keys[...], in: Rect(x: r.x, y: keysY, width: r.width, height: r.maxY - keysY), into: &g)
        let errorY = max(r.y, keysY - error.count)
        LineList.draw(error[...], in: Rect(x: r.x, y: errorY, width: r.width, height: keysY - errorY), into: &g)
        let textY = max(r.y, errorY - text.count)
        LineList.draw(text[...], in: Rect(x: r.x, y: textY, width: r.width, height: errorY - textY), into: &g)
        g.cursor = (min(r.maxX - 1, r.x + (text.last?.width ?? 0)), max(r.y, errorY - 1))
        LineList.draw(question[...], in: Rect(x: r.x, y: r.y, width: r.width, height: textY - r.y), into: &g)
    }
}
