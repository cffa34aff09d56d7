/// One item as ncurses hands it over, before any meaning is attached: `wget_wch` returns either a
/// character (`OK`) or a key code (`KEY_CODE_YES`), and `KEY_MOUSE` is followed by `getmouse`.
/// Keeping this a plain value lets `KeyDecoder` be tested without a terminal.
public enum RawInput: Sendable, Equatable {
    /// A Unicode scalar or a control code (`wget_wch` returned `OK`).
    case char(UInt32)
    /// A `KEY_*` code (`wget_wch` returned `KEY_CODE_YES`) and its `keyname()`, which is the only
    /// stable handle on terminfo's extended keys such as `kUP5` (Ctrl-Up).
    case keyCode(Int32, name: String?)
    /// A mouse report from `getmouse`: 0-based cell position and the ncurses button-state mask.
    case mouse(x: Int, y: Int, bstate: UInt32)
}
