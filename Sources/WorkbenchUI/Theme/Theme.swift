import Foundation
import WorkbenchCore

/// A terminal colour: the terminal's own default, an xterm-256 index, or one of the 8 ANSI colours.
public enum TermColor: Sendable, Equatable, Hashable {
    case `default`
    case index(Int)

    static let names = ["black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
                        "brightblack": 8, "gray": 8, "grey": 8, "brightred": 9, "brightgreen": 10, "brightyellow": 11,
                        "brightblue": 12, "brightmagenta": 13, "brightcyan": 14, "brightwhite": 15]

    public static func parse(_ v: Any) -> TermColor? {
        if let i = v as? Int, (0...255).contains(i) { return .index(i) }
        guard let s = (v as? String)?.lowercased().replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "") else { return nil }
        if s == "default" || s == "none" { return .default }
        if let i = names[s] { return .index(i) }
        if s.hasPrefix("#"), s.count == 7, let rgb = Int(s.dropFirst(), radix: 16) {
            return .index(Self.xterm256(r: (rgb >> 16) & 255, g: (rgb >> 8) & 255, b: rgb & 255))
        }
        if let i = Int(s), (0...255).contains(i) { return .index(i) }
        return nil
    }

    /// Nearest colour of the xterm 6×6×6 cube or grey ramp.
    static func xterm256(r: Int, g: Int, b: Int) -> Int {
        func level(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
        let (lr, lg, lb) = (level(r), level(g), level(b))
        let steps = [0, 95, 135, 175, 215, 255]
        let cube = 16 + 36 * lr + 6 * lg + lb
        let cubeErr = abs(steps[lr] - r) + abs(steps[lg] - g) + abs(steps[lb] - b)
        let avg = (r + g + b) / 3
        let grey = avg > 238 ? 23 : max(0, (avg - 3) / 10)
        let gv = 8 + 10 * grey
        let greyErr = abs(gv - r) + abs(gv - g) + abs(gv - b)
        return greyErr < cubeErr ? 232 + grey : cube
    }

    /// The nearest of the 8 basic colours, for terminals without 256 colours.
    public var basic8: Int {
        switch self {
        case .default: return -1
        case .index(let i) where i < 8: return i
        case .index(let i) where i < 16: return i - 8
        case .index(let i) where i >= 232:
            return i < 244 ? 0 : 7
        case .index(let i):
            let c = i - 16
            let r = c / 36, g = (c / 6) % 6, b = c % 6
            let hi = max(r, g, b)
            if hi < 2 { return 0 }
            return (r >= hi - 1 ? 1 : 0) | (g >= hi - 1 ? 2 : 0) | (b >= hi - 1 ? 4 : 0)
        }
    }
}

/// How one role looks.
public struct RoleStyle: Sendable, Equatable, Hashable {
    public var fg: TermColor
    public var bg: TermColor
    public var bold: Bool
    public var reverse: Bool

    public init(fg: TermColor = .default, bg: TermColor = .default, bold: Bool = false, reverse: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
    }
}

/// A theme maps every UI role to colours. Themes are YAML files (`role: colour` or
/// `role: {fg:, bg:, bold:, reverse:}`) in the shipped `themes/` and the user's config dir.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var roles: [Role: RoleStyle]

    public init(name: String, roles: [Role: RoleStyle]) {
        self.name = name
        self.roles = roles
    }

    public func style(for role: Role) -> RoleStyle { roles[role] ?? roles[.text] ?? RoleStyle() }

    /// No colours at all: emphasis only through bold and reverse. Used for `NO_COLOR`.
    public static let monochrome = Theme(name: "monochrome", roles: [
        .heading: RoleStyle(bold: true), .title: RoleStyle(bold: true), .borderFocused: RoleStyle(bold: true),
        .selection: RoleStyle(reverse: true), .status: RoleStyle(reverse: true), .statusKey: RoleStyle(bold: true, reverse: true),
        .error: RoleStyle(bold: true), .cursor: RoleStyle(reverse: true), .toolError: RoleStyle(bold: true),
        .user: RoleStyle(bold: true), .diffAdd: RoleStyle(bold: true), .diffRemove: RoleStyle(reverse: true),
    ])

    public struct LoadError: Error, CustomStringConvertible {
        public var file: String
        public var message: String
        public var description: String { "\(file): \(message)" }
    }

    public static func parse(_ text: String, file: String) throws -> Theme {
        let root: [String: Any]
        // The one YAML rule of every glmwb file: bounded size, aliases counted as copies.
        let value: Any?
        do throws(YAMLDocument.LoadError) { value = try YAMLDocument.load(text) }
        catch { throw LoadError(file: file + (error.line.map { ":\($0)" } ?? ""), message: error.description) }
        guard let r = value as? [String: Any] else { throw LoadError(file: file, message: "a theme is a mapping of role to colour") }
        root = r
        var roles: [Role: RoleStyle] = [:]
        for (key, value) in root where key != "name" {
            guard let role = Role(rawValue: key) else {
                throw LoadError(file: file, message: "unknown role '\(key)' (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let spec = value as? [String: Any] {
                var s = RoleStyle()
                if let fg = spec["fg"] { guard let c = TermColor.parse(fg) else { throw LoadError(file: file, message: "\(key).fg: bad colour '\(fg)'") }; s.fg = c }
                if let bg = spec["bg"] { guard let c = TermColor.parse(bg) else { throw LoadError(file: file, message: "\(key).bg: bad colour '\(bg)'") }; s.bg = c }
                s.bold = spec["bold"] as? Bool ?? false
                s.reverse = spec["reverse"] as? Bool ?? false
                roles[role] = s
            } else {
                guard let c = TermColor.parse(value) else { throw LoadError(file: file, message: "\(key): bad colour '\(value)' (use 0–255, a name like red, #rrggbb or default)") }
                roles[role] = RoleStyle(fg: c)
            }
        }
        return Theme(name: root["name"] as? String ?? (file as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: ""), roles: roles)
    }
}

extension Theme {
    /// Finds a theme by name in the given folders (later folders win: the user's config dir
    /// overrides the shipped `themes/`).
    public static func find(_ name: String, in dirs: [String]) throws -> Theme {
        if name == "monochrome" || name == "none" { return .monochrome }
        for dir in dirs.reversed() {
            let path = dir + "/" + name + ".yaml"
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return try parse(text, file: path) }
        }
        let known = Set(dirs.flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] }
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) } + ["monochrome"]).sorted()
        throw LoadError(file: name, message: "no such theme (available: \(known.joined(separator: ", ")))")
    }
}

extension Theme {
    /// The theme drawn when none is asked for.
    public static let defaultName = "dark"

    /// The theme to draw with. One asked for by name (`--theme`, the config's `theme`) must load,
    /// or the start is refused with the reason. The default is a file found beside glmwb
    /// (`themes/`): a binary copied without that folder, or a damaged default, draws in
    /// monochrome and says why (`note`) instead of refusing to start.
    public static func choose(asked: String?, in dirs: [String]) throws -> (theme: Theme, note: String?) {
        if let asked { return (try find(asked, in: dirs), nil) }
        do {
            return (try find(defaultName, in: dirs), nil)
        } catch {
            return (.monochrome, "drawing in monochrome: the default theme could not be loaded (\(error))")
        }
    }
}
