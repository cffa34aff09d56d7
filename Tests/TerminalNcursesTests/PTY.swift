#if canImport(Glibc)
import Glibc
#endif
import CNcursesW
import Foundation

/// A pseudo-terminal for driving `NcursesTerminal` in-process: ncurses gets the slave side (via
/// `NcursesTerminal(theme:inputFD:outputFD:environment:)`), the test reads what it drew from the
/// master and types into it. Screens are kept small so ncurses' output always fits the pty buffer.
final class PTY {
    let master: Int32
    let slave: Int32

    init(rows: Int = 8, cols: Int = 30) throws {
        var m: Int32 = -1, s: Int32 = -1
        guard nc_open_pty(&m, &s, Int32(rows), Int32(cols)) == 0 else { throw POSIXError(.ENODEV) }
        master = m
        slave = s
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(master)
        close(slave)
    }

    /// Everything written so far, read until the master has been quiet for `quiet` seconds.
    func read(quiet: Double = 0.1) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(quiet * 1000)) > 0 else { return out }
            let n = Glibc.read(master, &buf, buf.count)
            if n <= 0 { return out }
            out += buf[0..<n]
        }
    }

    func text(quiet: Double = 0.1) -> String { String(decoding: read(quiet: quiet), as: UTF8.self) }

    /// Types `s` into the terminal, then waits until it is readable on the slave side.
    func type(_ s: String) {
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        var p = pollfd(fd: slave, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, 1000)
        usleep(20_000)  // let the rest of a multi-byte write through the line discipline
    }

    func resize(rows: Int, cols: Int) { _ = nc_set_winsize(slave, Int32(rows), Int32(cols)) }
}
