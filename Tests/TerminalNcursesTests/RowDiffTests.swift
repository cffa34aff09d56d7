import Testing
import WorkbenchUI

@testable import TerminalNcurses

@Suite("RowDiff")
struct RowDiffTests {
    private func grid(_ lines: [String], width: Int = 10) -> Grid {
        var g = Grid(width: width, height: lines.count)
        for (y, l) in lines.enumerated() { g.put(l, x: 0, y: y) }
        return g
    }

    @Test("no previous frame: every row")
    func firstFrame() {
        #expect(RowDiff.changedRows(from: nil, to: grid(["a", "b", "c"])) == [0, 1, 2])
    }

    @Test("identical frames: no rows")
    func identical() {
        #expect(RowDiff.changedRows(from: grid(["a", "中文", "c"]), to: grid(["a", "中文", "c"])).isEmpty)
    }

    @Test("only the rows whose text or style changed")
    func changed() {
        var new = grid(["a", "b", "c", "d"])
        new.put("x", x: 5, y: 1)
        new.restyle(Rect(x: 0, y: 3, width: 1, height: 1)) { $0.bold = true }
        #expect(RowDiff.changedRows(from: grid(["a", "b", "c", "d"]), to: new) == [1, 3])
    }

    @Test("a cursor move alone rewrites no rows")
    func cursorOnly() {
        var new = grid(["a", "b"])
        new.cursor = (1, 1)
        #expect(RowDiff.changedRows(from: grid(["a", "b"]), to: new).isEmpty)
    }

    @Test("a different size repaints everything")
    func resized() {
        #expect(RowDiff.changedRows(from: grid(["a", "b"], width: 10), to: grid(["a", "b"], width: 12)) == [0, 1])
        #expect(RowDiff.changedRows(from: grid(["a", "b"]), to: grid(["a", "b", "c"])) == [0, 1, 2])
    }
}
