/// A run of text in one style: the unit that layout produces and panes draw, so styles survive
/// wrapping without the layout knowing anything about the grid.
public struct StyledSpan: Sendable, Equatable, Hashable {
    public var text: String
    public var style: Style

    public init(text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public init(_ text: String, _ style: Style = .plain) {
        self.init(text: text, style: style)
    }
}

/// One screen row of laid-out text. The display width is computed once, at layout time, so a
/// pane scrolling a long conversation never measures text again while drawing a frame.
///
/// Indentation is kept inside `spans` as a leading blank span rather than as a drawing offset:
/// code that rebuilds a row from `spans` (appending a streaming cursor, say) keeps its indent.
public struct StyledLine: Sendable, Equatable, Hashable {
    public let spans: [StyledSpan]
    /// Display columns of the whole row, indent included.
    public let width: Int
    /// How many leading columns are layout indentation (already in `spans` as blanks), for a
    /// consumer that copies text without it.
    public let indent: Int

    /// `indent` blank columns are put in front of `spans`. Text should hold no control
    /// characters (layout removes them); they would be measured as zero columns.
    public init(spans: [StyledSpan], indent: Int = 0) {
        let indent = max(0, indent)
        self.spans = indent > 0 ? [StyledLine.blank(indent)] + spans : spans
        self.indent = indent
        self.width = indent + spans.reduce(0) { $0 + TextWidth.of($1.text) }
    }

    public init(_ spans: [StyledSpan], indent: Int = 0) {
        self.init(spans: spans, indent: indent)
    }

    /// Layout already knows the width; trusting it avoids measuring every line twice.
    /// `spans` must already start with the indent.
    init(spans: [StyledSpan], indent: Int, width: Int) {
        self.spans = spans
        self.indent = indent
        self.width = width
    }

    public static let empty = StyledLine(spans: [])

    static func blank(_ n: Int) -> StyledSpan {
        StyledSpan(text: n < blanks.count ? blanks[n] : String(repeating: " ", count: n), style: .plain)
    }

    /// Indents repeat on most rows of a list or code block; sharing the strings saves building one per row.
    private static let blanks: [String] = (0..<64).map { String(repeating: " ", count: $0) }

    /// The row as plain text, indent included: what tests compare and copy-to-clipboard takes.
    public var text: String {
        var s = ""
        for span in spans { s += span.text }
        return s
    }

    /// The same row behind `prefix` (a quote bar, a code gutter), itself indented by `outer`.
    func prefixed(by prefix: StyledSpan, prefixWidth: Int, outer: Int = 0) -> StyledLine {
        var out: [StyledSpan] = []
        out.reserveCapacity(spans.count + 2)
        if outer > 0 { out.append(StyledLine.blank(outer)) }
        out.append(prefix)
        out.append(contentsOf: spans)
        return StyledLine(spans: out, indent: outer, width: outer + prefixWidth + width)
    }

    /// The same row with every span restyled (a quote dims its text but keeps code as code).
    func restyled(_ transform: (Style) -> Style) -> StyledLine {
        StyledLine(spans: spans.map { StyledSpan(text: $0.text, style: transform($0.style)) }, indent: indent, width: width)
    }

    /// Draws the row at (x, y), never past `limit` columns (default: the grid's edge), and
    /// returns the columns used.
    @discardableResult
    public func draw(into grid: inout Grid, x: Int, y: Int, limit: Int? = nil) -> Int {
        let limit = limit ?? (grid.width - x)
        var col = 0
        for (i, span) in spans.enumerated() {
            let room = limit - col
            if room <= 0 {
                // The spans before filled the row exactly: the text that did not fit is still cut,
                // and says so like any other cut.
                if col > 0, spans[i...].contains(where: { $0.text.contains { $0 != " " } }) {
                    grid.put("…", x: x + col - 1, y: y, style: span.style)
                }
                break
            }
            col += grid.put(span.text, x: x + col, y: y, style: span.style, limit: room)
        }
        return col
    }
}
