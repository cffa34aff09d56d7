import Foundation
import WorkbenchCore

/// The user's own files, as the reducer names them in messages and effects. The runtime fills it
/// from the environment at start; the reducer never reads the environment, so tests set it.
public struct UserPaths: Sendable, Equatable {
    /// `$XDG_CONFIG_HOME/glmwb` (default `~/.config/glmwb`).
    public var configDir: String
    /// The home folder, for showing paths under it as `~/…` (nil: shown in full).
    public var home: String?
    /// Where the unsent prompt is kept between runs (beside the run log); nil: not kept.
    public var draftFile: String?

    public init(configDir: String = "~/.config/glmwb", home: String? = nil, draftFile: String? = nil) {
        self.configDir = configDir
        self.home = home
        self.draftFile = draftFile
    }

    /// The config folder the rest of glmwb uses (`WorkbenchConfig.configDir`), so messages and
    /// the files actually read never disagree.
    public init(environment: [String: String], draftFile: String? = nil) {
        self.init(configDir: WorkbenchConfig.configDir(environment: environment),
                  home: environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory(), draftFile: draftFile)
    }

    public var toolsFile: String { configDir + "/tools.yaml" }
    /// The user's templates; a file here overrides a shipped one of the same name.
    public var userPrompts: String { configDir + "/prompts" }

    /// `path` for a message: under the home folder as `~/…`.
    public func shown(_ path: String) -> String {
        guard let home, !home.isEmpty, home != "/" else { return path }
        let h = home.hasSuffix("/") ? String(home.dropLast()) : home
        return path.hasPrefix(h + "/") ? "~" + path.dropFirst(h.count) : path
    }
}
