import Testing

@testable import WorkbenchCore

/// `glmwb run`'s rendering of reasoning for stderr.
@Suite("Thinking text on stderr")
struct ThinkingTextTests {
    @Test("on a terminal: dimmed with SGR 2, closed with SGR 22, and a hostile escape shown, not sent")
    func terminal() {
        let hostile = "think \u{1B}]52;c;cHduZWQ=\u{07} \u{1B}[2J\r done\u{9B}31m"
        let out = ThinkingText.forStderr(hostile, terminal: true)
        #expect(out.hasPrefix("\u{1B}[2m") && out.hasSuffix("\u{1B}[22m"))
        let inner = out.dropFirst(4).dropLast(5)
        #expect(!inner.unicodeScalars.contains { TerminalText.isControl($0) }, "\(inner.debugDescription)")
        #expect(inner.contains("␛]52;c;cHduZWQ=␇") && inner.contains("␛[2J"))
    }

    @Test("elsewhere (a pipe, a file) the text passes byte for byte with no escapes added")
    func notATerminal() {
        let text = "a \u{1B}[31m b\n"
        #expect(ThinkingText.forStderr(text, terminal: false) == text)
        #expect(ThinkingText.forStderr("", terminal: true) == "")
        #expect(ThinkingText.forStderr(text, terminal: true, raw: true) == "\u{1B}[2m" + text + "\u{1B}[22m")
    }
}
