import Foundation
import Testing
import WorkbenchTestSupport
@testable import WorkbenchUI

/// Replies are arbitrary model output, often cut mid-stream: whatever arrives must render, fit
/// the pane and stay fast, or the whole TUI stalls or draws garbage.
@Suite struct MarkdownRobustnessTests {
    typealias F = TextFixtures

    static let alphabet: [String] = ["*", "**", "_", "`", "```", "#", "# ", "-", "- ", "+", "1. ", ">", "> ", "[", "]", "(", ")",
                                     "\n", "\n", " ", "  ", "a", "word", "中", "文字", "，", "😀", "👨‍👩‍👧", "\t", "\\", "|", "~",
                                     "e\u{301}", "\u{301}", "\u{1B}[31m", "\r\n", "<https://x.io>", "](u)", "\u{0}", "ｆ"]

    /// Random Markdown-ish text at random widths: every row fits and measures true.
    @Test func randomInputAlwaysFits() {
        F.useUTF8Locale()
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<600 {
            var text = ""
            for _ in 0..<Int.random(in: 0...60, using: &rng) { text += Self.alphabet.randomElement(using: &rng)! }
            let width = Int.random(in: 1...40, using: &rng)
            let rows = MarkdownRenderer.render(text, width: width)
            #expect(F.rowsAreSound(rows, width: width), "width \(width), input \(text.debugDescription): \(F.texts(rows))")
            var grid = Grid(width: width, height: 1)
            for row in rows.prefix(3) { row.draw(into: &grid, x: 0, y: 0) }
            let plain = TextWrap.wrap(plain: text, width: width)
            #expect(F.rowsAreSound(plain, width: width), "plain width \(width), input \(text.debugDescription)")
        }
    }

    @Test func degenerateInputs() {
        F.useUTF8Locale()
        #expect(MarkdownRenderer.render("", width: 10).isEmpty)
        #expect(MarkdownRenderer.render("anything", width: 0).isEmpty)
        let nasty = [String(repeating: "*", count: 5000), String(repeating: "[", count: 5000), String(repeating: "`", count: 3001),
                     String(repeating: ">", count: 5000) + " deep", String(repeating: "_a", count: 5000), String(repeating: "- ", count: 3000),
                     String(repeating: "[a](", count: 2000), String(repeating: "中", count: 5000)]
        for text in nasty {
            for width in [1, 2, 7, 80] {
                let rows = MarkdownRenderer.render(text, width: width)
                #expect(F.rowsAreSound(rows, width: width))
            }
        }
    }

    /// Streaming re-renders the growing reply every frame, so it must be linear and quick. The
    /// aim is well under 50 ms for 200 KB in a debug build; the bound here is loose so a busy
    /// CI machine does not make it flaky, but quadratic behaviour would still blow through it.
    @Test func a200KBReplyRendersQuickly() {
        F.useUTF8Locale()
        let block = """
        ## Section heading with `code`

        A paragraph with **bold**, *italic*, `inline code` and a [link](https://example.com/path) that is long enough to wrap twice at eighty columns or so.
        - a list item with some text that also wraps around the edge of the pane nicely
          - nested item with snake_case_names and 2 * 3 * 4
        1. ordered item
        > a quoted line with _emphasis_
        ```swift
        func hello(_ name: String) -> String { return "Hello, \\(name)!" } // a long line of code to hard-wrap
        ```
        中文段落，包含一些中文字符和标点符号。这是第二句话！

        """
        var text = ""
        while text.utf8.count < 200_000 { text += block }
        let clock = ContinuousClock()
        var rows: [StyledLine] = []
        let elapsed = clock.measure { rows = MarkdownRenderer.render(text, width: 80) }
        print("MarkdownRenderer: \(text.utf8.count) bytes → \(rows.count) rows in \(elapsed)")
        #expect(rows.count > 1000)
        // A guard against super-linear blow-ups, not a speed target (that is `make bench`): it
        // takes about 0.1 s alone, and a loaded 2-core CI machine can stretch that many times.
        #expect(elapsed < .seconds(60))
    }
}
