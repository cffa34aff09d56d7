#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesW
import Foundation
import WorkbenchUI

/// The one owner of the terminal: opens ncursesw with `newterm`, sets the modes a full-screen
/// editor needs, flushes `Grid` frames, decodes input, and restores the terminal on every exit
/// path. ncurses is not thread-safe, so everything here is `@MainActor`; nothing else in the
/// package imports `CNcursesW`.
///
/// Lifecycle: `init` → (`readInput`/`flush`)* → `shutdown()`. `shutdown` is idempotent and must
/// be called on every exit path (quit, fatal error, SIGTERM), or the shell stays in raw mode.
@MainActor
public final class NcursesTerminal {
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    private let inputFile: UnsafeMutablePointer<FILE>
    private let outputFile: UnsafeMutablePointer<FILE>
    /// Where escape sequences of our own (bracketed paste, OSC 52) go, and whose size TIOCGWINSZ reads.
    let outputFD: Int32
    let environment: [String: String]

    public private(set) var theme: Theme
    /// The `TERM` the terminal was opened with.
    public let terminalName: String
    /// False when neither the user's locale nor the C.UTF-8 fallback is UTF-8: wide glyphs will
    /// then be drawn wrong, and the runtime should warn.
    public let localeIsUTF8: Bool
    public let colorCount: Int

    var pairs: ColorPairCache
    var styleCache: [Style: (attrs: attr_t, pair: Int32)] = [:]
    var decoder = KeyDecoder()
    var lastGrid: Grid?
    var cursorVisible: Bool?
    /// Set when the physical screen is unknown (resize, resume): the next flush clears and repaints it.
    var needsClear = false
    var isPaused = false
    public private(set) var isShutDown = false

    /// Opens the controlling terminal on stdin/stdout.
    public convenience init(theme: Theme, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        try self.init(theme: theme, inputFD: STDIN_FILENO, outputFD: STDOUT_FILENO, environment: environment)
    }

    /// Opens a terminal on explicit descriptors (a pty in tests, or `/dev/tty` when stdout is
    /// redirected). The descriptors are duplicated; the caller keeps ownership of its own.
    public init(theme: Theme, inputFD: Int32, outputFD: Int32, environment: [String: String]) throws {
        guard isatty(inputFD) == 1, isatty(outputFD) == 1 else { throw TerminalError.notATerminal }
        guard let term = environment["TERM"], !term.isEmpty else { throw TerminalError.noTerminalType }

        // ncursesw draws wide glyphs only under a UTF-8 locale; C.UTF-8 is the fallback for a
        // bare "C"/"POSIX" environment (the terminal itself is almost always UTF-8 nowadays).
        setlocale(LC_ALL, "")
        if !Self.codesetIsUTF8 { setlocale(LC_CTYPE, "C.UTF-8") }
        localeIsUTF8 = Self.codesetIsUTF8

        // Our own descriptors, so `shutdown` can fclose them without closing the caller's.
        let inFD = dup(inputFD), outFD = dup(outputFD)
        let input = inFD >= 0 ? fdopen(inFD, "r") : nil
        let output = outFD >= 0 ? fdopen(outFD, "w") : nil
        guard let input, let output else {
            let why = String(cString: strerror(errno))
            if let input { fclose(input) } else if inFD >= 0 { close(inFD) }
            if let output { fclose(output) } else if outFD >= 0 { close(outFD) }
            throw TerminalError.openFailed(why)
        }
        // newterm, not initscr: initscr exits the process on an unknown TERM.
        guard let screen = newterm(term, output, input) else {
            fclose(input)
            fclose(output)
            throw TerminalError.unknownTerminal(term)
        }
        set_term(screen)
        guard let window = nc_stdscr() else {
            endwin()
            delscreen(screen)
            fclose(input)
            fclose(output)
            throw TerminalError.openFailed("no standard screen")
        }
        self.screen = screen
        self.window = window
        self.inputFile = input
        self.outputFile = output
        self.outputFD = outFD
        self.environment = environment
        self.theme = theme
        self.terminalName = term

        raw()  // Ctrl-C and Ctrl-Z arrive as keys: Ctrl-C cancels a stream, never the app
        noecho()
        keypad(window, true)
        nodelay(window, true)  // readInput drains until ERR and never blocks the main actor
        set_escdelay(25)  // the default 1 s would freeze the UI after every Esc

        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        var defaultColors = true
        if has_colors() && !noColor {
            start_color()
            defaultColors = use_default_colors() == OK
            colorCount = Int(nc_colors())
        } else {
            colorCount = 0
        }
        pairs = ColorPairCache(colorCount: colorCount, maxPairs: Int(nc_color_pairs()), defaultColors: defaultColors)

        mousemask(nc_mouse_all(), nil)
        mouseinterval(0)  // clicks and drags are built in the reducer, without a 1/6 s wait
        curs_set(0)
        cursorVisible = false
        writeRaw(Self.bracketedPasteOn)
    }

