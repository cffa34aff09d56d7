/// Recognising what a Markdown source line is, by its first bytes. Kept apart from the block
/// renderer so the rules (how many `#`, what counts as a rule or a list marker) read as a list.
extension MarkdownBlocks {
    /// Leading indentation in columns (a tab to the next multiple of 4) and the rest of the line.
    static func splitIndent(_ line: Substring) -> (lead: Int, rest: Substring) {
        let u = line.utf8
        var cols = 0
        var i = u.startIndex
        while i != u.endIndex {
            let b = u[i]
            if b == 0x20 {
                cols += 1
            } else if b == 0x09 {
                cols += 4 - cols % 4
            } else {
                break
            }
            i = u.index(after: i)
        }
        // A line of only spaces is blank.
        return (cols, line[i...])
    }

    /// `#` to `######` then a space: the level and the text without the marks (a closing run
    /// of `#` is dropped too).
    static func heading(_ rest: Substring) -> (Int, Substring)? {
        let u = rest.utf8
        var level = 0
        var i = u.startIndex
        while i != u.endIndex && u[i] == 0x23 { level += 1; i = u.index(after: i) }
        guard (1...6).contains(level) else { return nil }
        if i != u.endIndex && u[i] != 0x20 && u[i] != 0x09 { return nil }
        var text = trimSpaces(rest[i...])
        // "## Title ##" → "Title"; "## C#" keeps its "#".
        var e = text.utf8.endIndex
        while e != text.utf8.startIndex && text.utf8[text.utf8.index(before: e)] == 0x23 { e = text.utf8.index(before: e) }
        if e == text.utf8.startIndex {
            text = text[text.startIndex..<text.startIndex]
        } else if e != text.utf8.endIndex, text.utf8[text.utf8.index(before: e)] == 0x20 {
            text = trimSpaces(text[text.startIndex..<e])
        }
        return (level, text)
    }

    /// Three or more of one of `-`, `*`, `_`, optionally spaced, and nothing else.
    static func isRule(_ rest: Substring) -> Bool {
        guard let c = rest.utf8.first, c == 0x2D || c == 0x2A || c == 0x5F else { return false }
        var n = 0
        for b in rest.utf8 {
            if b == c { n += 1 } else if b != 0x20 && b != 0x09 { return false }
        }
        return n >= 3
    }

    /// `-`, `*`, `+` or `1.` / `1)` followed by a space: the marker and the item's text.
    static func listMarker(_ rest: Substring) -> (Substring, Substring)? {
        let u = rest.utf8
        guard let first = u.first else { return nil }
        var i = u.startIndex
        if first == 0x2D || first == 0x2A || first == 0x2B {
            i = u.index(after: i)
        } else {
            var digits = 0
            while i != u.endIndex, let d = Optional(u[i]), d >= 0x30 && d <= 0x39 {
                digits += 1
                i = u.index(after: i)
            }
            guard (1...9).contains(digits), i != u.endIndex, u[i] == 0x2E || u[i] == 0x29 else { return nil }
            i = u.index(after: i)
        }
        let marker = rest[rest.startIndex..<i]
        guard i == u.endIndex || u[i] == 0x20 || u[i] == 0x09 else { return nil }
        if i == u.endIndex && marker.utf8.count == 1 { return nil }  // a lone "-" is text until more arrives
        return (marker, trimLeadingSpaces(rest[i...]))
    }

    static func stripQuoteMarker(_ rest: Substring) -> Substring {
        var s = rest.dropFirst()
        if s.utf8.first == 0x20 { s = s.dropFirst() }
        return s
    }

    static func firstWord(_ info: Substring) -> Substring {
        let t = trimLeadingSpaces(info)
        if let sp = t.utf8.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) { return t[t.startIndex..<sp] }
        return t
    }

    /// Drops up to `n` leading spaces: a fence indented under a list item indents its code too.
    static func dropSpaces(_ line: Substring, upTo n: Int) -> Substring {
        var i = line.utf8.startIndex
        var k = 0
        while k < n && i != line.utf8.endIndex && line.utf8[i] == 0x20 { i = line.utf8.index(after: i); k += 1 }
        return line[i...]
    }

    static func trimLeadingSpaces(_ s: Substring) -> Substring {
        var i = s.utf8.startIndex
        while i != s.utf8.endIndex && (s.utf8[i] == 0x20 || s.utf8[i] == 0x09) { i = s.utf8.index(after: i) }
        return s[i...]
    }

    static func trimSpaces(_ s: Substring) -> Substring {
        let t = trimLeadingSpaces(s)
        var e = t.utf8.endIndex
        while e != t.utf8.startIndex {
            let p = t.utf8.index(before: e)
            guard t.utf8[p] == 0x20 || t.utf8[p] == 0x09 else { break }
            e = p
        }
        return t[t.startIndex..<e]
    }
}
