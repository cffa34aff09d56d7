import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// Issue 11, defect 6: every cut shows `…`, nothing overlaps the status line, and the full text
/// of whatever is cut can be reached: screens and overlays at 120×36, 80×24 and 20×6.
@Suite("Truncation: … everywhere, the whole text reachable")
struct TruncationTests {
    static let sizes: [(Int, Int)] = [(120, 36), (80, 24), (20, 6)]
    static let refusal = "budget reached: $1.00 of $1.00 — sending is refused (palette: Budget… raises it, F8 overrides once)"

    /// The rows of a frame as plain text, without box borders and scroll bars.
    static func words(_ g: Grid) -> String {
        g.text.split(separator: "\n").map { row in
            row.replacingOccurrences(of: "│", with: " ").replacingOccurrences(of: "┃", with: " ")
        }.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    /// The rows inside the help overlay's box.
    static func helpRows(_ g: Grid) -> [String] {
        let lines = g.text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let top = lines.firstIndex(where: { String($0).contains("┌─ Keys") }) else { return [] }
        let x = String(lines[top]).distance(from: String(lines[top]).startIndex, to: String(lines[top]).range(of: "┌─ Keys")!.lowerBound)
        let w = (lines[top][x...].firstIndex(of: "┐") ?? lines[top].count - 1) - x + 1
        var out: [String] = []
        for line in lines[(top + 1)...] {
            if line.count > x, line[x] == "└" { break }
            out.append(String(line[min(line.count, x + 1)..<min(line.count, x + w - 1)]))
        }
        return out
    }

    /// Everything the help overlay shows as it is scrolled to its end, one row after another.
    static func helpText(_ s: inout AppState) -> String {
        var rows: [String] = []
        var last: [String] = []
        for _ in 0..<400 {
            let inner = helpRows(Screen.render(s))
            if inner == last { break }
            if let first = inner.first { rows.append(first) }
            last = inner
            _ = key(&s, .down)
        }
        rows += last.dropFirst()
        return rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    /// No cell holds a control character, and the status row is the status line (no overlay on it).
    func checkFrame(_ g: Grid, _ s: AppState, sourceLocation: SourceLocation = #_sourceLocation) {
        for c in g.cells { #expect(!c.text.unicodeScalars.contains { TerminalText.isControl($0) }, sourceLocation: sourceLocation) }
        let status = g.row(g.height - 1)
        #expect(status.allSatisfy { $0.style.role == .status || $0.style.role == .statusKey }, "an overlay covers the status line", sourceLocation: sourceLocation)
    }

    @Test("a long status message gives way to nothing: the summary goes first, then it is cut with … (F1 full), and F1 shows it whole",
          arguments: sizes)
    func longStatus(_ size: (Int, Int)) {
        var s = makeState(size.0, size.1)
        s.statusMessage = Self.refusal
        let g = Screen.render(s)
        checkFrame(g, s)
        assertGolden(g, "trunc-status-\(size.0)x\(size.1)")
        let row = g.text.split(separator: "\n").last.map(String.init) ?? ""
        if size.0 >= 120 {
            #expect(row.contains(Self.refusal), "at 120 columns the whole message fits once the summary gives way")
        } else {
            #expect(row.contains("…"), "\(row)")
            #expect(row.hasSuffix(size.0 >= 40 ? "(F1 full)" : "F1"), "\(row)")
        }
        _ = key(&s, .function(1))
        #expect(Self.helpText(&s).contains("Status: " + Self.refusal))
    }

    @Test("a status message cannot write to the terminal: controls are shown, line breaks are spaces")
    func statusControls() {
        var s = makeState(120, 36)
        s.statusMessage = "saved \u{1b}]52;c;aGk=\u{07} to\n/tmp/x\u{9b}2J"
        let g = Screen.render(s)
        checkFrame(g, s)
        let row = String(g.text.split(separator: "\n").last ?? "")
        #expect(row.contains("saved ␛]52;c;aGk=␇ to /tmp/x"), "\(row)")
    }

    @Test("the palette: titles cut with …, the selected one whole under the list", arguments: sizes)
    func palette(_ size: (Int, Int)) {
        var s = makeState(size.0, size.1)
        _ = key(&s, .ctrl("p"))
        type(&s, "export")
        let g = Screen.render(s)
        checkFrame(g, s)
        assertGolden(g, "trunc-palette-\(size.0)x\(size.1)")
        if size.0 >= 80 { #expect(Self.words(g).contains(Action.export.title)) }
    }

    @Test("F2: a long model name is whole on its selected row, cut with … otherwise", arguments: sizes)
    func parameters(_ size: (Int, Int)) {
        var s = makeState(size.0, size.1)
        s.model = "glm-4-32b-0414-128k-served-through-a-very-long-gateway-path/and/a/long/deployment/name"
        _ = key(&s, .function(2))
        let g = Screen.render(s)
        checkFrame(g, s)
        assertGolden(g, "trunc-parameters-\(size.0)x\(size.1)")
        if size.1 >= 24 {
            // Inside the box only: the taller form (issue 14's fields) overlaps the hint row behind
            // it, whose cut tail shows right of the box.
            let rows = g.text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
            let top = rows.firstIndex { String($0).contains("┌─ Model parameters") } ?? 0
            let left = rows[top].firstIndex(of: "┌") ?? 0
            let right = rows[top].lastIndex(of: "┐") ?? rows[top].count
            let inside = rows[(top + 1)...].map { String($0[min(left + 1, $0.count)..<min(right, $0.count)]) }
                .joined().replacingOccurrences(of: " ", with: "")
            #expect(inside.contains(s.model), "the selected value wraps, whole")
        }
        _ = key(&s, .down)
        let moved = Screen.render(s)
        #expect(moved.text.contains("glm-4-32b"), "another field selected: the model is still shown, cut")
        for _ in 0..<5 { _ = key(&s, .down) }
        let last = Screen.render(s)
        #expect(last.text.contains("› json mode"), "the selected field is always in view")
    }

    @Test("a tool approval with long arguments: wrapped to the box, the rest counted", arguments: sizes)
    func approval(_ size: (Int, Int)) {
        var s = makeState(size.0, size.1)
        let args = "{" + (1...40).map { "\"field\($0)\":\"a value that is long enough to wrap\"" }.joined(separator: ",") + "}"
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "q1", kind: .approve, call: ToolCall(id: "call_1", name: "lookup", arguments: args),
                                                executor: "command ./lookup.sh --with --a --long --command --line")))
        let g = Screen.render(s)
        checkFrame(g, s)
        assertGolden(g, "trunc-approve-\(size.0)x\(size.1)")
        #expect(g.text.contains("Esc deny"), "the keys to answer are always shown")
        if size.1 >= 24 { #expect(g.text.contains("more lines (the tool trace shows them all)")) }
    }

    @Test("editing a tool result: the question and keys wrap, a long text shows its end", arguments: sizes)
    func editResult(_ size: (Int, Int)) {
        var s = makeState(size.0, size.1)
        var p = TextPrompt(purpose: .editToolResult(runId: "r1", callId: "c1"),
                           title: "New result for get_weather — Enter replays the loop from here, Esc keeps it")
        p.text = (1...30).map { "line \($0) of the edited result" }.joined(separator: "\n")
        s.overlay = .textPrompt(p)
        let g = Screen.render(s)
        checkFrame(g, s)
        assertGolden(g, "trunc-edit-result-\(size.0)x\(size.1)")
        #expect(g.text.contains(size.0 >= 80 ? "line 30 of the edited result" : "ted result"), "the end, where the caret is, is shown")
        #expect(g.text.contains("rows above"))
        if size.1 >= 24 { #expect(Self.words(g).contains("Enter replays the loop from here, Esc keeps it")) }
    }

    @Test("help: never on the status line; stacked under its keys when narrow", arguments: sizes)
    func help(_ size: (Int, Int)) {
        var s = makeState(size.0, size.1)
        _ = key(&s, .function(1))
        let g = Screen.render(s)
        checkFrame(g, s)
        assertGolden(g, "trunc-help-\(size.0)x\(size.1)")
        let all = Self.helpText(&s)
        for a in Action.allCases { #expect(all.contains(a.title), "\(a.title) at \(size)") }
    }

    @Test("the narrow pane switcher keeps every number and cuts the title with …")
    func tabs() {
        _ = utf8Locale
        let labels = Tabs.labels(width: 20, focus: .editor)
        #expect(labels.count == PaneID.allCases.count)
        #expect(labels.reduce(0) { $0 + DisplayWidth.of($1.1) } <= 20)
        #expect(labels.contains { $0.1.contains("…") })
    }

    @Test("a row of spans that fills its width exactly before the last span still ends in …")
    func styledLineCut() {
        _ = utf8Locale
        var g = Grid(width: 10, height: 1)
        StyledLine([StyledSpan("0123456789"), StyledSpan(" more")]).draw(into: &g, x: 0, y: 0, limit: 10)
        #expect(g.text == "012345678…")
        var h = Grid(width: 10, height: 1)
        StyledLine([StyledSpan("0123456789"), StyledSpan("   ")]).draw(into: &h, x: 0, y: 0, limit: 10)
        #expect(h.text == "0123456789", "blank padding is not text")
    }
}
