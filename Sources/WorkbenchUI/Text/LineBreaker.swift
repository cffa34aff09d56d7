/// Greedy line filling by display width, fed span by span so a word may run across styles
/// ("**bold**ness" stays one word). Break opportunities are ASCII spaces and the edges of wide
/// (CJK) glyphs; a word wider than a line is split by grapheme. Everything is linear in the
/// input, and ASCII runs are measured by byte count, because layout runs on every frame of a
/// streaming reply.
struct LineBreaker {
    private let width: Int
    private let hangIndent: Int
    private(set) var lines: [StyledLine] = []

    // The row being filled.
    private var spans: [StyledSpan] = []
    private var col = 0
    private var indent: Int
    private var avail: Int

    // The unbreakable word being collected, and the spaces before it.
    private struct Part {
        let text: Substring
        let style: Style
        let width: Int
        let ascii: Bool
    }

    private var word: [Part] = []
    private var wordWidth = 0
    private var spaces = 0
    private var spaceStyle = Style.plain
    private var sawContent = false

    // What the previous character allows (CJK break rules).
    private var lastWide = false
    private var lastNoBreakAfter = false

    /// A wide glyph on a 1-column line can be neither split nor placed; this stands in for it.
    static let placeholder: Substring = "…"

    init(width: Int, firstIndent: Int, hangingIndent: Int) {
        self.width = width
        // Leave at least 2 columns of text so a wide glyph always fits after the indent.
        let maxIndent = max(0, width - 2)
        indent = min(max(0, firstIndent), maxIndent)
        hangIndent = min(max(0, hangingIndent), maxIndent)
        avail = width - indent
        if indent > 0 { spans = [StyledLine.blank(indent)] }
    }

    // MARK: feeding

