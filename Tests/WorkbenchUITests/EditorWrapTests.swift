import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// The prompt editor soft-wraps (issue 11, defect 13): rows by display width, the caret always
/// inside the pane, ↑↓ and Home/End by visual row, and the editor growing before it scrolls.
@Suite("Editor soft wrap")
struct EditorWrapTests {
    func rowTexts(_ s: String, _ width: Int) -> [String] {
        _ = utf8Locale
        let chars = Array(s)
        return SoftWrap.rows(chars, width: width).map { String(chars[$0.start..<$0.end]) }
    }

    @Test("rows break after spaces, keep every character, and split only words wider than the row")
    func words() {
        #expect(rowTexts("hello world foo", 8) == ["hello ", "world ", "foo"])
        #expect(rowTexts("abcdefghij", 4) == ["abcd", "efgh", "ij"])
        #expect(rowTexts("", 5) == [""])
        #expect(rowTexts("a  b", 10) == ["a  b"])
    }

    @Test("a row that fills the width is followed by an empty row for the caret at the line's end")
    func fullRow() {
        #expect(rowTexts("abcd", 4) == ["abcd", ""])
        #expect(rowTexts("abc", 4) == ["abc"])
    }

    @Test("CJK is two columns a glyph, may break between glyphs, never before a closing comma")
    func cjk() {
        _ = utf8Locale
        #expect(rowTexts("你好世界你好", 5) == ["你好", "世界", "你好"])
        let rows = rowTexts("你好，世界。", 4)
        #expect(!rows.contains { $0.hasPrefix("，") || $0.hasPrefix("。") }, "\(rows)")
        #expect(rows.joined() == "你好，世界。")
        #expect(rows.allSatisfy { DisplayWidth.of($0) <= 4 })
        // Emoji and combining marks are one grapheme: one caret step, their own width.
        #expect(rowTexts("e\u{301}e\u{301}👍x", 3) == ["éé", "👍x", ""])
    }

