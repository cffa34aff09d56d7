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

    /// Buffered like `print`, so a million-line listing is not a million system calls; a
    /// streaming reply calls `flush()` after each batch, and so does every exit path.
    static func out(_ text: String) {
        out(utf8: Array(safe(text, terminal: stdoutIsTerminal).utf8))
    }

    static func flush() {
        let pending = buffer.withLock { b -> [UInt8] in
            defer { b.removeAll(keepingCapacity: true) }
            return b
        }
        if !pending.isEmpty { write(pending, to: STDOUT_FILENO) }
    }

    /// Unbuffered, after whatever stdout holds, so the two streams interleave in order.
    static func err(_ text: String) {
        flush()
        write(Array(safe(text, terminal: stderrIsTerminal).utf8), to: STDERR_FILENO)
    }

    /// Server reasoning for stderr: dimmed and made safe on a terminal (`ThinkingText`), as is
    /// elsewhere. Written after whatever stdout holds, like `err`.
    static func thinking(_ text: String) {
        flush()
        write(Array(ThinkingText.forStderr(text, terminal: stderrIsTerminal, raw: raw).utf8), to: STDERR_FILENO)
    }

    /// `Swift.print` for one string, through `out`.
    static func print(_ text: String, terminator: String = "\n") {
        out(text + terminator)
    }

    /// A JSON value, pretty, on a line of its own (`--json` output). Piped, the writer's bytes go
    /// out as they are: a run's record with a 400 KB reply was copied four more times on its way
    /// through a `String` (issue 15). On a terminal it passes the filter like any text.
    static func json(_ value: JSONValue) {
        var bytes = WireJSON.bytes(value, pretty: true)
        bytes.append(0x0A)
        if stdoutIsTerminal && !raw {
            out(String(decoding: bytes, as: UTF8.self))
        } else {
            out(utf8: bytes)
        }
    }

    /// Bytes for stdout, already filtered for a terminal (or not bound for one). They wait in
    /// the buffer until it would pass 64 KiB; then the buffer and they go out, in order, without
    /// being copied into it.
    private static func out(utf8 bytes: [UInt8]) {
        buffer.withLock { b in
            if b.count + bytes.count < 1 << 16 {
                b.append(contentsOf: bytes)
                return
            }
            write(b, to: STDOUT_FILENO)
            b.removeAll(keepingCapacity: true)
            write(bytes, to: STDOUT_FILENO)
        }
    }

    private static let buffer = WorkbenchCore.Mutex<[UInt8]>([])

    /// Every byte, in order, whatever `write` returns short (a pipe, a signal).
    private static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
        }
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

