/// What a cell means, not what colour it is: a theme maps roles to colours, so the same grid
/// renders in dark, light, high-contrast and monochrome, and goldens never depend on colours.
public enum Role: String, Sendable, CaseIterable, Codable {
    case text, dim, accent, user, assistant, system, code, heading, error, warning, success
    case border, borderFocused, title, selection, status, statusKey, cursor, tool, toolError, diffAdd, diffRemove
}

public struct Style: Sendable, Equatable, Hashable {
    public var role: Role
    public var bold = false
    public var underline = false
    public var reverse = false
    public var italic = false

    public init(_ role: Role = .text, bold: Bool = false, underline: Bool = false, reverse: Bool = false, italic: Bool = false) {
        self.role = role
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.italic = italic
    }

    public static let plain = Style()
}
