import CNcursesW
import WorkbenchUI

/// What the flusher writes for one grid row: one glyph per terminal cell it starts in, with the
/// continuation cells of wide glyphs left out (`wadd_wchnstr` advances two columns for them).
///
/// The grid and ncurses must agree on every glyph's width or the rest of the row shifts, and a
/// wide glyph in the last column would wrap onto the next line. ncurses measures a cell by
/// `wcwidth` of its first scalar, so that is what decides here:
/// - a wide glyph without a continuation cell after it (the last column, or a grid written by
///   hand) becomes a space;
/// - a glyph the grid gave two columns but ncurses one is followed by a padding space;
/// - a stray continuation cell and control characters become spaces.
public struct Glyph: Equatable, Sendable {
    /// At most `CCHARW_MAX` scalars: one spacing character and its combining marks.
    public var scalars: [UInt32]
    public var style: Style
    /// Terminal columns this glyph covers (1 or 2).
    public var columns: Int

    public init(_ scalars: [UInt32], _ style: Style, columns: Int = 1) {
        self.scalars = scalars
        self.style = style
        self.columns = columns
    }

    public static func space(_ style: Style) -> Glyph { Glyph([0x20], style) }

    public var text: String {
        String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init)))
    }
}

public enum RowGlyphs {
    /// libc's width of a scalar, as ncurses sees it (−1 for unprintable).
    public typealias Width = @Sendable (UInt32) -> Int

    public static let terminalWidth: Width = { Int(nc_wcwidth(wchar_t(truncatingIfNeeded: $0))) }

    public static func glyphs(_ row: ArraySlice<Cell>, width measure: Width = terminalWidth) -> [Glyph] {
        let cells = Array(row)
        var out: [Glyph] = []
        out.reserveCapacity(cells.count)
        var x = 0
        while x < cells.count {
            let cell = cells[x]
            let gridWide = x + 1 < cells.count && cells[x + 1].isContinuation
            var scalars = cell.text.unicodeScalars.prefix(Int(CCHARW_MAX)).map(\.value)
            guard let first = scalars.first, !isControl(first) else {
                // A stray continuation cell or a control character: draw a blank in its place.
                out.append(.space(cell.style))
                x += 1
                continue
            }
            if scalars.count > 1 && measure(first) < 0 { scalars = [first] }  // setcchar refuses these
            let columns = measure(first) == 2 ? 2 : 1
            switch (columns, gridWide) {
            case (2, true):
                out.append(Glyph(scalars, cell.style, columns: 2))
                x += 2
            case (2, false):
                out.append(.space(cell.style))  // never a wide glyph without room: it would wrap
                x += 1
            case (_, true):
                out.append(Glyph(scalars, cell.style))
                out.append(.space(cell.style))
                x += 2
            default:
                out.append(Glyph(scalars, cell.style))
                x += 1
            }
        }
        return out
    }

    private static func isControl(_ v: UInt32) -> Bool { v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) }
}
