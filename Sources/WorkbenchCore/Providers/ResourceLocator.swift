import Foundation

/// Finds the project's shipped files (scripts/, prompts/, themes/) whether glmwb runs from the
/// checkout (`.build/debug/glmwb`) or from an install under PREFIX (`PREFIX/share/glmwb`).
public enum ResourceLocator {
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let home = environment["GLMWB_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("scripts/local_model.py").path) { return dir }
            let share = dir.appendingPathComponent("share/glmwb")
            if FileManager.default.fileExists(atPath: share.appendingPathComponent("scripts/local_model.py").path) { return share }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
