import Testing
@testable import WorkbenchUI

/// Inline Markdown as a terminal shows it: markers disappear, their meaning becomes a style, and
/// text that only looks like Markdown (snake_case, arithmetic, a half-streamed `**`) stays as typed.
@Suite struct MarkdownInlineTests {
    typealias F = TextFixtures

    @Test func boldAndItalic() {
        let line = F.md("a **bold** and *it* and _em_ and ***both***")[0]
        #expect(line.text == "a bold and it and em and both")
        #expect(F.span("bold", in: line)?.style.bold == true)
        #expect(F.span("it", in: line)?.style.italic == true)
        #expect(F.span("em", in: line)?.style.italic == true)
        let both = F.span("both", in: line)?.style
        #expect(both?.bold == true && both?.italic == true)
        #expect(F.span("a ", in: line)?.style == Style(.text))
    }

    @Test func inlineCode() {
        let line = F.md("use `let x = 1` here, not `**this**`")[0]
        #expect(line.text == "use let x = 1 here, not **this**")
        #expect(F.span("let x", in: line)?.style.role == .code)
        #expect(F.span("**this**", in: line)?.style.role == .code)
        #expect(F.md("``a ` b``")[0].text == "a ` b")
    }

    @Test func literalLookalikes() {
        #expect(F.md("call snake_case_name now")[0].text == "call snake_case_name now")
        #expect(F.md("2 * 3 * 4")[0].text == "2 * 3 * 4")
        #expect(F.md("price \\*not italic\\*")[0].text == "price *not italic*")
    }

    /// Mid-stream the closing marker has not arrived yet: show what was typed.
    @Test func unbalancedMarkersStayLiteral() {
        #expect(F.md("**bold")[0].text == "**bold")
        #expect(F.md("a ` b")[0].text == "a ` b")
        #expect(F.md("**a*")[0].text == "*a")
        #expect(F.md("[text](http://x")[0].text == "[text](http://x")
    }

    @Test func links() {
        let line = F.md("see [the docs](https://example.com/a_(b)) now", 80)[0]
        #expect(line.text == "see the docs (https://example.com/a_(b)) now")
        #expect(F.span("the docs", in: line)?.style == Style(.accent, underline: true))
        #expect(F.span("(https", in: line)?.style.role == .dim)
        #expect(F.md("<https://a.io/x>")[0].text == "https://a.io/x")
        #expect(F.md("[https://a.io](https://a.io)")[0].text == "https://a.io")
        #expect(F.md("**[bold link](u)**")[0].spans.first?.style.bold == true)
    }

    @Test func cjkEmphasis() {
        let line = F.md("中文**粗体**中文")[0]
        #expect(line.text == "中文粗体中文")
        #expect(F.span("粗体", in: line)?.style.bold == true)
    }
}
