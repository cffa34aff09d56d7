import WorkbenchUI

/// Which rows of a frame must be rewritten. The renderer draws the whole frame every time
/// (immediate mode); this keeps the flusher from re-encoding rows that did not change, which is
/// most of them while a stream only grows the last lines. ncurses still does its own cell diff
/// before writing to the terminal, so this only saves work, never correctness.
public enum RowDiff {
    /// Rows of `new` that differ from `old`; every row when there is no previous frame or its
    /// size differs (after a resize, a resume or a theme change).
    public static func changedRows(from old: Grid?, to new: Grid) -> [Int] {
        guard let old, old.width == new.width, old.height == new.height else { return Array(0..<new.height) }
        return (0..<new.height).filter { old.row($0) != new.row($0) }
    }
}
