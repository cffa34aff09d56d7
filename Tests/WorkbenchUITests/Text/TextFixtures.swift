#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import WorkbenchUI

/// Shared by the text-layout tests. `wcwidth` answers by the C locale: without a UTF-8 locale
/// every CJK glyph measures -1, so each helper makes sure the locale is set first.
enum TextFixtures {
    private static let localeReady: Bool = {
        setlocale(LC_ALL, "C.UTF-8")
        return true
    }()

    static func useUTF8Locale() { _ = localeReady }

    /// Rows as plain text, the way golden tests read a screen.
    static func texts(_ lines: [StyledLine]) -> [String] {
        useUTF8Locale()
        return lines.map(\.text)
    }

    static func wrap(_ text: String, _ width: Int, hanging: Int = 0) -> [String] {
        useUTF8Locale()
        return texts(TextWrap.wrap([StyledSpan(text: text, style: .plain)], width: width, hangingIndent: hanging))
    }

    static func md(_ text: String, _ width: Int = 40) -> [StyledLine] {
        useUTF8Locale()
        return MarkdownRenderer.render(text, width: width)
    }

    /// The span holding `text` on a row, to check its style.
    static func span(_ text: String, in line: StyledLine) -> StyledSpan? {
        line.spans.first { $0.text.contains(text) }
    }

    /// What every row must satisfy: no wider than asked, its cached width true to its text,
    /// and nothing left that the grid would draw differently from how it was measured.
    static func rowsAreSound(_ lines: [StyledLine], width: Int) -> Bool {
        lines.allSatisfy { line in
            line.width <= width && DisplayWidth.of(line.text) == line.width
                && !line.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }
    }
}


