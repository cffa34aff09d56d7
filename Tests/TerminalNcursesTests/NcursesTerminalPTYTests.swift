#if canImport(Glibc)
import Glibc
#endif
import CNcursesW
import Testing
import WorkbenchUI

@testable import TerminalNcurses

/// The real thing: ncursesw driving a pseudo-terminal in this process. Serialized and on the
/// main actor because ncurses keeps global state (the current SCREEN) and is not thread-safe.
@Suite("NcursesTerminal on a pty", .serialized)
@MainActor
struct NcursesTerminalPTYTests {
    static let theme = Theme(name: "test", roles: [
        .error: RoleStyle(fg: .index(196)),
        .status: RoleStyle(fg: .index(16), bg: .index(250), reverse: true),
    ])

    private func open(_ pty: PTY, term: String = "xterm-256color", extra: [String: String] = [:]) throws -> NcursesTerminal {
        var env = ["TERM": term]
        env.merge(extra) { $1 }
        return try NcursesTerminal(theme: Self.theme, inputFD: pty.slave, outputFD: pty.slave, environment: env)
    }

    private func sampleGrid(width: Int = 30, height: Int = 8) -> Grid {
        var g = Grid(width: width, height: height)
        g.put("hello world", x: 0, y: 0)
        g.put("中文 wide", x: 0, y: 2, style: Style(.error))
        g.put("ab", x: 0, y: 3)
        g[width - 1, 3] = Cell("字")  // a wide glyph in the last column: must not wrap
        g.put("next line", x: 0, y: 4)
        g.put("status", x: 0, y: height - 1, style: Style(.status, bold: true))
        return g
    }

