import WorkbenchCore

/// The tool loop asking: may this call run (y/n), or what did it return (type or paste).
enum ToolQuestionView {
    static func render(_ q: ToolQuestion, queued: Int, into g: inout Grid) {
        let args = JSONValue.parse(q.call.function.arguments)?.prettyText ?? q.call.function.arguments
        var lines = TextWrap.wrap(plain: args, width: 80, style: Style(.code))
        lines = Array(lines.prefix(max(1, g.height / 2 - 4)))
        let answer = q.kind == .manualResult ? TextWrap.wrap(plain: "› " + q.text, width: 80, style: Style(.accent, bold: true)).suffix(6) : []
        let title = q.kind == .approve ? "Allow this tool call?" : "Type the result of this tool call"
        let r = OverlayView.frame(&g, width: 86, height: lines.count + answer.count + 6, title: title + (queued > 1 ? " (1 of \(queued))" : ""))
        var y = r.y
        g.put("\(q.call.function.name) · \(q.executor) · id \(q.call.id)", x: r.x, y: y, style: Style(.tool, bold: true), limit: r.width)
        y += 1
        LineList.draw(lines[...], in: Rect(x: r.x, y: y, width: r.width, height: lines.count), into: &g)
        y += lines.count + 1
        if q.kind == .manualResult {
            LineList.draw(Array(answer)[...], in: Rect(x: r.x, y: y, width: r.width, height: answer.count), into: &g)
            g.cursor = (min(r.maxX - 1, r.x + (answer.last?.width ?? 2)), y + max(0, answer.count - 1))
            y += answer.count
            g.put("Enter send · Alt-Enter new line · Ctrl-U clear · Esc no result (the model is told)", x: r.x, y: r.maxY - 1, style: Style(.dim), limit: r.width)
        } else {
            g.put("y / Enter allow · a always allow · n / Esc deny (the model is told it was not allowed)", x: r.x, y: r.maxY - 1, style: Style(.dim), limit: r.width)
        }
    }
}
