import Foundation

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