    @Test("opens with the pty's size and 256 colours")
    func opens() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        #expect(term.width == 30 && term.height == 8)
        #expect(term.colorCount == 256)
        #expect(term.localeIsUTF8)
        #expect(pty.text().contains(NcursesTerminal.bracketedPasteOn))
    }

    @Test("flush draws ASCII and CJK, and never a wide glyph in the last column")
    func flushDraws() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        _ = pty.read()
        term.flush(sampleGrid())
        let out = pty.text()
        #expect(out.contains("hello world"))
        #expect(out.contains("中文"))
        #expect(!out.contains("字"))
        #expect(out.contains("\u{1B}[38;5;196m"))  // .error's colour, through a colour pair
        #expect(term.screenText(row: 0).hasPrefix("hello world"))
        #expect(term.screenText(row: 2).hasPrefix("中文 wide"))
        #expect(term.screenText(row: 3) == "ab" + String(repeating: " ", count: 28))
        #expect(term.screenText(row: 4).hasPrefix("next line"))
    }

    @Test("flushing the same grid again writes (almost) nothing; a changed row is rewritten alone")
    func rowDiff() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        var grid = sampleGrid()
        term.flush(grid)
        _ = pty.read()
        term.flush(grid)
        #expect(pty.read().count < 8)
        grid.put("changed", x: 0, y: 1)
        term.flush(grid)
        let out = pty.text()
        #expect(out.contains("changed"))
        #expect(!out.contains("hello"))
        #expect(!out.contains("中文"))
    }

    @Test("invalidate and setTheme repaint every row")
    func invalidateRepaints() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        let grid = sampleGrid()
        term.flush(grid)
        _ = pty.read()
        term.setTheme(Theme(name: "other", roles: [.error: RoleStyle(fg: .index(46))]))
        term.flush(grid)
        let out = pty.text()
        #expect(out.contains("hello world") && out.contains("中文"))
        #expect(out.contains("\u{1B}[38;5;46m"))
    }

    @Test("the cursor is shown only where the grid asks for it")
    func cursor() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        var grid = sampleGrid()
        grid.cursor = (5, 4)
        term.flush(grid)
        #expect(pty.text().contains("\u{1B}[?25h"))  // cnorm (xterm's is "\E[?12l\E[?25h")
        var y: Int32 = 0, x: Int32 = 0
        y = getcury(term.window)
        x = getcurx(term.window)
        #expect(x == 5 && y == 4)
        grid.cursor = nil
        term.flush(grid)
        #expect(pty.text().contains("\u{1B}[?25l"))
    }

    @Test("8-colour terminals get the nearest basic colour")
    func basic8() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty, term: "xterm")
        defer { term.shutdown() }
        #expect(term.colorCount == 8)
        term.flush(sampleGrid())
        #expect(pty.text().contains("\u{1B}[31m"))
    }

    @Test("NO_COLOR: no colours at all, attributes only")
    func noColor() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty, extra: ["NO_COLOR": "1"])
        defer { term.shutdown() }
        #expect(term.colorCount == 0)
        term.flush(sampleGrid())
        let out = pty.text()
        #expect(out.contains("中文"))
        #expect(!out.contains("38;5;"))
        #expect(!out.contains("\u{1B}[31m"))
    }

    @Test("keys, Alt, Ctrl-arrows, mouse and a bracketed paste decode end to end")
    func input() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        pty.type("a\u{01}\u{1B}x\u{7F}\t\r")
        #expect(term.readInput() == [.key(.char("a")), .key(.ctrl("a")), .key(.alt("x")), .key(.backspace), .key(.tab), .key(.enter)])
        pty.type("\u{1B}OA\u{1B}[1;5A\u{1B}[1;5D\u{1B}OP\u{1B}[3~")
        #expect(term.readInput() == [.key(.up), .key(.ctrlUp), .key(.ctrlLeft), .key(.function(1)), .key(.delete)])
        pty.type("\u{1B}[200~中文\nline 2\u{1B}[201~z")
        #expect(term.readInput() == [.key(.paste("中文\nline 2")), .key(.char("z"))])
        pty.type("\u{1B}[<0;5;3M\u{1B}[<0;5;3m\u{1B}[<64;1;1M")
        #expect(term.readInput() == [
            .mouse(MouseEvent(kind: .press, x: 4, y: 2, button: 1)),
            .mouse(MouseEvent(kind: .release, x: 4, y: 2, button: 1)),
            .mouse(MouseEvent(kind: .wheelUp, x: 0, y: 0, button: 4)),
        ])
        pty.type("\u{1B}")
        #expect(term.readInput() == [.key(.escape)])
        #expect(term.readInput().isEmpty)
    }

    @Test("handleResize reads the new size and the next flush repaints")
    func resize() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        term.flush(sampleGrid())
        _ = pty.read()
        pty.resize(rows: 10, cols: 40)
        let size = term.handleResize()
        #expect(size.width == 40 && size.height == 10)
        #expect(term.readInput().isEmpty)  // the KEY_RESIZE resizeterm queued is swallowed
        term.flush(sampleGrid(width: 40, height: 10))
        #expect(pty.text().contains("hello world"))
        #expect(term.screenText(row: 9).hasPrefix("status"))
    }

    @Test("pause and resume for an external program repaint the screen")
    func pauseResume() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        defer { term.shutdown() }
        term.flush(sampleGrid())
        _ = pty.read()
        term.pauseForExternalProgram()
        let paused = pty.text()
        #expect(paused.contains("\u{1B}[?1049l") && paused.contains(NcursesTerminal.bracketedPasteOff))
        term.flush(sampleGrid())  // ignored while paused
        #expect(pty.read().isEmpty)
        term.resumeAfterExternalProgram()
        let resumed = pty.text()
        #expect(resumed.contains("\u{1B}[?1049h") && resumed.contains("hello world"))
        #expect(resumed.contains(NcursesTerminal.bracketedPasteOn))
    }

    @Test("copyToClipboard writes OSC 52 to the terminal")
    func clipboard() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty, extra: ["TMUX": ""])
        defer { term.shutdown() }
        _ = pty.read()
        term.copyToClipboard("hi")
        #expect(pty.text() == "\u{1B}]52;c;aGk=\u{07}")
    }

    @Test("shutdown restores the terminal, and is idempotent")
    func shutdown() throws {
        let pty = try PTY(rows: 8, cols: 30)
        let term = try open(pty)
        term.flush(sampleGrid())
        _ = pty.read()
        term.shutdown()
        let out = pty.text()
        #expect(out.contains("\u{1B}[?1049l"))  // rmcup: back to the normal screen
        #expect(out.contains(NcursesTerminal.bracketedPasteOff))
        #expect(out.contains("\u{1B}[?1000l") || out.contains("\u{1B}[?1006;1000l"))  // mouse off
        term.shutdown()
        term.flush(sampleGrid())
        #expect(term.readInput().isEmpty)
        #expect(pty.read().isEmpty)
    }

    @Test("an unknown TERM, a missing TERM and a non-tty throw instead of exiting")
    func openErrors() throws {
        let pty = try PTY()
        #expect(throws: TerminalError.unknownTerminal("no-such-terminal")) { _ = try open(pty, term: "no-such-terminal") }
        #expect(throws: TerminalError.noTerminalType) {
            _ = try NcursesTerminal(theme: Self.theme, inputFD: pty.slave, outputFD: pty.slave, environment: [:])
        }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(throws: TerminalError.notATerminal) {
            _ = try NcursesTerminal(theme: Self.theme, inputFD: fds[0], outputFD: fds[1], environment: ["TERM": "xterm"])
        }
    }
}
