import Foundation

/// Runs the user's editor on a file and waits for it: `$VISUAL`, then `$EDITOR`, then `vi`.
/// The variable may carry arguments (`code -w`); it is split on spaces, not run through a shell.
enum ExternalEditor {
    static func command(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let raw = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        return raw.split(separator: " ").map(String.init)
    }

    /// The editor's exit status, or an error message when it cannot start.
    struct Failure: Error { var message: String }

    static func edit(_ path: String) -> Result<Int32, Failure> {
        let argv = command() + [path]
        var pid: pid_t = 0
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        let rc = posix_spawnp(&pid, argv[0], nil, nil, &cargs, environ)
        guard rc == 0 else { return .failure(Failure(message: "cannot start \(argv[0]): \(String(cString: strerror(rc))) (set $EDITOR)")) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return .success((status >> 8) & 0xff)
    }
}
