/// Why the terminal could not be opened. Thrown instead of exiting (as `initscr` would), so the
/// caller can print a useful message with the shell's terminal still intact.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (piped, redirected, or run under a non-tty CI).
    case notATerminal
    /// `TERM` is unset or empty.
    case noTerminalType
    /// terminfo has no entry for `TERM` (or it is too limited to drive a full screen).
    case unknownTerminal(String)
    /// `newterm` failed for another reason.
    case openFailed(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "glmwb needs an interactive terminal: stdin and stdout must be a tty (use `glmwb run` for scripts)"
        case .noTerminalType:
            return "TERM is not set; set it to your terminal type (for example TERM=xterm-256color)"
        case .unknownTerminal(let term):
            return "unknown terminal type '\(term)': no terminfo entry (try TERM=xterm-256color, or install ncurses-term)"
        case .openFailed(let why):
            return "cannot open the terminal: \(why)"
        }
    }
}
