/// Markdown of a chat reply laid out for the terminal. Replies arrive as they stream, so any
/// prefix of a document must render sensibly (an unclosed code fence shows what has arrived as
/// code) and re-rendering the growing text each frame must stay linear in its length.
///
/// Each source line stays a line: chat replies use newlines on purpose (tables, poems, ASCII
/// art), so paragraphs are not re-flowed across lines; long lines are wrapped by `TextWrap`.
public enum MarkdownRenderer {
    public static func render(_ text: String, width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        var blocks = MarkdownBlocks(width: width, depth: 0)
        blocks.render(TextLines.split(text)[...])
        return blocks.finish()
    }
}

/// The block level: one pass over the lines with a little state (an open fence, the open list
/// items). Block quotes are rendered recursively, narrower, and prefixed with a bar.
struct MarkdownBlocks {
    static let quoteBar = StyledSpan(text: "│ ", style: Style(.dim))
    static let codeGutter = StyledSpan(text: "│ ", style: Style(.dim))
    static let maxQuoteDepth = 8

    private struct Fence {
        let char: UInt8
        let length: Int
        let indent: Int
        let outer: Int
    }

    /// An open list item: where its marker was in the source, where its text starts on screen.
    private struct Item {
        let source: Int
        let content: Int
    }

    let width: Int
    let depth: Int
    private var out: [StyledLine] = []
    private var fence: Fence?
    private var list: [Item] = []
    private var lastBlank = true

    init(width: Int, depth: Int) {
        self.width = width
        self.depth = depth
    }

    mutating func render(_ lines: ArraySlice<Substring>) {
        var i = lines.startIndex
        while i < lines.endIndex {
            let line = lines[i]
            if let f = fence {
                codeLine(line, f)
                i += 1
                continue
            }
            let (lead, rest) = Self.splitIndent(line)
            if rest.utf8.first == 0x3E && depth < Self.maxQuoteDepth {
                var inner: [Substring] = []
                while i < lines.endIndex {
                    let r = Self.splitIndent(lines[i]).rest
                    guard r.utf8.first == 0x3E else { break }
                    inner.append(Self.stripQuoteMarker(r))
                    i += 1
                }
                quote(inner)
                continue
            }
            block(lead, rest)
            i += 1
        }
    }

    /// The rendered rows, without trailing blank rows.
    mutating func finish() -> [StyledLine] {
        while let last = out.last, last.width == 0 { out.removeLast() }
        return out
    }

    // MARK: blocks

    private mutating func block(_ lead: Int, _ rest: Substring) {
        if rest.isEmpty {
            if !lastBlank { out.append(.empty) }
            lastBlank = true
            return
        }
        lastBlank = false
        if openFence(lead, rest) { return }
        if lead <= 3, let (level, content) = Self.heading(rest) {
            list.removeAll()
            let style = Style(.heading, bold: true, underline: level == 1)
            out += TextWrap.wrap(InlineMarkdown.spans(content, base: style), width: width)
            return
        }
        if lead <= 3 && Self.isRule(rest) {
            list.removeAll()
            out.append(StyledLine(spans: [StyledSpan(text: String(repeating: "─", count: width), style: Style(.dim))], indent: 0, width: width))
            return
        }
        if let (marker, content) = Self.listMarker(rest) {
            listItem(lead, marker, content)
            return
        }
        var indent = 0
        if lead > 0, let owner = list.last(where: { $0.source < lead }) {
            indent = owner.content
        } else {
            list.removeAll()
        }
        out += TextWrap.wrap(InlineMarkdown.spans(rest, base: Style(.text)), width: width, firstIndent: indent, hangingIndent: indent)
    }

    private mutating func listItem(_ lead: Int, _ marker: Substring, _ content: Substring) {
        // A marker indented at least 2 past its parent's starts a nested list; less is a sibling.
        while let top = list.last, top.source + 2 > lead { list.removeLast() }
        let first = list.last?.content ?? 0
        let bullet = marker.utf8.count == 1 && marker.utf8.first.map { $0 == 0x2D || $0 == 0x2A || $0 == 0x2B } == true
        let shown = bullet ? "•" : String(marker)
        let contentIndent = first + TextWidth.of(shown) + 1
        list.append(Item(source: lead, content: contentIndent))
        let spans = [StyledSpan(text: shown + " ", style: Style(.accent))] + InlineMarkdown.spans(content, base: Style(.text))
        out += TextWrap.wrap(spans, width: width, firstIndent: first, hangingIndent: contentIndent)
    }

    private mutating func quote(_ inner: [Substring]) {
        list.removeAll()
        lastBlank = false
        let bar = width >= 4
        var sub = MarkdownBlocks(width: bar ? width - 2 : width, depth: depth + 1)
        sub.render(inner[...])
        var rows = sub.finish()
        if rows.isEmpty { rows = [.empty] }
        for row in rows {
            let dimmed = row.restyled { s in
                var s = s
                if s.role == .text { s.role = .dim }
                return s
            }
            out.append(bar ? dimmed.prefixed(by: Self.quoteBar, prefixWidth: 2) : dimmed)
        }
    }

    // MARK: code

    /// A fence line opens a code block and shows its language on a dim label row. A fence
    /// indented under a list item stays under that item.
    private mutating func openFence(_ lead: Int, _ rest: Substring) -> Bool {
        let u = rest.utf8
        guard let c = u.first, c == 0x60 || c == 0x7E else { return false }
        var n = 0
        var i = u.startIndex
        while i != u.endIndex && u[i] == c { n += 1; i = u.index(after: i) }
        guard n >= 3 else { return false }
        let info = rest[i...]
        if c == 0x60 && info.utf8.contains(0x60) { return false }  // ```inline``` is a code span
        var outer = 0
        if lead > 0, let owner = list.last(where: { $0.source < lead }) {
            outer = owner.content
        } else if lead == 0 {
            list.removeAll()
        }
        let lang = Self.firstWord(info)
        let label = "─ " + (lang.isEmpty ? "code" : String(lang)) + " ─"
        if width - outer < 4 { outer = 0 }
        if let row = TextWrap.hardWrap([StyledSpan(text: label, style: Style(.dim))], width: width, indent: outer).first {
            out.append(row)
        }
        fence = Fence(char: c, length: n, indent: lead, outer: outer)
        return true
    }

    /// Code is hard-wrapped, never re-flowed, and drawn behind a gutter so it reads as a block.
    private mutating func codeLine(_ line: Substring, _ f: Fence) {
        let (_, rest) = Self.splitIndent(line)
        if Self.closes(rest, f) {
            fence = nil
            lastBlank = false
            return
        }
        let content = Self.dropSpaces(line, upTo: f.indent)
        let gutter = width - f.outer >= 4
        let inner = width - f.outer - (gutter ? 2 : 0)
        let rows = TextWrap.hardWrap([StyledSpan(text: String(content), style: Style(.code))], width: inner)
        for row in rows {
            out.append(gutter ? row.prefixed(by: Self.codeGutter, prefixWidth: 2, outer: f.outer) : row)
        }
    }

    private static func closes(_ rest: Substring, _ f: Fence) -> Bool {
        var n = 0
        var tail = false
        for b in rest.utf8 {
            if !tail && b == f.char {
                n += 1
            } else if b == 0x20 || b == 0x09 {
                tail = true
            } else {
                return false
            }
        }
        return n >= f.length
    }
}
