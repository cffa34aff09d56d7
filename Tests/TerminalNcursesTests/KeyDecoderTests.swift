import CNcursesW
import Testing
import WorkbenchUI

@testable import TerminalNcurses

@Suite("KeyDecoder")
struct KeyDecoderTests {
    private func decode(_ inputs: [RawInput]) -> [InputEvent] {
        var d = KeyDecoder()
        return d.decode(inputs)
    }

    private func chars(_ s: String) -> [RawInput] { s.unicodeScalars.map { .char($0.value) } }

    private func keys(_ inputs: [RawInput]) -> [Key] {
        decode(inputs).compactMap { if case .key(let k) = $0 { return k } else { return nil } }
    }

    @Test("printable characters, including CJK, arrive as .char")
    func printable() {
        #expect(keys(chars("a中Z ")) == [.char("a"), .char("中"), .char("Z"), .char(" ")])
    }

    @Test("Ctrl-letters 1…26 are .ctrl, except Tab, Enter and Ctrl-H")
    func controlLetters() {
        #expect(keys([.char(1), .char(3), .char(17), .char(19), .char(26)]) == [.ctrl("a"), .ctrl("c"), .ctrl("q"), .ctrl("s"), .ctrl("z")])
        #expect(keys([.char(9)]) == [.tab])
        #expect(keys([.char(10), .char(13)]) == [.enter, .enter])
        #expect(keys([.char(0), .char(31)]) == [.ctrl(" "), .ctrl("_")])
    }

    @Test("Backspace arrives as DEL, Ctrl-H or KEY_BACKSPACE", arguments: [
        RawInput.char(127), .char(8), .keyCode(KEY_BACKSPACE, name: "KEY_BACKSPACE"),
    ])
    func backspace(_ input: RawInput) {
        #expect(keys([input]) == [.backspace])
    }

    @Test("ESC followed by a character in the same drain is Alt")
    func altChar() {
        #expect(keys(chars("\u{1B}x")) == [.alt("x")])
        #expect(keys(chars("\u{1B}文")) == [.alt("文")])
        #expect(keys(chars("\u{1B}xy")) == [.alt("x"), .char("y")])
    }

    @Test("ESC followed by Enter is Alt-Enter, whichever newline the tty delivers")
    func altEnter() {
        #expect(keys([.char(27), .char(13)]) == [.altEnter])
        #expect(keys([.char(27), .char(10)]) == [.altEnter])
    }

    @Test("a lone ESC at the end of a drain is Escape; ESC ESC is two")
    func loneEscape() {
        #expect(keys([.char(27)]) == [.escape])
        #expect(keys([.char(27), .char(27)]) == [.escape, .escape])
        var d = KeyDecoder()
        #expect(d.feed(.char(27)).isEmpty)  // undecided until the drain ends
        #expect(d.endOfInput() == [.key(.escape)])
        #expect(d.endOfInput().isEmpty)
    }

