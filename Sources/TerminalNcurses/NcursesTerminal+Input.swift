import CNcursesW
import WorkbenchUI

/// Input: drains `wget_wch` (non-blocking) and hands the raw codes to `KeyDecoder`.
extension NcursesTerminal {
    /// Everything the terminal has sent since the last call, decoded. Call it when stdin is
    /// readable; it never blocks (except for ncurses' 25 ms `ESCDELAY` after a lone Esc).
    public func readInput() -> [InputEvent] {
        guard !isShutDown, !isPaused else { return [] }
        var events: [InputEvent] = []
        var ch: wint_t = 0
        while true {
            let rc = wget_wch(window, &ch)
            if rc == ERR { break }
            if rc == KEY_CODE_YES {
                let code = Int32(truncatingIfNeeded: ch)
                if code == KEY_RESIZE { continue }  // resize is handled by handleResize
                if code == KEY_MOUSE {
                    for raw in popMouseEvents() { events += decoder.feed(raw) }
                    continue
                }
                let name = keyname(code).map { String(cString: $0) }
                events += decoder.feed(.keyCode(code, name: name))
            } else {
                events += decoder.feed(.char(UInt32(ch)))
            }
        }
        return events + decoder.endOfInput()
    }

    /// A burst of mouse reports (press and release in one read, a fast wheel) yields a single
    /// KEY_MOUSE, and `getmouse` pops the queue newest first: drain it and restore the order.
    private func popMouseEvents() -> [RawInput] {
        var popped: [RawInput] = []
        var ev = MEVENT()
        while popped.count < 64, getmouse(&ev) == OK {
            popped.append(.mouse(x: Int(ev.x), y: Int(ev.y), bstate: UInt32(truncatingIfNeeded: ev.bstate)))
        }
        return popped.reversed()
    }
}
