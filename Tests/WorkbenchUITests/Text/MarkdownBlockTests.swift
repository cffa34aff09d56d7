import Testing
@testable import WorkbenchUI

/// Block Markdown as a chat reply should look in a terminal: headings, lists that wrap under
/// their text, quotes and code set apart, and a code block still arriving shown as code.
@Suite struct MarkdownBlockTests {
    typealias F = TextFixtures

    @Test func headings() {
        let rows = F.md("# Title\n## Sub ##\n### Third\n####### seven\n#nospace")
        #expect(F.texts(rows) == ["Title", "Sub", "Third", "####### seven", "#nospace"])
        for row in rows.prefix(3) {
            #expect(row.spans.allSatisfy { $0.style.role == .heading && $0.style.bold })
        }
        #expect(rows[3].spans[0].style.role == .text)
    }

    @Test func paragraphsWrapAndBlankLinesCollapse() {
        #expect(F.texts(F.md("\n\none two three\n\n\n\nfour\n\n", 8)) == ["one two", "three", "", "four"])
    }

    @Test func unorderedListsWrapUnderTheirText() {
        #expect(F.texts(F.md("- one\n* two\n+ three")) == ["• one", "• two", "• three"])
        #expect(F.texts(F.md("- alpha beta gamma", 10)) == ["• alpha", "  beta", "  gamma"])
        #expect(F.md("- x")[0].spans[0].style.role == .accent)
    }

    @Test func orderedListsKeepTheirNumbers() {
        #expect(F.texts(F.md("1. first\n2. second item here", 12)) == ["1. first", "2. second", "   item here"])
        #expect(F.texts(F.md("10) ten")) == ["10) ten"])
    }

    @Test func nestedLists() {
        let src = "- a\n  - b\n    - c deep text\n  - d\n- e\n1. one\n   - sub"
        #expect(F.texts(F.md(src, 14)) == ["• a", "  • b", "    • c deep", "      text", "  • d", "• e", "1. one", "   • sub"])
    }

    @Test func continuationLinesStayUnderTheItem() {
        #expect(F.texts(F.md("1. Step one\n   more about it\nback out")) == ["1. Step one", "   more about it", "back out"])
    }

    @Test func blockquotes() {
        let rows = F.md("> quoted **text** that wraps\n> > nested\nafter", 14)
        #expect(F.texts(rows) == ["│ quoted text", "│ that wraps", "│ │ nested", "after"])
        #expect(rows[0].spans[0].style.role == .dim)
        #expect(F.span("quoted", in: rows[0])?.style.role == .dim)
        #expect(F.span("text", in: rows[0])?.style.bold == true)
    }

    @Test func horizontalRules() {
        #expect(F.texts(F.md("a\n---\n* * *\n___", 5)) == ["a", "─────", "─────", "─────"])
        #expect(F.md("---", 3)[0].spans[0].style.role == .dim)
    }

    @Test func fencedCode() {
        let rows = F.md("Intro:\n```swift\nlet x = 1\n\n\tindented()\n```\nafter")
        #expect(F.texts(rows) == ["Intro:", "─ swift ─", "│ let x = 1", "│ ", "│     indented()", "after"])
        #expect(rows[1].spans.allSatisfy { $0.style.role == .dim })
        #expect(rows[2].spans[0].style.role == .dim)
        #expect(F.span("let x", in: rows[2])?.style.role == .code)
        #expect(F.texts(F.md("~~~\n**not bold**\n~~~")) == ["─ code ─", "│ **not bold**"])
    }

    /// Code keeps its spaces and columns: it is cut at the width, never re-flowed.
    @Test func codeIsHardWrapped() {
        #expect(F.texts(F.md("```\nabc def ghi\n```", 8)) == ["─ code ─", "│ abc de", "│ f ghi"])
        #expect(F.texts(F.md("```\n中文中文\n```", 7)) == ["─ code ", "│ 中文", "│ 中文"])  // the label is cut, not wrapped
    }

    @Test func unclosedFenceShowsWhatArrivedAsCode() {
        let rows = F.md("Here:\n```python\nprint(1)\nprint(**x")
        #expect(F.texts(rows) == ["Here:", "─ python ─", "│ print(1)", "│ print(**x"])
        #expect(F.span("print(**x", in: rows[3])?.style.role == .code)
    }

    @Test func fenceInsideAListItemStaysUnderIt() {
        let rows = F.md("1. Run:\n   ```sh\n   make\n   ```\n2. Done")
        #expect(F.texts(rows) == ["1. Run:", "   ─ sh ─", "   │ make", "2. Done"])
    }

    @Test func inlineTripleBackticksAreNotAFence() {
        #expect(F.texts(F.md("```code``` here")) == ["code here"])
    }

    @Test func narrowWidthsStillRender() {
        let src = "# Head\n- item\n> quote\n```\ncode\n```\n---"
        for width in 1...4 {
            let rows = F.md(src, width)
            #expect(!rows.isEmpty)
            #expect(F.rowsAreSound(rows, width: width), "\(width): \(F.texts(rows))")
        }
    }
}