    @Test("arrows and editing keys by KEY_* code")
    func functionKeys() {
        #expect(keys([.keyCode(KEY_UP, name: nil), .keyCode(KEY_DOWN, name: nil), .keyCode(KEY_LEFT, name: nil), .keyCode(KEY_RIGHT, name: nil)])
            == [.up, .down, .left, .right])
        #expect(keys([.keyCode(KEY_HOME, name: nil), .keyCode(KEY_END, name: nil), .keyCode(KEY_PPAGE, name: nil), .keyCode(KEY_NPAGE, name: nil)])
            == [.home, .end, .pageUp, .pageDown])
        #expect(keys([.keyCode(KEY_DC, name: nil), .keyCode(KEY_BTAB, name: nil), .keyCode(KEY_ENTER, name: nil)]) == [.delete, .backTab, .enter])
        #expect(keys([.keyCode(KEY_F0 + 1, name: "KEY_F(1)"), .keyCode(KEY_F0 + 12, name: "KEY_F(12)")]) == [.function(1), .function(12)])
        #expect(keys([.keyCode(KEY_SR, name: nil), .keyCode(KEY_SF, name: nil)]) == [.shiftUp, .shiftDown])
    }

    @Test("Ctrl-arrows have no KEY_* constant and are recognised by terminfo name", arguments: [
        ("kUP5", Key.ctrlUp), ("kDN5", .ctrlDown), ("kLFT5", .ctrlLeft), ("kRIT5", .ctrlRight),
        ("kHOM5", .ctrlHome), ("kEND5", .ctrlEnd), ("kUP2", .shiftUp), ("kDN2", .shiftDown),
        ("kUP3", .up), ("kUP7", .ctrlUp), ("kDC5", .delete),
    ])
    func extendedKeys(_ name: String, _ key: Key) {
        #expect(keys([.keyCode(560, name: name)]) == [key])
    }

    @Test("unknown extended keys and resize codes produce nothing")
    func unknownKeys() {
        #expect(decode([.keyCode(600, name: "kxIN"), .keyCode(KEY_RESIZE, name: "KEY_RESIZE"), .keyCode(601, name: nil)]).isEmpty)
    }

    @Test("bracketed paste with CJK and newlines becomes one .paste")
    func bracketedPaste() {
        let input = chars("\u{1B}[200~中文 text\r\nline 2\rline 3\n\u{1B}[201~")
        #expect(keys(input) == [.paste("中文 text\nline 2\nline 3\n")])
    }

    @Test("a paste split across drains stays one paste and swallows nothing after it")
    func pasteAcrossDrains() {
        var d = KeyDecoder()
        #expect(d.decode(chars("\u{1B}[200~abc")).isEmpty)
        #expect(d.isInPaste)
        #expect(d.decode(chars("def\u{1B}[2")).isEmpty)
        #expect(d.decode(chars("01~x")) == [.key(.paste("abcdef")), .key(.char("x"))])
        #expect(!d.isInPaste)
    }

    @Test("keys inside a paste are text, not commands")
    func pasteIsText() {
        let input = chars("\u{1B}[200~") + [.char(3), .char(9)] + chars("\u{1B}[2x") + [.keyCode(KEY_ENTER, name: nil)] + chars("\u{1B}[201~")
        #expect(keys(input) == [.paste("\u{03}\t[2x\n")])
    }

    @Test("CSI and SS3 sequences ncurses did not match still decode to keys")
    func rawSequences() {
        #expect(keys(chars("\u{1B}[A\u{1B}[1;5C\u{1B}OB\u{1B}[3~\u{1B}[Z\u{1B}[5~\u{1B}[15~")) == [.up, .ctrlRight, .down, .delete, .backTab, .pageUp, .function(5)])
        #expect(keys(chars("\u{1B}[I\u{1B}[O")).isEmpty)  // focus reports
        #expect(keys(chars("\u{1B}[")) == [.alt("[")])
        #expect(keys(chars("\u{1B}O")) == [.alt("O")])
    }

    @Test("mouse: button 1 press and release, wheel up and down, 0-based position")
    func mouse() {
        let events = decode([
            .mouse(x: 4, y: 2, bstate: nc_button_pressed(1)),
            .mouse(x: 9, y: 2, bstate: nc_report_mouse_position()),
            .mouse(x: 9, y: 3, bstate: nc_button_released(1)),
            .mouse(x: 0, y: 0, bstate: nc_button_pressed(4)),
            .mouse(x: 1, y: 1, bstate: nc_button_pressed(5)),
            .mouse(x: 1, y: 1, bstate: nc_report_mouse_position()),  // motion without a button: nothing
        ])
        #expect(events == [
            .mouse(MouseEvent(kind: .press, x: 4, y: 2, button: 1)),
            .mouse(MouseEvent(kind: .drag, x: 9, y: 2, button: 1)),
            .mouse(MouseEvent(kind: .release, x: 9, y: 3, button: 1)),
            .mouse(MouseEvent(kind: .wheelUp, x: 0, y: 0, button: 4)),
            .mouse(MouseEvent(kind: .wheelDown, x: 1, y: 1, button: 5)),
        ])
    }

    @Test("SGR mouse reports ncurses did not decode")
    func sgrMouse() {
        #expect(decode(chars("\u{1B}[<0;5;3M\u{1B}[<0;5;3m\u{1B}[<65;1;1M")) == [
            .mouse(MouseEvent(kind: .press, x: 4, y: 2, button: 1)),
            .mouse(MouseEvent(kind: .release, x: 4, y: 2, button: 1)),
            .mouse(MouseEvent(kind: .wheelDown, x: 0, y: 0, button: 5)),
        ])
    }

    @Test("reset forgets a half-read sequence")
    func reset() {
        var d = KeyDecoder()
        _ = d.feed(.char(27))
        _ = d.feed(.char(0x5B))
        d.reset()
        #expect(d.decode(chars("a")) == [.key(.char("a"))])
    }
}
