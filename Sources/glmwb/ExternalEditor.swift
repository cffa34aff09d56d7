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

/// Notices when template files or the tools file change on disk (saved from glmwb's `e`, or from
/// another terminal) by comparing sizes and modification times twice a second. Polling a few
/// dozen small files costs nothing and survives editors that save by renaming.
@MainActor
final class FileWatcher {
    private let folders: [String]
    private let files: [String]
    private var last: [String: String] = [:]
    private var timer: DispatchSourceTimer?

    init(folders: [String], files: [String]) {
        self.folders = folders
        self.files = files
        last = snapshot()
    }

    func start(onChange: @escaping @MainActor () -> Void) {
        let t = DispatchSource.makeTimerSource(queue: .main)
        t.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
        t.setEventHandler {
            MainActor.assumeIsolated {
                let now = self.snapshot()
                if now != self.last {
                    self.last = now
                    onChange()
                }
            }
        }
        t.resume()
        timer = t
    }

    func stop() { timer?.cancel() }

    private func snapshot() -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        func add(_ path: String) {
            if let a = try? fm.attributesOfItem(atPath: path) {
                out[path] = "\((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)/\(a[.size] ?? 0)"
            }
        }
        for dir in folders {
            guard let e = fm.enumerator(atPath: dir) else { continue }
            for case let rel as String in e where rel.hasSuffix(".md") { add(dir + "/" + rel) }
        }
        for f in files { add(f) }
        return out
    }
}
