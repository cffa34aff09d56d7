import Testing

@testable import TerminalNcurses

@Suite("Clipboard")
struct ClipboardTests {
    @Test("OSC 52 carries the text as base64, the same inside tmux (no passthrough wrapper)")
    func plain() {
        #expect(Clipboard.osc52("hi 中") == "\u{1B}]52;c;aGkg5Lit\u{07}")
        #expect(!Clipboard.osc52("hi").contains("Ptmux;"))
    }
}
