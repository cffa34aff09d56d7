import Testing
@testable import WorkbenchUI

/// Drawing is where layout meets the grid: a row must land where its width says, and never
/// spill past the pane it was given.
@Suite struct StyledLineTests {
    @Test func drawsSpansOneAfterAnother() {
        TextFixtures.useUTF8Locale()
        var g = Grid(width: 12, height: 1)
        let line = StyledLine(spans: [StyledSpan(text: "ab", style: Style(.heading)), StyledSpan(text: "中c", style: Style(.code))])
        #expect(line.width == 5)
        #expect(line.draw(into: &g, x: 1, y: 0) == 5)
        #expect(g.text == " ab中c")
        #expect(g[1, 0].style.role == .heading)
        #expect(g[3, 0].style.role == .code)
    }

    @Test func clipsAtTheLimit() {
        TextFixtures.useUTF8Locale()
        var g = Grid(width: 10, height: 1)
        StyledLine(spans: [StyledSpan(text: "abc", style: .plain), StyledSpan(text: "defgh", style: .plain)]).draw(into: &g, x: 0, y: 0, limit: 4)
        #expect(g.text == "abc…", "the cut line ends in an ellipsis")
    }

    @Test func indentIsPartOfTheSpans() {
        TextFixtures.useUTF8Locale()
        let line = StyledLine(spans: [StyledSpan(text: "x", style: .plain)], indent: 3)
        #expect(line.text == "   x")
        #expect(line.width == 4)
        #expect(line.indent == 3)
        // Rebuilding from spans (a streaming cursor appended) keeps the indent.
        #expect(StyledLine(spans: line.spans + [StyledSpan(text: "▌", style: Style(.cursor))]).text == "   x▌")
    }
}
