import Foundation

/// Restores the terminal when the process dies on a fatal signal (a Swift trap, an abort, a
/// segfault), so a crash never leaves the user's shell in raw mode on the alternate screen.
///
/// A signal handler may only call async-signal-safe functions, so this does not call `endwin`:
/// it puts back the terminal modes saved before curses started (`tcsetattr`) and writes the
/// escape sequences that leave the alternate screen and turn off mouse reporting and bracketed
/// paste (`write`), then re-raises the signal with its default action so the crash still shows.
///
/// These handlers replace the Swift runtime's backtracer for the same signals (it installs its
/// own at start-up on Linux). That is deliberate: the backtracer would print its crash report
/// onto the alternate screen, and with `interactive=tty` (its default on Linux) wait there for a
/// key, before anything had restored the terminal. The backtracer's other signal, SIGQUIT, is
/// ignored by the workbench while the screen is up (see `TUIRuntime`). Set
/// `SWIFT_BACKTRACE=enable=no` to silence it elsewhere too. The shell still reports the signal
/// ("Illegal instruction"), and a core dump is written where `ulimit -c` allows one.
public enum CrashRestore {
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var fd: Int32 = -1
    private static let reset: [UInt8] = Array("\u{1B}[?2004l\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)

    /// Call before curses changes the modes; `fd` is the terminal's file descriptor.
    public static func install(fd terminal: Int32) {
        guard tcgetattr(terminal, &saved) == 0 else { return }
        fd = terminal
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { s in
                CrashRestore.restore()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }

    static func restore() {
        guard fd >= 0 else { return }
        _ = reset.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
        _ = tcsetattr(fd, TCSANOW, &saved)
    }
}
