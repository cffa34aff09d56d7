/// Text from a server or a tool, made safe to print on a terminal.
///
/// A reply that contains `ESC ] 52 ;…` writes the user's clipboard, `ESC [ 2 J` clears the screen,
/// `ESC ] 0 ;…` retitles the window; a bare CR lets a line overwrite what was printed before it.
/// None of that may happen because a model (or whoever controls the endpoint) said so. Control
/// characters are shown as their Unicode "control pictures" (␛, ␇, ␍, …) — visible, and never
/// interpreted; newline and tab pass through, since text is made of them.
public enum TerminalText {
    /// `text` with every C0 control but LF and TAB, DEL and every C1 control replaced by a visible
    /// stand-in. A CRLF line end becomes LF. Text without controls is returned unchanged.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let s = pending {
            let next = scalars.next()
            if s == "\r", next == "\n" {
                pending = next
                continue
            }
            if isControl(s) {
                out.append(contentsOf: picture(s).unicodeScalars)
            } else {
                out.append(s)
            }
            pending = next
        }
        return String(out)
    }

    /// Whether `s` would be acted on by a terminal rather than shown.
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0x0A || v == 0x09 { return false }
        return v < 0x20 || (0x7F...0x9F).contains(v)
    }

    /// The control picture for a C0 control or DEL (U+2400…U+2421); C1 controls, which have no
    /// picture, are written as `<U+009B>`.
    static func picture(_ s: Unicode.Scalar) -> String {
        let v = s.value
        if v < 0x20 { return String(Unicode.Scalar(0x2400 + v)!) }
        if v == 0x7F { return "\u{2421}" }
        return "<U+" + String(v, radix: 16, uppercase: true).leftPadded(to: 4) + ">"
    }
}

extension String {
    fileprivate func leftPadded(to n: Int) -> String {
        count >= n ? self : String(repeating: "0", count: n - count) + self
    }
}
