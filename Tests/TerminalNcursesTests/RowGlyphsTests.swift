import Testing
import WorkbenchUI

@testable import TerminalNcurses

@Suite("RowGlyphs")
struct RowGlyphsTests {
    /// A stand-in for wcwidth, so the test does not depend on the process locale.
    private let width: RowGlyphs.Width = { v in
        switch v {
        case 0x300...0x36F: return 0
        case 0x4E00...0x9FFF: return 2
        case 0xE000: return -1
        default: return 1
        }
    }

    private func row(_ cells: [Cell]) -> ArraySlice<Cell> { cells[...] }

    @Test("ASCII: one glyph per cell")
    func ascii() {
        var g = Grid(width: 4, height: 1)
        g.put("ab", x: 0, y: 0)
        #expect(RowGlyphs.glyphs(g.row(0), width: width).map(\.text) == ["a", "b", " ", " "])
    }

    @Test("a wide glyph is written once and covers its continuation cell")
    func wide() {
        let glyphs = RowGlyphs.glyphs(row([Cell("中"), Cell(""), Cell("x")]), width: width)
        #expect(glyphs.map(\.text) == ["中", "x"])
        #expect(glyphs.map(\.columns) == [2, 1])
    }

    @Test("a wide glyph in the last column becomes a space instead of wrapping")
    func wideInLastColumn() {
        let glyphs = RowGlyphs.glyphs(row([Cell("a"), Cell("中")]), width: width)
        #expect(glyphs.map(\.text) == ["a", " "])
        #expect(glyphs.map(\.columns).reduce(0, +) == 2)
    }

    @Test("a wide glyph without a continuation cell becomes a space; a stray continuation too")
    func inconsistent() {
        #expect(RowGlyphs.glyphs(row([Cell("中"), Cell("x"), Cell("")]), width: width).map(\.text) == [" ", "x", " "])
    }

    @Test("a glyph the grid made wide but ncurses measures narrow is padded with a space")
    func narrowButGridWide() {
        let glyphs = RowGlyphs.glyphs(row([Cell("é"), Cell(""), Cell("z")]), width: width)
        #expect(glyphs.map(\.text) == ["é", " ", "z"])
    }

    @Test("combining marks stay with their base; control characters become spaces")
    func combining() {
        let glyphs = RowGlyphs.glyphs(row([Cell("e\u{301}"), Cell("\u{7}")]), width: width)
        #expect(glyphs.map(\.scalars) == [[0x65, 0x301], [0x20]])
    }

    @Test("styles travel with their glyphs")
    func styles() {
        let s = Style(.error, bold: true)
        #expect(RowGlyphs.glyphs(row([Cell("中", s), Cell(""), Cell("a", .plain)]), width: width).map(\.style) == [s, .plain])
    }
}
