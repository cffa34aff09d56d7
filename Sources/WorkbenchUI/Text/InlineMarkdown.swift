/// Inline Markdown of one line (emphasis, code spans, links, escapes) turned into styled spans.
///
/// It works on UTF-8 bytes: every marker is ASCII, and a multi-byte character never contains an
/// ASCII byte, so byte scanning is exact and fast. Emphasis follows CommonMark's delimiter
/// stack (without the "rule of 3") so `snake_case_names` and `2 * 3 * 4` stay literal and an
/// unbalanced `**` is shown as typed. Every search is bounded or remembered, keeping a line
/// linear in its length even when it is one 200 KB line of stray markers.
struct InlineMarkdown {
    static let linkStyle = Style(.accent, underline: true)
    static let urlStyle = Style(.dim)
    private static let schemes: [[UInt8]] = [Array("https://".utf8), Array("http://".utf8), Array("mailto:".utf8)]

    /// Plain data (no references), so building and walking the list stays cheap.
    private enum Piece {
        case text(Range<Int>)
        case code(Range<Int>)
        case delim(Int)
        /// `label` indexes `labels`; -1 shows the URL alone.
        case link(label: Int, url: Range<Int>)
    }

    private struct Delim {
        let char: UInt8
        var count: Int
        let canOpen: Bool
        var opensBold = 0, opensItalic = 0, closesBold = 0, closesItalic = 0
    }

    private let bytes: [UInt8]
    private let source: Substring
    private let base: Style
    private var pieces: [Piece] = []
    private var labels: [[StyledSpan]] = []
    private var delims: [Delim] = []
    private var stack: [Int] = []
    private var bottomStar = 0, bottomUnderscore = 0
    // Remembered searches (see the type's comment).
    private var noCodeCloser: Set<Int> = []
    private var closeBracket: Int? = nil
    private var noCloseBracket = false
    private var closeParen: Int? = nil
    private var noCloseParen = false

    static func spans(_ text: Substring, base: Style, depth: Int = 0) -> [StyledSpan] {
        guard !text.isEmpty else { return [] }
        let bytes = text.utf8.withContiguousStorageIfAvailable { buf -> [UInt8]? in
            // Most lines of prose have no markers at all: skip the parser for them.
            var i = 0
            let n = buf.count
            while i < n {
                switch buf[i] {
                case 0x5C, 0x60, 0x2A, 0x5F, 0x5B, 0x3C: return Array(buf)
                default: i += 1
                }
            }
            return nil
        } ?? Array(text.utf8)
        guard let bytes else { return [StyledSpan(text: String(text), style: base)] }
        var parser = InlineMarkdown(bytes: bytes, source: text, base: base)
        parser.scan(depth: depth)
        return parser.output()
    }

    private init(bytes: [UInt8], source: Substring, base: Style) {
        self.bytes = bytes
        self.source = source
        self.base = base
    }

    // MARK: scanning

    private mutating func scan(depth: Int) {
        let n = bytes.count
        var i = 0
        var textStart = 0
        while i < n {
            let b = bytes[i]
            switch b {
            case 0x5C where i + 1 < n && Self.isPunct(bytes[i + 1]):  // \* and friends
                flush(textStart, i)
                textStart = i + 1
                i += 2
            case 0x60:  // `code`
                var j = i
                while j < n && bytes[j] == 0x60 { j += 1 }
                if let close = codeCloser(from: j, length: j - i) {
                    flush(textStart, i)
                    pieces.append(.code(Self.trimCode(bytes, j..<close)))
                    i = close + (j - i)
                    textStart = i
                } else {
                    i = j
                }
            case 0x2A, 0x5F:  // * _
                var j = i
                while j < n && bytes[j] == b { j += 1 }
                flush(textStart, i)
                delimiterRun(b, i..<j)
                i = j
                textStart = i
            case 0x5B where depth < 2:  // [text](url)
                if let (textEnd, url, end) = link(at: i) {
                    flush(textStart, i)
                    let inner = String(decoding: bytes[(i + 1)..<textEnd], as: UTF8.self)
                    let label = InlineMarkdown.spans(inner[...], base: Self.linkStyle, depth: depth + 1)
                    let same = sameBytes((i + 1)..<textEnd, url)
                    if label.isEmpty || same {
                        pieces.append(.link(label: -1, url: url))
                    } else {
                        labels.append(label)
                        pieces.append(.link(label: labels.count - 1, url: url))
                    }
                    i = end
                    textStart = i
                } else {
                    i += 1
                }
            case 0x3C:  // <https://autolink>
                if let (url, end) = autolink(at: i) {
                    flush(textStart, i)
                    pieces.append(.link(label: -1, url: url))
                    i = end
                    textStart = i
                } else {
                    i += 1
                }
            default:
                i += 1
            }
        }
        flush(textStart, n)
    }

