import CNcursesW
import WorkbenchUI

/// The grid flusher: rows that changed since the last frame are re-encoded as `cchar_t`s and
/// written with `mvwadd_wchnstr` (which, unlike `waddstr`, neither moves the cursor nor fails
/// in the bottom-right cell); then one `wnoutrefresh` + `doupdate`, where ncurses does its own
/// cell-level diff against the physical screen.
extension NcursesTerminal {
    public func flush(_ grid: Grid) {
        guard !isShutDown, !isPaused else { return }
        let cols = Int(nc_cols()), lines = Int(nc_lines())
        let fullRepaint = lastGrid.map { $0.width != grid.width || $0.height != grid.height } ?? true

        var cells: [cchar_t] = []
        cells.reserveCapacity(min(grid.width, cols))
        var wch = [wchar_t](repeating: 0, count: Int(CCHARW_MAX) + 1)
        for y in RowDiff.changedRows(from: lastGrid, to: grid) where y < lines {
            cells.removeAll(keepingCapacity: true)
            // A grid wider than the window (mid-resize) is cut at the window's edge; RowGlyphs
            // then turns a wide glyph whose second half was cut into a space.
            let row = grid.width > cols ? grid.row(y).prefix(cols) : grid.row(y)
            for glyph in RowGlyphs.glyphs(row) {
                cells.append(encode(glyph, into: &wch))
            }
            if !cells.isEmpty { mvwadd_wchnstr(window, Int32(y), 0, &cells, Int32(cells.count)) }
            if grid.width < cols {
                wmove(window, Int32(y), Int32(grid.width))
                wclrtoeol(window)
            }
        }
        if fullRepaint && grid.height < lines {
            wmove(window, Int32(grid.height), 0)
            wclrtobot(window)
        }
        placeCursor(grid.cursor, cols: cols, lines: lines)
        if needsClear {
            clearok(window, true)
            needsClear = false
        }
        wnoutrefresh(window)
        doupdate()
        lastGrid = grid
    }

    private func placeCursor(_ cursor: (x: Int, y: Int)?, cols: Int, lines: Int) {
        if let c = cursor, c.x >= 0, c.y >= 0, c.x < cols, c.y < lines {
            if cursorVisible != true {
                curs_set(1)
                cursorVisible = true
            }
            wmove(window, Int32(c.y), Int32(c.x))
        } else if cursorVisible != false {
            curs_set(0)
            cursorVisible = false
        }
    }

    private func encode(_ glyph: Glyph, into wch: inout [wchar_t]) -> cchar_t {
        let (attrs, pair) = attributes(for: glyph.style)
        var n = 0
        for s in glyph.scalars where n < Int(CCHARW_MAX) {
            wch[n] = wchar_t(truncatingIfNeeded: s)
            n += 1
        }
        wch[n] = 0
        var cc = cchar_t()
        var opts = pair  // extended pair number: setcchar's short argument stops at 32767
        if setcchar(&cc, wch, attrs, Int16(clamping: pair), &opts) != OK {
            wch[0] = 0x20
            wch[1] = 0
            setcchar(&cc, wch, attrs, Int16(clamping: pair), &opts)
        }
        return cc
    }

    /// The theme's look for a role OR'ed with the cell's own emphasis, and its colour pair
    /// (allocated on first use). Cached per `Style` until the theme changes.
    func attributes(for style: Style) -> (attrs: attr_t, pair: Int32) {
        if let hit = styleCache[style] { return hit }
        let look = theme.style(for: style.role)
        var attrs = nc_a_normal()
        if style.bold || look.bold { attrs |= nc_a_bold() }
        if style.reverse || look.reverse { attrs |= nc_a_reverse() }
        if style.underline { attrs |= nc_a_underline() }
        if style.italic { attrs |= nc_a_italic() }
        let p = pairs.pair(fg: look.fg, bg: look.bg)
        if p.isNew && init_extended_pair(p.pair, p.entry.fg, p.entry.bg) != OK {
            // The terminal refused it (e.g. -1 without default-colour support): draw in the default pair.
            styleCache[style] = (attrs, 0)
            return (attrs, 0)
        }
        styleCache[style] = (attrs, p.pair)
        return (attrs, p.pair)
    }

    /// The text ncurses holds for a screen row (wide glyphs once, continuation cells skipped):
    /// lets tests check what was drawn without parsing escape sequences.
    func screenText(row y: Int) -> String {
        let n = Int(nc_cols())
        var buf = [wchar_t](repeating: 0, count: n + 1)
        let (cy, cx) = (getcury(window), getcurx(window))
        defer { wmove(window, cy, cx) }
        let count = mvwinnwstr(window, Int32(y), 0, &buf, Int32(n))
        guard count != ERR else { return "" }
        return String(String.UnicodeScalarView(buf.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
    }
}
