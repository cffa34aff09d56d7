/// Word wrapping by display width, the one place that decides where rows break, so chat text,
/// Markdown and code all agree with what `Grid.put` will draw: no row is ever wider than
/// asked, and a wide (CJK) glyph is never split or pushed past the edge.
public enum TextWrap {
    /// Wraps one logical line. Continuation rows are indented by `hangingIndent` columns (a
    /// list item's text aligns under its first word). Width ≤ 0 gives no rows; an empty line
    /// gives one empty row.
    public static func wrap(_ line: [StyledSpan], width: Int, hangingIndent: Int = 0) -> [StyledLine] {
        wrap(line, width: width, firstIndent: 0, hangingIndent: hangingIndent)
    }

    /// As `wrap(_:width:hangingIndent:)`, with the first row indented too (nested lists).
    /// Both indents are absolute columns and are reduced on very narrow widths so that at least
    /// two columns of text remain.
    public static func wrap(_ line: [StyledSpan], width: Int, firstIndent: Int, hangingIndent: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        var breaker = LineBreaker(width: width, firstIndent: firstIndent, hangingIndent: hangingIndent)
        var k = 0
        while k < line.count {
            if !line[k].text.isEmpty { breaker.feed(TextWidth.clean(line[k].text), line[k].style) }
            k += 1
        }
        return breaker.finish()
    }

    /// Plain multi-line text: each "\n" (or "\r\n") starts a new logical line, which is wrapped
    /// on its own; empty lines stay empty rows.
    public static func wrap(plain: String, width: Int, style: Style = .plain) -> [StyledLine] {
        guard width > 0 else { return [] }
        var out: [StyledLine] = []
        let lines = TextLines.split(plain)
        var k = 0
        while k < lines.count {
            out.append(contentsOf: wrap([StyledSpan(String(lines[k]), style)], width: width))
            k += 1
        }
        return out
    }

    /// Breaks at the width without looking for spaces, keeping every space: code must keep its
    /// columns, and a wrapped code line is easier to read than a re-flowed one.
    public static func hardWrap(_ line: [StyledSpan], width: Int, indent: Int = 0) -> [StyledLine] {
        guard width > 0 else { return [] }
        var breaker = LineBreaker(width: width, firstIndent: indent, hangingIndent: indent)
        for span in line where !span.text.isEmpty {
            breaker.feedHard(TextWidth.clean(span.text), span.style)
        }
        return breaker.finish()
    }
}

/// Splitting into lines on UTF-8 bytes: a Character-based split would miss "\r\n", which Swift
/// treats as one grapheme, and would be slower on a long reply.
enum TextLines {
    static func split(_ text: String) -> [Substring] {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { buf in
            var out: [Substring] = []
            let u = text.utf8
            func line(_ lo: Int, _ hi: Int) -> Substring {
                let end = hi > lo && buf[hi - 1] == 0x0D ? hi - 1 : hi
                return text[u.index(u.startIndex, offsetBy: lo)..<u.index(u.startIndex, offsetBy: end)]
            }
            var start = 0
            var i = 0
            let n = buf.count
            while i < n {
                if buf[i] == 0x0A {
                    out.append(line(start, i))
                    start = i + 1
                }
                i += 1
            }
            out.append(line(start, n))
            return out
        } ?? []
    }
}
