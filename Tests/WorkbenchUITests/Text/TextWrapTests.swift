import Testing
@testable import WorkbenchUI

/// Wrapping decides every row the conversation shows; a row one column too wide shifts the whole
/// screen, so these pin down where breaks fall, in ASCII and in CJK.
@Suite struct TextWrapTests {
    typealias F = TextFixtures

    @Test func breaksASCIIAtSpaces() {
        #expect(F.wrap("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"])
        #expect(F.wrap("fits exactly", 12) == ["fits exactly"])
    }

    @Test func splitsAWordLongerThanTheWidth() {
        #expect(F.wrap("abcdefghijkl", 5) == ["abcde", "fghij", "kl"])
        // A long word starts on its own row rather than after a short one.
        #expect(F.wrap("see abcdefghijkl", 5) == ["see", "abcde", "fghij", "kl"])
    }

    @Test func breaksCJKBetweenCharactersWithoutSplittingOne() {
        #expect(F.wrap("中文中文中文", 5) == ["中文", "中文", "中文"])
        #expect(F.wrap("中文中文中文", 6) == ["中文中", "文中文"])
        #expect(F.wrap("中文中文中文", 2) == ["中", "文", "中", "文", "中", "文"])
        let rows = TextWrap.wrap([StyledSpan(text: "中文中文中文", style: .plain)], width: 5)
        #expect(rows.map(\.width) == [4, 4, 4])
    }

    @Test func mixesCJKAndASCII() {
        #expect(F.wrap("Hello 世界 and 中文text", 8) == ["Hello 世", "界 and", "中文text"])
        #expect(F.wrap("用Swift写代码", 6) == ["用", "Swift", "写代码"])
    }

    /// A Chinese comma or full stop never starts a row (from 4 columns up: below that a glyph
    /// and its comma cannot share a row at all).
    @Test func keepsClosingPunctuationOffRowStarts() {
        for width in 4...9 {
            let rows = F.wrap("中文，中文。中文！（中文）", width)
            #expect(rows.allSatisfy { !$0.hasPrefix("，") && !$0.hasPrefix("。") && !$0.hasPrefix("！") && !$0.hasPrefix("）") }, "\(rows)")
            #expect(rows.allSatisfy { !$0.hasSuffix("（") }, "\(rows)")
        }
    }

    @Test func hangingIndentAlignsContinuationRows() {
        #expect(F.wrap("• alpha beta gamma", 10, hanging: 2) == ["• alpha", "  beta", "  gamma"])
        let rows = TextWrap.wrap([StyledSpan(text: "• alpha beta gamma", style: .plain)], width: 10, hangingIndent: 2)
        #expect(rows.map(\.indent) == [0, 2, 2])
        #expect(rows.map(\.width) == [7, 6, 7])
    }

    @Test func keepsStylesAcrossBreaks() {
        let bold = Style(.text, bold: true), italic = Style(.text, italic: true)
        let rows = TextWrap.wrap([StyledSpan(text: "aaa ", style: .plain), StyledSpan(text: "bbb ccc", style: bold),
                                  StyledSpan(text: " ddd", style: italic)], width: 7)
        #expect(F.texts(rows) == ["aaa bbb", "ccc ddd"])
        #expect(rows[0].spans == [StyledSpan(text: "aaa ", style: .plain), StyledSpan(text: "bbb", style: bold)])
        #expect(rows[1].spans == [StyledSpan(text: "ccc", style: bold), StyledSpan(text: " ddd", style: italic)])
    }

    /// "**bold**ness" is one word: a style change is not a place to break.
    @Test func aStyleChangeInsideAWordIsNotABreak() {
        let bold = Style(.text, bold: true)
        let rows = TextWrap.wrap([StyledSpan(text: "x bold", style: bold), StyledSpan(text: "ness", style: .plain)], width: 8)
        #expect(F.texts(rows) == ["x", "boldness"])
        #expect(rows[1].spans == [StyledSpan(text: "bold", style: bold), StyledSpan(text: "ness", style: .plain)])
    }

    @Test func tinyWidths() {
        #expect(F.wrap("anything", 0).isEmpty)
        #expect(F.wrap("anything", -3).isEmpty)
        #expect(F.wrap("ab c", 1) == ["a", "b", "c"])
        // A wide glyph cannot fit one column: a one-column stand-in keeps the row honest.
        #expect(F.wrap("中", 1) == ["…"])
        #expect(F.wrap("• a b", 2, hanging: 2) == ["•", "a", "b"])
    }

    @Test func emptyAndBlankLines() {
        #expect(F.wrap("", 10) == [""])
        #expect(F.texts(TextWrap.wrap([], width: 10)) == [""])
        F.useUTF8Locale()
        #expect(F.texts(TextWrap.wrap(plain: "a\n\nb\r\nc", width: 10)) == ["a", "", "b", "c"])
        #expect(F.texts(TextWrap.wrap(plain: "", width: 10)) == [""])
    }

    @Test func plainTextTakesTheStyle() {
        F.useUTF8Locale()
        let rows = TextWrap.wrap(plain: "one two", width: 3, style: Style(.dim))
        #expect(F.texts(rows) == ["one", "two"])
        #expect(rows.allSatisfy { $0.spans.allSatisfy { $0.style == Style(.dim) } })
    }

    @Test func tabsBecomeSpacesAndControlsAreVisible() {
        #expect(F.wrap("a\tb", 20) == ["a   b"])
        #expect(F.wrap("bell\u{07}!", 20) == ["bell·!"])
    }

    @Test func leadingIndentationIsKeptTrailingSpacesAreNot() {
        #expect(F.wrap("  indented text   ", 20) == ["  indented text"])
        #expect(F.wrap("a   b", 20) == ["a   b"])
    }

    @Test func hardWrapKeepsEverySpace() {
        F.useUTF8Locale()
        let rows = TextWrap.hardWrap([StyledSpan(text: "a  b  c", style: .plain)], width: 3)
        #expect(F.texts(rows) == ["a  ", "b  ", "c"])
        let cjk = TextWrap.hardWrap([StyledSpan(text: "ab中文", style: .plain)], width: 3)
        #expect(F.texts(cjk) == ["ab", "中", "文"])
    }

    @Test func combiningMarksAndEmojiMeasureAsTheGridDraws() {
        F.useUTF8Locale()
        for text in ["cafe\u{301} au lait", "👍 ok 👨‍👩‍👧 family", "ｆｕｌｌ width"] {
            for width in 1...12 {
                let rows = TextWrap.wrap([StyledSpan(text: text, style: .plain)], width: width)
                #expect(F.rowsAreSound(rows, width: width), "\(text) @\(width): \(F.texts(rows))")
            }
        }
    }
}
