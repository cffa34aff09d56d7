import Testing

@testable import TerminalNcurses

@Suite("Clipboard")
struct ClipboardTests {
    @Test("OSC 52 carries the text as base64")
    func plain() {
        #expect(Clipboard.osc52("hi 中", tmux: false) == "\u{1B}]52;c;aGkg5Lit\u{07}")
    }

    @Test("under tmux the sequence is wrapped in DCS passthrough with ESC doubled")
    func tmux() {
        #expect(Clipboard.osc52("hi", tmux: true) == "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;aGk=\u{07}\u{1B}\\")
    }
}