    private mutating func flush(_ start: Int, _ end: Int) {
        if end > start { pieces.append(.text(start..<end)) }
    }

    /// The next run of exactly `length` backticks; a failed search is remembered, since a later
    /// search for the same length covers a subset of the same bytes.
    private mutating func codeCloser(from start: Int, length: Int) -> Int? {
        if noCodeCloser.contains(length) { return nil }
        var k = start
        let n = bytes.count
        while k < n {
            if bytes[k] != 0x60 { k += 1; continue }
            var e = k
            while e < n && bytes[e] == 0x60 { e += 1 }
            if e - k == length { return k }
            k = e
        }
        noCodeCloser.insert(length)
        return nil
    }

    /// CommonMark trims one space from each side of a code span that has both.
    private static func trimCode(_ b: [UInt8], _ r: Range<Int>) -> Range<Int> {
        guard r.upperBound - r.lowerBound >= 2, b[r.lowerBound] == 0x20, b[r.upperBound - 1] == 0x20 else { return r }
        var k = r.lowerBound
        while k < r.upperBound {
            if b[k] != 0x20 { return (r.lowerBound + 1)..<(r.upperBound - 1) }
            k += 1
        }
        return r
    }

    // MARK: emphasis

    private mutating func delimiterRun(_ c: UInt8, _ r: Range<Int>) {
        let prev = r.lowerBound > 0 ? bytes[r.lowerBound - 1] : 0x20
        let next = r.upperBound < bytes.count ? bytes[r.upperBound] : 0x20
        let prevSpace = Self.isSpace(prev), nextSpace = Self.isSpace(next)
        let prevPunct = Self.isPunct(prev), nextPunct = Self.isPunct(next)
        let left = !nextSpace && (!nextPunct || prevSpace || prevPunct)
        let right = !prevSpace && (!prevPunct || nextSpace || nextPunct)
        let canOpen = c == 0x2A ? left : left && (!right || prevPunct)
        let canClose = c == 0x2A ? right : right && (!left || nextPunct)

        let index = delims.count
        delims.append(Delim(char: c, count: r.count, canOpen: canOpen))
        pieces.append(.delim(index))
        if canClose { close(index) }
        if delims[index].count > 0 && canOpen { stack.append(index) }
    }

    /// Matches the closer against openers on the stack, innermost first. Delimiters between a
    /// matched pair can no longer match and leave the stack, so each is visited a bounded
    /// number of times; `bottom` remembers where a search for a character last failed.
    private mutating func close(_ closer: Int) {
        let c = delims[closer].char
        while delims[closer].count > 0 {
            var j = stack.count - 1
            let floor = min(c == 0x2A ? bottomStar : bottomUnderscore, stack.count)
            var found: Int? = nil
            while j >= floor {
                let d = delims[stack[j]]
                if d.char == c && d.canOpen && d.count > 0 { found = j; break }
                j -= 1
            }
            guard let at = found else {
                if c == 0x2A { bottomStar = stack.count } else { bottomUnderscore = stack.count }
                return
            }
            let opener = stack[at]
            let use = delims[opener].count >= 2 && delims[closer].count >= 2 ? 2 : 1
            delims[opener].count -= use
            delims[closer].count -= use
            if use == 2 {
                delims[opener].opensBold += 1
                delims[closer].closesBold += 1
            } else {
                delims[opener].opensItalic += 1
                delims[closer].closesItalic += 1
            }
            stack.removeLast(stack.count - at - 1)
            if delims[opener].count == 0 { stack.removeLast() }
            bottomStar = min(bottomStar, stack.count)
            bottomUnderscore = min(bottomUnderscore, stack.count)
        }
    }

    // MARK: links

