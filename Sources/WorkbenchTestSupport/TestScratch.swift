import Foundation
import WorkbenchCore

/// The package's root folder (this file is `Sources/WorkbenchTestSupport/TestScratch.swift`).
public let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One folder per test process for every temporary directory the tests make; folders left by
/// earlier runs (whose process is gone) are removed, so test runs do not pile up in /tmp.
public let testScratchRoot: String = {
    let fm = FileManager.default
    let tmp = fm.temporaryDirectory.path
    for name in (try? fm.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("glmwb-tests-") {
        if let pid = Int32(name.dropFirst("glmwb-tests-".count)), pid != getpid(), kill(pid, 0) != 0 {
            try? fm.removeItem(atPath: tmp + "/" + name)
        }
    }
    let root = tmp + "/glmwb-tests-\(getpid())"
    try? fm.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}()

/// A fresh, empty folder under `testScratchRoot`.
public func tempDataDir() -> String {
    let d = testScratchRoot + "/" + RunID.make()
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}