    public var width: Int { isShutDown ? 0 : Int(nc_cols()) }
    public var height: Int { isShutDown ? 0 : Int(nc_lines()) }

    /// A new theme: colour pairs are reallocated and the next flush repaints everything.
    public func setTheme(_ theme: Theme) {
        self.theme = theme
        pairs.removeAll()
        styleCache = [:]
        needsClear = true
        invalidate()
    }

    /// Forgets the last frame so the next flush rewrites every row.
    public func invalidate() {
        lastGrid = nil
    }

    /// Call on SIGWINCH. ncurses' own handler never sees the signal once the runtime takes it
    /// with a Dispatch source, so the size is read here and handed to `resizeterm`. The
    /// `KEY_RESIZE` that resizeterm queues is dropped by `readInput`.
    public func handleResize() -> (width: Int, height: Int) {
        guard !isShutDown else { return (0, 0) }
        var rows: Int32 = 0, cols: Int32 = 0
        if nc_winsize(outputFD, &rows, &cols) == 0, rows > 0, cols > 0 {
            resizeterm(rows, cols)
        }
        needsClear = true  // terminals reflow on resize: what is on screen is unknown
        invalidate()
        return (width, height)
    }

    /// Ctrl-Z (which `raw()` delivers as a key): leave curses mode, stop the job the way the
    /// tty driver would (SIGTSTP to the whole process group, with the default action), and on
    /// `fg` come back with a full repaint.
    public func suspend() {
        guard !isShutDown, !isPaused else { return }
        writeRaw(Self.bracketedPasteOff)
        endwin()
        let previous = signal(SIGTSTP, SIG_DFL)
        kill(0, SIGTSTP)
        signal(SIGTSTP, previous)
        reenter()
    }

    /// Leaves curses mode so an external program ($EDITOR) can use the terminal.
    public func pauseForExternalProgram() {
        guard !isShutDown, !isPaused else { return }
        writeRaw(Self.bracketedPasteOff)
        endwin()
        isPaused = true
    }

    /// Returns to curses mode after `pauseForExternalProgram` and repaints the last frame.
    public func resumeAfterExternalProgram() {
        guard !isShutDown, isPaused else { return }
        isPaused = false
        reenter()
    }

    /// The first refresh after `endwin` restores the program's tty modes, keypad and mouse
    /// modes; `clearok` makes it repaint a screen someone else has drawn on.
    private func reenter() {
        clearok(window, true)
        wnoutrefresh(window)
        doupdate()
        cursorVisible = nil
        writeRaw(Self.bracketedPasteOn)
        decoder.reset()
        invalidate()
    }

    /// Restores the terminal (bracketed paste off, mouse off, cursor on, normal screen) and
    /// frees ncurses' screen. Safe to call more than once and from every exit path.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        writeRaw(Self.bracketedPasteOff)
        endwin()
        delscreen(screen)
        fclose(inputFile)
        fclose(outputFile)
    }

    /// Writes an OSC 52 clipboard sequence straight to the terminal.
    public func copyToClipboard(_ text: String) {
        guard !isShutDown else { return }
        writeRaw(Clipboard.osc52(text))
    }

    /// Bytes of our own, written after whatever ncurses has buffered so the order is kept.
    func writeRaw(_ s: String) {
        fflush(outputFile)
        var bytes = Array(s.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(outputFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }

    private static var codesetIsUTF8: Bool {
        let name = String(cString: nc_codeset()).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}