    /// `[text](url)` starting at `i`: the end of the text, the url's range and the end of the
    /// whole link. The first unescaped "]" and ")" are each found once and reused.
    private mutating func link(at i: Int) -> (Int, Range<Int>, Int)? {
        let n = bytes.count
        if noCloseBracket { return nil }
        if closeBracket == nil || closeBracket! <= i {
            closeBracket = nil
            var k = i + 1
            while k < n {
                if bytes[k] == 0x5D && bytes[k - 1] != 0x5C { closeBracket = k; break }
                k += 1
            }
            if closeBracket == nil { noCloseBracket = true; return nil }
        }
        let rb = closeBracket!
        guard rb + 1 < n, bytes[rb + 1] == 0x28, !noCloseParen else { return nil }
        let urlStart = rb + 2
        if closeParen == nil || closeParen! < urlStart {
            closeParen = nil
            var k = urlStart
            while k < n {
                if bytes[k] == 0x29 { closeParen = k; break }
                k += 1
            }
            if closeParen == nil { noCloseParen = true; return nil }
        }
        var rp = closeParen!
        // One level of parentheses inside a URL (Wikipedia links): "(Foo_(bar))".
        if rp + 1 < n, bytes[rp + 1] == 0x29, find(0x28, urlStart, rp) != nil { rp += 1 }
        let urlEnd = find(0x20, urlStart, rp) ?? rp  // drop a "title"
        if rb == i + 1 && urlEnd == urlStart { return nil }  // "[]()" stays literal
        return (rb, urlStart..<urlEnd, rp + 1)
    }

    private func find(_ b: UInt8, _ from: Int, _ to: Int) -> Int? {
        var k = from
        while k < to {
            if bytes[k] == b { return k }
            k += 1
        }
        return nil
    }

    private func sameBytes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.upperBound - a.lowerBound == b.upperBound - b.lowerBound else { return false }
        var k = 0
        while a.lowerBound + k < a.upperBound {
            if bytes[a.lowerBound + k] != bytes[b.lowerBound + k] { return false }
            k += 1
        }
        return true
    }

    private func autolink(at i: Int) -> (Range<Int>, Int)? {
        let n = bytes.count
        guard Self.schemes.contains(where: { s in i + 1 + s.count <= n && bytes[(i + 1)..<(i + 1 + s.count)].elementsEqual(s) }) else {
            return nil
        }
        var k = i + 1
        while k < n && k - i < 2048 {
            let b = bytes[k]
            if b == 0x3E { return ((i + 1)..<k, k + 1) }
            if b == 0x20 || b == 0x3C { return nil }
            k += 1
        }
        return nil
    }

    // MARK: output

    private func output() -> [StyledSpan] {
        var out: [StyledSpan] = []
        var bold = 0, italic = 0
        var k = 0
        while k < pieces.count {
            let piece = pieces[k]
            k += 1
            var text: String
            var style = base
            switch piece {
            case .text(let r):
                text = string(r)
            case .code(let r):
                text = string(r)
                style = Style(.code, bold: base.bold)
            case .delim(let d):
                let delim = delims[d]
                bold -= delim.closesBold
                italic -= delim.closesItalic
                text = delim.count > 0 ? String(repeating: delim.char == 0x2A ? "*" : "_", count: delim.count) : ""
                if bold > 0 { style.bold = true }
                if italic > 0 { style.italic = true }
                Self.emit(text, style, into: &out)
                bold += delim.opensBold
                italic += delim.opensItalic
                continue
            case .link(let label, let url):
                if label >= 0 {
                    let spans = labels[label]
                    var j = 0
                    while j < spans.count {
                        let span = spans[j]
                        j += 1
                        var st = span.style
                        if bold > 0 { st.bold = true }
                        if italic > 0 { st.italic = true }
                        Self.emit(span.text, st, into: &out)
                    }
                    Self.emit(" (" + string(url) + ")", Self.urlStyle, into: &out)
                    continue
                }
                text = string(url)
                style = Self.linkStyle
            }
            if bold > 0 { style.bold = true }
            if italic > 0 { style.italic = true }
            Self.emit(text, style, into: &out)
        }
        return out
    }

    private func string(_ r: Range<Int>) -> String {
        let u = source.utf8
        return String(source[u.index(u.startIndex, offsetBy: r.lowerBound)..<u.index(u.startIndex, offsetBy: r.upperBound)])
    }

    /// Appends, merging with the previous span when the style is the same.
    private static func emit(_ text: String, _ style: Style, into out: inout [StyledSpan]) {
        guard !text.isEmpty else { return }
        if !out.isEmpty && out[out.count - 1].style == style {
            out[out.count - 1].text.append(text)
        } else {
            out.append(StyledSpan(text: text, style: style))
        }
    }

    // MARK: character classes

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    static func isPunct(_ b: UInt8) -> Bool {
        switch b {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }
}
