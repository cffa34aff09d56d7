/// A decoded key press. The terminal layer turns ncurses codes into these; the reducer and its
/// tests only ever see this type, so tests never depend on escape sequences.
public enum Key: Sendable, Equatable, Hashable {
    case char(Character)
    /// Ctrl plus a letter, lower-case (`.ctrl("s")` is Ctrl-S).
    case ctrl(Character)
    /// Alt (Meta) plus a character.
    case alt(Character)
    case enter, altEnter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlUp, ctrlDown, ctrlLeft, ctrlRight, ctrlHome, ctrlEnd
    case shiftUp, shiftDown
    case function(Int)
    /// Text that arrived as a bracketed paste, inserted as one edit.
    case paste(String)
}

public struct MouseEvent: Sendable, Equatable, Hashable {
    public enum Kind: Sendable, Equatable, Hashable { case press, release, wheelUp, wheelDown, drag }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public var button: Int

    public init(kind: Kind, x: Int, y: Int, button: Int = 1) {
        self.kind = kind
        self.x = x
        self.y = y
        self.button = button
    }
}

/// What the terminal reports: keys, mouse, a new size.
public enum InputEvent: Sendable, Equatable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}
