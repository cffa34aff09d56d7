import CNcursesW
import WorkbenchUI

/// Turns what ncurses delivers (`RawInput`) into `InputEvent`s. It is a plain state machine so
/// the awkward cases can be unit-tested without a terminal:
///
/// - **Alt**: terminals send Alt-x as ESC followed by x. ncurses waits `ESCDELAY` (25 ms here)
///   after an ESC before returning it alone, so an ESC followed *in the same drain* by a character
///   is Alt-character, and an ESC still pending when the drain ends (`endOfInput`) is the Escape key.
/// - **Bracketed paste**: terminfo has no key for `ESC[200~`/`ESC[201~`, so ncurses hands over
///   every byte as a plain character. Everything between the markers becomes one `.paste`, even
///   when it spans several drains (a large paste arrives in chunks).
/// - **Extended keys** such as Ctrl-Up have no `KEY_*` constant; they are recognised by their
///   terminfo name (`kUP5`), which ncurses reports through `keyname()`.
/// - **Unmatched CSI/SS3 sequences** (a terminal that does not match its `TERM`) are decoded
///   when they are common keys and dropped otherwise, instead of leaking `[A` into the editor.
public struct KeyDecoder: Sendable {
    private enum State: Sendable, Equatable {
        case ground
        case escape
        case csi(String)
        case ss3
        case paste
    }

    private var state: State = .ground
    private var pasteScalars: [Unicode.Scalar] = []
    /// How much of `ESC [ 2 0 1 ~` has been seen inside a paste.
    private var terminatorMatched = 0
    private var pressedButton: Int?

