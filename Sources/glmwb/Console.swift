import ArgumentParser
import Foundation
import WorkbenchCore

/// Where the CLI prints. On a terminal, text is passed through `TerminalText.visible`, so nothing a
/// server or a tool sent can drive the user's terminal (clear it, set its title, write the
/// clipboard); piped output stays byte-exact. `--raw` turns the filter off for a terminal too.
enum Console {
    /// Set once at start-up from `--raw`, before anything prints.
    nonisolated(unsafe) static var raw = false

    static let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(safe(text, terminal: stdoutIsTerminal).utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(safe(text, terminal: stderrIsTerminal).utf8))
    }

    static func safe(_ text: String, terminal: Bool) -> String {
        terminal && !raw ? TerminalText.visible(text) : text
    }
}

/// `--raw`: for the commands that print what a server or a tool sent.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print control characters from servers and tools as they are, even on a terminal (by default they are shown as ␛, ␇, …; piped output is always byte-exact).")
    var raw = false

    func apply() { Console.raw = raw }
}
