/// Greedy line filling by display width, fed span by span so a word may run across styles
/// ("**bold**ness" stays one word). Break opportunities are ASCII spaces and the edges of wide
/// (CJK) glyphs; a word wider than a line is split by grapheme.
///
/// Layout runs on every frame of a streaming reply, so everything is linear and cheap even in a
/// debug build: text is scanned by byte, ASCII is measured by byte count, and consecutive words
/// of one span are not copied word by word but kept as one byte range (`run`) that becomes a
/// string once per row.
struct LineBreaker {
    private let width: Int
    private let hangIndent: Int
    private(set) var lines: [StyledLine] = []

    // The row being filled.
    private var spans: [StyledSpan] = []
    private var col = 0
    private var indent: Int
    private var avail: Int

    // The text being fed, and the part of it placed on the row but not yet copied into `spans`.
    private var feedText = ""
    private var feedID = 0
    private var runActive = false
    private var runLo = 0
    private var runHi = 0
    private var runStyle = Style.plain

    /// A piece of the pending word: `lo..<hi` are its UTF-8 offsets in the text of feed `feed`.
    private struct Part {
        /// Nil for ASCII from the current feed: slicing it out only when needed saves a
        /// substring per word.
        var text: Substring?
        let style: Style
        let width: Int
        let ascii: Bool
        let feed: Int
        let lo: Int
        let hi: Int
    }

    // The unbreakable word being collected, and the spaces before it.
    /// `word[..<wordLen]`; slots past it are stale, reused so no frame pays for clearing.
    private var word: [Part] = []
    private var wordLen = 0
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
        flushRun()
        var k = 0
        while k < wordLen {
            if word[k].text == nil { word[k].text = slice(word[k].lo, word[k].hi) }
            k += 1
        }
        feedID += 1
        var text = text
        text.makeContiguousUTF8()
        feedText = text
        text.utf8.withContiguousStorageIfAvailable { scan(text, $0, style) }
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
        flushRun()
        let width = TextWidth.asciiWidth(text.utf8)
        addPart(Part(text: text[...], style: style, width: width ?? 0, ascii: width != nil, feed: -1, lo: 0, hi: 0))
        hardSplit()
        wordLen = 0
        sawContent = true
    }

    /// Ends the input; the last row is kept even when empty, so an empty line stays a line.
    mutating func finish() -> [StyledLine] {
        commit()
        flushRun()
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
        guard ascii else {
            let u = text.utf8
            return characters(text[u.index(u.startIndex, offsetBy: from)..<u.index(u.startIndex, offsetBy: to)], from, style)
        }
        if lastWide && !lastNoBreakAfter && !LineBreakRules.noBreakBefore(UInt32(buf[from])) { commit() }
        addPart(Part(text: nil, style: style, width: to - from, ascii: true, feed: feedID, lo: from, hi: to))
        wordWidth += to - from
        lastWide = false
        lastNoBreakAfter = LineBreakRules.noBreakAfter(UInt32(buf[to - 1]))
    }

    /// Non-ASCII text goes grapheme by grapheme: a wide glyph may start or end a line.
    /// `base` is the UTF-8 offset of `sub` in the fed text.
    private mutating func characters(_ sub: Substring, _ base: Int, _ style: Style) {
        let scalars = sub.unicodeScalars
        let u = sub.utf8
        var runStart = sub.startIndex
        var runWidth = 0
        var idx = sub.startIndex
        while idx < sub.endIndex {
            let w = DisplayWidth.of(sub[idx])
            let v = scalars[idx].value
            let canBreak = (w == 2 || lastWide) && !lastNoBreakAfter && !LineBreakRules.noBreakBefore(v)
            if canBreak {
                if idx > runStart {
                    let lo = base + u.distance(from: u.startIndex, to: runStart)
                    let hi = base + u.distance(from: u.startIndex, to: idx)
                    addPart(Part(text: sub[runStart..<idx], style: style, width: runWidth, ascii: false, feed: feedID, lo: lo, hi: hi))
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
            let lo = base + u.distance(from: u.startIndex, to: runStart)
            let hi = base + u.distance(from: u.startIndex, to: idx)
            addPart(Part(text: sub[runStart..<idx], style: style, width: runWidth, ascii: false, feed: feedID, lo: lo, hi: hi))
            wordWidth += runWidth
        }
    }

    private mutating func addPart(_ part: Part) {
        if wordLen < word.count { word[wordLen] = part } else { word.append(part) }
        wordLen += 1
    }

    /// Places the pending word: after the pending spaces if it fits, else on a new row, else
    /// split across rows.
    private mutating func commit() {
        guard wordLen > 0 else { return }
        let gap = col > 0 ? spaces : 0
        if col + gap + wordWidth <= avail {
            putWord(gap: gap)
        } else if col > 0 && wordWidth <= width - hangIndent {
            newLine()
            putWord(gap: 0)
        } else {
            if col > 0 { newLine() }
            hardSplit()
        }
        wordLen = 0
        wordWidth = 0
        spaces = 0
        sawContent = true
    }

    /// Puts the word (and `gap` spaces before it) on the row. When it continues the run from
    /// the same text, the run just grows: the spaces between are the text's own spaces.
    private mutating func putWord(gap: Int) {
        var k = 0
        while k < wordLen {
            let part = word[k]
            let before = k == 0 ? gap : 0
            if runActive && part.feed == feedID && part.style == runStyle && runHi + before == part.lo
                && (before == 0 || spaceStyle == runStyle) {
                runHi = part.hi
            } else {
                if before > 0 { put(before == 1 ? " " : Substring(String(repeating: " ", count: before)), spaceStyle) }
                if part.feed == feedID {
                    flushRun()
                    runActive = true
                    runLo = part.lo
                    runHi = part.hi
                    runStyle = part.style
                } else {
                    put(part.text ?? slice(part.lo, part.hi), part.style)
                }
            }
            k += 1
        }
        col += gap + wordWidth
    }

    /// Splits the pending word by grapheme, never letting a wide glyph straddle the edge.
    private mutating func hardSplit() {
        flushRun()
        var k = 0
        while k < wordLen {
            let part = word[k]
            k += 1
            if part.ascii {
                hardSplitASCII(part.text ?? slice(part.lo, part.hi), part.style)
                continue
            }
            let sub = part.text ?? slice(part.lo, part.hi)
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

    /// Copies the run into the row's spans.
    private mutating func flushRun() {
        guard runActive else { return }
        runActive = false
        append(slice(runLo, runHi), runStyle)
    }

    /// Bytes `lo..<hi` of the current feed's text (always on character boundaries here).
    private func slice(_ lo: Int, _ hi: Int) -> Substring {
        let u = feedText.utf8
        return feedText[u.index(u.startIndex, offsetBy: lo)..<u.index(u.startIndex, offsetBy: hi)]
    }

    /// Appends text to the row after whatever the run holds.
    private mutating func put(_ s: Substring, _ style: Style) {
        flushRun()
        append(s, style)
    }

    /// Merges with the previous span when the style is the same.
    private mutating func append(_ s: Substring, _ style: Style) {
        if !spans.isEmpty && spans[spans.count - 1].style == style {
            spans[spans.count - 1].text.append(contentsOf: s)
        } else {
            spans.append(StyledSpan(text: String(s), style: style))
        }
    }

    private mutating func newLine() {
        flushRun()
        lines.append(StyledLine(spans: spans, indent: indent, width: indent + col))
        spans = hangIndent > 0 ? [StyledLine.blank(hangIndent)] : []
        col = 0
        indent = hangIndent
        avail = width - indent
    }
}
