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
        for span in line where !span.text.isEmpty {
            breaker.feed(TextWidth.clean(span.text), span.style)
        }
        return breaker.finish()
    }

    /// Plain multi-line text: each "\n" (or "\r\n") starts a new logical line, which is wrapped
    /// on its own; empty lines stay empty rows.
    public static func wrap(plain: String, width: Int, style: Style = .plain) -> [StyledLine] {
        guard width > 0 else { return [] }
        var out: [StyledLine] = []
        for line in TextLines.split(plain) {
            out += wrap([StyledSpan(String(line), style)], width: width)
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
        var out: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            if utf8[i] == 0x0A {
                out.append(trimCR(text[start..<i]))
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        out.append(trimCR(text[start..<utf8.endIndex]))
        return out
    }

    private static func trimCR(_ s: Substring) -> Substring {
        s.utf8.last == 0x0D ? s[s.startIndex..<s.utf8.index(before: s.endIndex)] : s
    }
}
