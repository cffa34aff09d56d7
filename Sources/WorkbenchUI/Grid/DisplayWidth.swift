#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_silgen_name("wcwidth")
private func c_wcwidth(_ c: Int32) -> Int32

/// Column width of text as the terminal will draw it. It uses libc's `wcwidth`, the same table
/// ncurses uses, so layout and screen never disagree (a mismatch shifts every later cell).
/// A grapheme's width is the first non-zero scalar width, clamped to 1…2, which keeps ZWJ emoji
/// and combining marks from being over-counted. Needs `setlocale(LC_ALL, "")` under a UTF-8 locale.
public enum DisplayWidth {
    public static func of(_ ch: Character) -> Int {
        if ch.isASCII {
            let v = ch.asciiValue!
            return v < 0x20 || v == 0x7F ? 0 : 1
        }
        for s in ch.unicodeScalars {
            let w = Int(c_wcwidth(Int32(bitPattern: s.value)))
            if w > 0 { return min(w, 2) }
            if w < 0 && s.value >= 0x20 {
                // Unassigned or unprintable under this locale: reserve one cell rather than zero.
                return fallback(s)
            }
        }
        return 0
    }

    public static func of(_ s: some StringProtocol) -> Int {
        var n = 0
        for ch in s { n += of(ch) }
        return n
    }

    private static func fallback(_ s: Unicode.Scalar) -> Int {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