    /// Word-wrapping input: spaces are break points and vanish at a break.
    mutating func feed(_ text: String, _ style: Style) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { buf in
            scan(text, buf, style)
        }
        if done == nil {
            var copy = text
            copy.makeContiguousUTF8()
            copy.utf8.withContiguousStorageIfAvailable { scan(copy, $0, style) }
        }
    }

    /// Finds spaces and words by byte; words are sliced out of `text` only at their edges.
    private mutating func scan(_ text: String, _ buf: UnsafeBufferPointer<UInt8>, _ style: Style) {
        let n = buf.count
        var i = 0
        var chunkStart = 0
        var ascii = true
        while i < n {
            let b = buf[i]
            if b == 0x20 {
                if chunkStart < i { chunk(text, buf, chunkStart, i, style, ascii: ascii) }
                space(style)
                chunkStart = i + 1
                ascii = true
            } else if b >= 0x80 {
                ascii = false
            }
            i += 1
        }
        if chunkStart < n { chunk(text, buf, chunkStart, n, style, ascii: ascii) }
    }

    /// Hard-wrapping input (code): every grapheme is a break point and spaces are kept.
    mutating func feedHard(_ text: String, _ style: Style) {
        guard !text.isEmpty else { return }
        let width = TextWidth.asciiWidth(text.utf8)
        word.append(Part(text: text[...], style: style, width: width ?? 0, ascii: width != nil))
        hardSplit()
        word.removeAll(keepingCapacity: true)
        sawContent = true
    }

    /// Ends the input; the last row is kept even when empty, so an empty line stays a line.
    mutating func finish() -> [StyledLine] {
        commit()
        lines.append(StyledLine(spans: spans, indent: indent, width: indent + col))
        spans = []
        return lines
    }

    // MARK: words

    private mutating func space(_ style: Style) {
        commit()
        lastWide = false
        lastNoBreakAfter = false
        if !sawContent {
            // Leading indentation is content, but never so much that no text would fit.
            if col + 1 < avail {
                put(" ", style)
                col += 1
            }
        } else {
            spaces += 1
            spaceStyle = style
        }
    }

    private mutating func chunk(_ text: String, _ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ style: Style, ascii: Bool) {
        let u = text.utf8
        let sub = text[u.index(u.startIndex, offsetBy: from)..<u.index(u.startIndex, offsetBy: to)]
        guard ascii else { return characters(sub, style) }
        if lastWide && !lastNoBreakAfter && !LineBreakRules.noBreakBefore(UInt32(buf[from])) { commit() }
        word.append(Part(text: sub, style: style, width: to - from, ascii: true))
        wordWidth += to - from
        lastWide = false
        lastNoBreakAfter = LineBreakRules.noBreakAfter(UInt32(buf[to - 1]))
    }

    /// Non-ASCII text goes grapheme by grapheme: a wide glyph may start or end a line.
    private mutating func characters(_ sub: Substring, _ style: Style) {
        let scalars = sub.unicodeScalars
        var runStart = sub.startIndex
        var runWidth = 0
        var idx = sub.startIndex
        while idx < sub.endIndex {
            let w = DisplayWidth.of(sub[idx])
            let v = scalars[idx].value
            let canBreak = (w == 2 || lastWide) && !lastNoBreakAfter && !LineBreakRules.noBreakBefore(v)
            if canBreak {
                if idx > runStart {
                    word.append(Part(text: sub[runStart..<idx], style: style, width: runWidth, ascii: false))
                    wordWidth += runWidth
                }
                runStart = idx
                runWidth = 0
                commit()
            }
            runWidth += w
            lastWide = w == 2
            lastNoBreakAfter = LineBreakRules.noBreakAfter(v)
            idx = sub.index(after: idx)
        }
        if idx > runStart {
            word.append(Part(text: sub[runStart..<idx], style: style, width: runWidth, ascii: false))
            wordWidth += runWidth
        }
    }

    /// Places the pending word: after the pending spaces if it fits, else on a new row, else
    /// split across rows.
    private mutating func commit() {
        guard !word.isEmpty else { return }
        let gap = col > 0 ? spaces : 0
        if col + gap + wordWidth <= avail {
            if gap > 0 {
                put(gap == 1 ? " " : Substring(String(repeating: " ", count: gap)), spaceStyle)
                col += gap
            }
            putWord()
        } else if col > 0 && wordWidth <= width - hangIndent {
            newLine()
            putWord()
        } else {
            if col > 0 { newLine() }
            hardSplit()
        }
        word.removeAll(keepingCapacity: true)
        wordWidth = 0
        spaces = 0
        sawContent = true
    }

    private mutating func putWord() {
        var k = 0
        while k < word.count {
            put(word[k].text, word[k].style)
            k += 1
        }
        col += wordWidth
    }

    /// Splits the pending word by grapheme, never letting a wide glyph straddle the edge.
    private mutating func hardSplit() {
        var k = 0
        while k < word.count {
            let part = word[k]
            k += 1
            if part.ascii {
                hardSplitASCII(part.text, part.style)
                continue
            }
            let sub = part.text
            var runStart = sub.startIndex
            var idx = sub.startIndex
            while idx < sub.endIndex {
                let w = DisplayWidth.of(sub[idx])
                if col + w > avail {
                    if idx > runStart { put(sub[runStart..<idx], part.style) }
                    if col > 0 { newLine() }
                    runStart = idx
                    if w > avail {
                        put(Self.placeholder, part.style)
                        col += 1
                        idx = sub.index(after: idx)
                        runStart = idx
                        continue
                    }
                }
                col += w
                idx = sub.index(after: idx)
            }
            if idx > runStart { put(sub[runStart..<idx], part.style) }
        }
    }

    private mutating func hardSplitASCII(_ sub: Substring, _ style: Style) {
        let u = sub.utf8
        var start = sub.startIndex
        var remaining = u.distance(from: u.startIndex, to: u.endIndex)
        while remaining > 0 {
            if col >= avail { newLine() }
            let n = min(avail - col, remaining)
            let end = u.index(start, offsetBy: n)
            put(sub[start..<end], style)
            col += n
            remaining -= n
            start = end
        }
    }

    // MARK: rows

    /// Appends text to the row, merging with the previous span when the style is the same.
    private mutating func put(_ s: Substring, _ style: Style) {
        if !spans.isEmpty && spans[spans.count - 1].style == style {
            spans[spans.count - 1].text.append(contentsOf: s)
        } else {
            spans.append(StyledSpan(String(s), style))
        }
    }

    private mutating func newLine() {
        lines.append(StyledLine(spans: spans, indent: indent, width: indent + col))
        spans = hangIndent > 0 ? [StyledLine.blank(hangIndent)] : []
        col = 0
        indent = hangIndent
        avail = width - indent
    }
}
