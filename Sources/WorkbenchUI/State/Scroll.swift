import Foundation
import WorkbenchCore

/// Scroll position of a list-like pane: `top` line, or following the tail.
public struct Scroll: Sendable, Equatable {
    public var top = 0
    public var follow = true
}