    private static let pasteEnd: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]

    public init() {}

    /// True between `ESC[200~` and `ESC[201~`.
    public var isInPaste: Bool { state == .paste }

    /// Decodes one drain: feeds every input, then `endOfInput()`.
    public mutating func decode(_ inputs: [RawInput]) -> [InputEvent] {
        var out: [InputEvent] = []
        for i in inputs { out += feed(i) }
        return out + endOfInput()
    }

    /// Forgets any half-read sequence (after suspend or an external program).
    public mutating func reset() {
        state = .ground
        pasteScalars = []
        terminatorMatched = 0
        pressedButton = nil
    }

    public mutating func feed(_ input: RawInput) -> [InputEvent] {
        switch state {
        case .paste: return feedPaste(input)
        case .ground: return feedGround(input)
        case .escape: return feedEscape(input)
        case .csi(let params): return feedCSI(params, input)
        case .ss3: return feedSS3(input)
        }
    }

    /// The drain ended (`wget_wch` returned ERR). ncurses already waited `ESCDELAY` after a
    /// trailing ESC, so a pending ESC is the Escape key; a paste stays open until its end marker.
    public mutating func endOfInput() -> [InputEvent] {
        switch state {
        case .ground, .paste:
            return []
        case .escape:
            state = .ground
            return [.key(.escape)]
        case .ss3:
            state = .ground
            return [.key(.alt("O"))]
        case .csi(let params):
            state = .ground
            var out: [InputEvent] = [.key(.alt("["))]
            for s in params.unicodeScalars { out += Self.plainKey(s.value).map { [.key($0)] } ?? [] }
            return out
        }
    }

    // MARK: - States

    private mutating func feedGround(_ input: RawInput) -> [InputEvent] {
        switch input {
        case .char(27):
            state = .escape
            return []
        case .char(let c):
            return Self.plainKey(c).map { [.key($0)] } ?? []
        case .keyCode(let code, let name):
            return Self.functionKey(code, name: name).map { [.key($0)] } ?? []
        case .mouse(let x, let y, let bstate):
            return mouse(x: x, y: y, bstate: bstate)
        }
    }

    private mutating func feedEscape(_ input: RawInput) -> [InputEvent] {
        switch input {
        case .char(27):
            return [.key(.escape)]  // ESC ESC: the first is a real Escape, the second stays pending
        case .char(0x5B):
            state = .csi("")
            return []
        case .char(0x4F):
            state = .ss3
            return []
        case .char(10), .char(13):
            state = .ground
            return [.key(.altEnter)]
        case .char(let c):
            state = .ground
            if c >= 0x20, c != 0x7F, !(0x80..<0xA0).contains(c), let s = Unicode.Scalar(c) {
                return [.key(.alt(Character(s)))]
            }
            return [.key(.escape)] + (Self.plainKey(c).map { [.key($0)] } ?? [])
        case .keyCode(let code, _) where code == KEY_RESIZE:
            return []
        case .keyCode:
            // ESC glued to a function key is an Alt-modified key; there is no Alt-arrow, so keep the key.
            state = .ground
            return feedGround(input)
        case .mouse:
            state = .ground
            return [.key(.escape)] + feedGround(input)
        }
    }

    private mutating func feedCSI(_ params: String, _ input: RawInput) -> [InputEvent] {
        guard case .char(let c) = input else {
            state = .ground
            return feedGround(input)
        }
        switch c {
        case 0x20...0x3F where params.utf8.count < 24:
            state = .csi(params + String(UnicodeScalar(UInt8(c))))
            return []
        case 0x40...0x7E:
            state = .ground
            let final = Character(UnicodeScalar(UInt8(c)))
            if final == "~" && params == "200" {
                state = .paste
                pasteScalars = []
                terminatorMatched = 0
                return []
            }
            if final == "M" || final == "m", params.hasPrefix("<") {
                return sgrMouse(String(params.dropFirst()), pressed: final == "M")
            }
            return Self.csiKey(params, final).map { [.key($0)] } ?? []
        default:
            // Not a CSI after all (or an absurdly long one): drop it and read on.
            state = .ground
            return feedGround(input)
        }
    }

    private mutating func feedSS3(_ input: RawInput) -> [InputEvent] {
        state = .ground
        guard case .char(let c) = input, (0x40...0x7E).contains(c) else {
            return [.key(.alt("O"))] + feedGround(input)
        }
        switch UnicodeScalar(UInt8(c)) {
        case "A": return [.key(.up)]
        case "B": return [.key(.down)]
        case "C": return [.key(.right)]
        case "D": return [.key(.left)]
        case "H": return [.key(.home)]
        case "F": return [.key(.end)]
        case "M": return [.key(.enter)]
        case "P": return [.key(.function(1))]
        case "Q": return [.key(.function(2))]
        case "R": return [.key(.function(3))]
        case "S": return [.key(.function(4))]
        default: return []
        }
    }

    private mutating func feedPaste(_ input: RawInput) -> [InputEvent] {
        switch input {
        case .char(let c):
            if c == Self.pasteEnd[terminatorMatched] {
                terminatorMatched += 1
                if terminatorMatched == Self.pasteEnd.count { return [finishPaste()] }
                return []
            }
            flushPartialTerminator()
            if c == 0x1B {
                terminatorMatched = 1
            } else if let s = Unicode.Scalar(c) {
                pasteScalars.append(s)
            }
        case .keyCode(let code, _):
            flushPartialTerminator()
            if code == KEY_ENTER { pasteScalars.append("\n") }
        case .mouse:
            break
        }
        return []
    }

    /// A paste that contained `ESC [ 2` but not the end marker: keep the text, drop the ESC.
    private mutating func flushPartialTerminator() {
        if terminatorMatched > 1 {
            for v in Self.pasteEnd[1..<terminatorMatched] { pasteScalars.append(Unicode.Scalar(v)!) }
        }
        terminatorMatched = 0
    }

    /// Newlines arrive as CR, LF or CRLF depending on the terminal and tty modes; the editor wants "\n".
    private mutating func finishPaste() -> InputEvent {
        var text = String.UnicodeScalarView()
        var lastWasCR = false
        for s in pasteScalars {
            if s == "\r" {
                text.append("\n")
                lastWasCR = true
                continue
            }
            if s == "\n" && lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = false
            text.append(s)
        }
        state = .ground
        pasteScalars = []
        terminatorMatched = 0
        return .key(.paste(String(text)))
    }

    // MARK: - Mouse

    private mutating func mouse(x: Int, y: Int, bstate: UInt32) -> [InputEvent] {
        var out: [MouseEvent] = []
        if bstate & nc_button_pressed(4) != 0 { out.append(MouseEvent(kind: .wheelUp, x: x, y: y, button: 4)) }
        if bstate & nc_button_pressed(5) != 0 { out.append(MouseEvent(kind: .wheelDown, x: x, y: y, button: 5)) }
        for b in 1...3 {
            let b32 = Int32(b)
            if bstate & nc_button_pressed(b32) != 0 {
                out.append(MouseEvent(kind: .press, x: x, y: y, button: b))
                pressedButton = b
            }
            if bstate & nc_button_clicked(b32) != 0 {
                out.append(MouseEvent(kind: .press, x: x, y: y, button: b))
                out.append(MouseEvent(kind: .release, x: x, y: y, button: b))
            }
            if bstate & nc_button_released(b32) != 0 {
                out.append(MouseEvent(kind: .release, x: x, y: y, button: b))
                if pressedButton == b { pressedButton = nil }
            }
        }
        if out.isEmpty, bstate & nc_report_mouse_position() != 0, let b = pressedButton {
            out.append(MouseEvent(kind: .drag, x: x, y: y, button: b))
        }
        return out.map { .mouse($0) }
    }

    /// An SGR mouse report ncurses did not decode itself (`ESC [ < b ; x ; y M/m`, 1-based).
    private mutating func sgrMouse(_ params: String, pressed: Bool) -> [InputEvent] {
        let parts = params.split(separator: ";").compactMap { Int($0) }
        guard parts.count == 3 else { return [] }
        let (b, x, y) = (parts[0], parts[1] - 1, parts[2] - 1)
        if b & 64 != 0 {
            return [.mouse(MouseEvent(kind: b & 1 == 0 ? .wheelUp : .wheelDown, x: x, y: y, button: b & 1 == 0 ? 4 : 5))]
        }
        let button = (b & 3) + 1
        if b & 32 != 0 { return [.mouse(MouseEvent(kind: .drag, x: x, y: y, button: button))] }
        return [.mouse(MouseEvent(kind: pressed ? .press : .release, x: x, y: y, button: button))]
    }

    // MARK: - Tables

    /// A character outside any sequence. Under `raw()` Ctrl-letters arrive as 1…26; 8 and 127
    /// are both Backspace because terminals disagree on which one the key sends.
    static func plainKey(_ c: UInt32) -> Key? {
        switch c {
        case 0: return .ctrl(" ")
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(c + 96)!))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        case 0x80..<0xA0: return nil
        default: return Unicode.Scalar(c).map { .char(Character($0)) }
        }
    }

    private enum Base { case up, down, left, right, home, end, pageUp, pageDown, delete }

    /// xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4).
    private static func modified(_ base: Base, _ modifier: Int) -> Key {
        let m = max(0, modifier - 1)
        let ctrl = m & 4 != 0, shift = m & 1 != 0
        switch base {
        case .up: return ctrl ? .ctrlUp : shift ? .shiftUp : .up
        case .down: return ctrl ? .ctrlDown : shift ? .shiftDown : .down
        case .left: return ctrl ? .ctrlLeft : .left
        case .right: return ctrl ? .ctrlRight : .right
        case .home: return ctrl ? .ctrlHome : .home
        case .end: return ctrl ? .ctrlEnd : .end
        case .pageUp: return .pageUp
        case .pageDown: return .pageDown
        case .delete: return .delete
        }
    }

    /// A `KEY_*` code from `wget_wch`, or an extended key recognised by its terminfo name.
    static func functionKey(_ code: Int32, name: String?) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT, KEY_SLEFT: return .left
        case KEY_RIGHT, KEY_SRIGHT: return .right
        case KEY_HOME, KEY_SHOME: return .home
        case KEY_END, KEY_SEND: return .end
        case KEY_PPAGE, KEY_SPREVIOUS: return .pageUp
        case KEY_NPAGE, KEY_SNEXT: return .pageDown
        case KEY_DC, KEY_SDC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_SR: return .shiftUp    // xterm's Shift-Up (kri)
        case KEY_SF: return .shiftDown  // xterm's Shift-Down (kind)
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
        default: break
        }
        guard let name, name.hasPrefix("k"), let digit = name.last?.wholeNumberValue, (2...8).contains(digit) else { return nil }
        let base: Base
        switch name.dropFirst().dropLast() {
        case "UP": base = .up
        case "DN": base = .down
        case "LFT": base = .left
        case "RIT": base = .right
        case "HOM": base = .home
        case "END": base = .end
        case "PRV": base = .pageUp
        case "NXT": base = .pageDown
        case "DC": base = .delete
        default: return nil
        }
        return modified(base, digit)
    }

    /// Common keys in CSI form, for terminals whose sequences terminfo does not describe.
    static func csiKey(_ params: String, _ final: Character) -> Key? {
        let parts = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let modifier = parts.count > 1 ? (parts[1] ?? 1) : 1
        switch final {
        case "A": return modified(.up, modifier)
        case "B": return modified(.down, modifier)
        case "C": return modified(.right, modifier)
        case "D": return modified(.left, modifier)
        case "H": return modified(.home, modifier)
        case "F": return modified(.end, modifier)
        case "Z": return .backTab
        case "~":
            switch parts.first ?? nil {
            case 1, 7: return modified(.home, modifier)
            case 4, 8: return modified(.end, modifier)
            case 3: return .delete
            case 5: return .pageUp
            case 6: return .pageDown
            case let n? where (11...15).contains(n): return .function(n - 10)
            case let n? where (17...21).contains(n): return .function(n - 11)
            case 23: return .function(11)
            case 24: return .function(12)
            default: return nil
            }
        default:
            return nil  // focus reports (I/O) and anything else: not a key
        }
    }
}