    @Test("every caret position is inside the width, for any text and width (CJK, emoji, tabs, controls)")
    func caretAlwaysInside() {
        _ = utf8Locale
        let pieces: [String] = ["a", "b", " ", "  ", "你", "好", "，", "。", "（", "👍", "e\u{301}", "\t", "\u{1}", "word", "ありがとう", "-"]
        var rng = SplitMix(seed: 7)
        for _ in 0..<400 {
            var s = ""
            for _ in 0..<Int(rng.next() % 40) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let chars = Array(s)
            for width in [1, 2, 3, 5, 8, 20] {
                let rows = SoftWrap.rows(chars, width: width)
                // Rows tile the line in order, each within the width (a lone wide glyph in one
                // column is the only exception, and Grid.put draws it as …).
                #expect(rows.first?.start == 0 && rows.last?.end == chars.count)
                for (a, b) in zip(rows, rows.dropFirst()) { #expect(a.end == b.start) }
                for r in rows where r.end - r.start > 1 || width >= 2 { #expect(r.width <= width, "\(s.debugDescription) at \(width)") }
                for col in 0...chars.count {
                    let (k, x) = SoftWrap.locate(col, in: chars, rows: rows)
                    #expect(x < max(width, 2), "caret \(col) of \(s.debugDescription) at \(width): row \(k) x \(x)")
                    #expect(col >= rows[k].start && col <= rows[k].end)
                }
            }
        }
    }

    @Test("↑↓ move by visual row inside a wrapped line, keeping the column; history only past the first row")
    func upDown() {
        var e = EditorState()
        e.history = ["older"]
        e.text = "aaaa bbbb cccc"           // rows at 5: "aaaa " "bbbb " "cccc"
        #expect(e.col == 14)
        e.up(width: 5)
        #expect((e.row, e.col) == (0, 9))
        e.up(width: 5)
        #expect((e.row, e.col) == (0, 4))
        e.down(width: 5)
        e.down(width: 5)
        #expect((e.row, e.col) == (0, 14))
        e.home(width: 5)
        e.up(width: 5)
        e.up(width: 5)
        #expect(e.col == 0 && e.text == "aaaa bbbb cccc", "still in the text, not in history")
        e.up(width: 5)
        #expect(e.text == "older", "the first row of the first line browses history")
        e.down(width: 5)
        #expect(e.text == "aaaa bbbb cccc")
    }

    @Test("a run of ↑↓ aims at the column it started from, past shorter rows")
    func goalColumn() {
        var e = EditorState()
        e.text = "aaaaaaaa\nb\ncccccccc"
        e.row = 0
        e.col = 6
        e.down()
        #expect((e.row, e.col) == (1, 1))
        e.down()
        #expect((e.row, e.col) == (2, 6))
        e.left()
        e.up()
        #expect((e.row, e.col) == (1, 1))
        e.up()
        #expect((e.row, e.col) == (0, 5), "a horizontal move sets a new goal: column 5")
    }

    @Test("↑↓ across CJK rows land on a glyph boundary at the nearest column")
    func cjkUpDown() {
        _ = utf8Locale
        var e = EditorState()
        e.text = "ab你好世界"               // rows at 5: "ab你" "好世" "界"
        e.up(width: 5)
        #expect(e.col == 4, "x 2 on the row above is where 世 starts")
        e.up(width: 5)
        #expect(e.col == 2, "x 2 on the first row is where 你 starts")
        e.down(width: 5)
        #expect(e.col == 4)
        e.col = 3                          // the first row's end is drawn at the next row's start
        #expect(SoftWrap.locate(3, in: Array(e.text), rows: e.visualRows(0, width: 5)) == (1, 0))
        e.down(width: 5)
        #expect(e.col == 5, "x 0 of the last row: before 界")
    }

    @Test("Home and End go to the visual row's edges first, then to the line's")
    func homeEnd() {
        var e = EditorState()
        e.text = "aaaa bbbb cccc"
        e.col = 7
        e.home(width: 5)
        #expect(e.col == 5)
        e.home(width: 5)
        #expect(e.col == 0)
        e.col = 6
        e.end(width: 5)
        #expect(e.col == 9, "before the space the row broke at: drawn on this row")
        e.end(width: 5)
        #expect(e.col == 14)
        e.end(width: 5)
        #expect(e.col == 14)
        e.home()
        #expect(e.col == 0, "unwrapped, Home is the line's start")
    }

    @Test("the reducer moves by the rows the editor draws, at its width in the layout")
    func reducerUsesLayoutWidth() {
        var s = makeState(80, 24)
        s.focus = .editor
        let width = ScreenLayout.editorWidth(s)
        #expect(width == 80)
        type(&s, String(repeating: "x", count: 100))
        _ = key(&s, .up)
        #expect((s.editor.row, s.editor.col) == (0, 20), "one row of 80 up from column 20 of the second")
        _ = key(&s, .home)
        #expect(s.editor.col == 0)
        _ = key(&s, .end)
        #expect(s.editor.col == 79)
        _ = key(&s, .ctrl("u"))
        #expect(s.editor.text == String(repeating: "x", count: 21), "Ctrl-U still deletes to the line's start")
    }

    @Test("the editor grows with its text up to its limit, then scrolls with the caret in view")
    func growsThenScrolls() {
        var s = makeState(120, 36)
        s.focus = .editor
        let base = ScreenLayout.compute(s).panes[.editor]!.height
        type(&s, String(repeating: "word ", count: 60))
        let grown = ScreenLayout.compute(s).panes[.editor]!.height
        #expect(grown > base)
        type(&s, String(repeating: "more text ", count: 200))
        let layout = ScreenLayout.compute(s)
        let editor = layout.panes[.editor]!
        #expect(editor.height == 33 / 2, "capped at half the centre column")
        #expect(layout.panes[.conversation]!.height + editor.height == 33)
        let g = Screen.render(s)
        let cursor = try! #require(g.cursor)
        #expect(editor.inset(1).contains(x: cursor.x, y: cursor.y))
        #expect(cursor.y == editor.maxY - 2, "the caret's row is the last one shown")
        for _ in 0..<500 { _ = key(&s, .up) }
        let top = Screen.render(s)
        #expect(top.cursor?.y == editor.y + 1, "at the top the first row shows")
        #expect(top.text.contains("│word word word"))
    }
}

/// Golden screens of a long mixed CJK line in the editor at the three sizes the workbench
/// promises; at the two larger ones the whole line is on screen, wrapped, start included.
@Suite("Editor soft wrap, golden screens")
struct EditorWrapGoldenTests {
    static let line = "请用中文总结下面这段话：这是一段很长的中文文本，用来测试提示编辑器按显示宽度自动换行，"
        + "mixed with English words, e\u{301}, and an emoji 👍 at the end."

    /// The editor's inner rows, read cell by cell (a wide glyph's second cell is empty text).
    func editorText(_ g: Grid, _ r: Rect) -> String {
        var out = ""
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { out += g[x, y].text } }
        return out.filter { $0 != " " }
    }

    @Test("a long CJK line wraps by display width", arguments: [(120, 36), (80, 24), (20, 6)])
    func golden(_ size: (Int, Int)) throws {
        var s = makeState(size.0, size.1)
        s.focus = .editor
        type(&s, Self.line)
        let g = Screen.render(s)
        assertGolden(g, "editor-wrap-\(size.0)x\(size.1)")
        let inner = try #require(ScreenLayout.compute(s).inner(.editor))
        let cursor = try #require(g.cursor)
        #expect(inner.contains(x: cursor.x, y: cursor.y))
        if size.0 >= 80 {
            #expect(editorText(g, inner) == Self.line.filter { $0 != " " }, "every character on screen, in order")
        }
    }
}

/// A tiny deterministic generator, so the property test is repeatable.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
