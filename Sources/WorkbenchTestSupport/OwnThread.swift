import Foundation
import WorkbenchCore

/// A value handed to the waiting thread that is not `Sendable` (a `Process`, a `FileHandle`):
/// only that thread touches it while the caller is suspended.
private struct Handed<Value>: @unchecked Sendable { let value: Value }

/// `process.waitUntilExit()`, on a thread of its own (`onOwnThread`): a test that waits on the
/// cooperative pool stops the other tests with it.
public func untilExit(_ process: Process) async {
    let handed = Handed(value: process)
    await onOwnThread { handed.value.waitUntilExit() }
}

/// `handle.readDataToEndOfFile()`, on a thread of its own.
public func readToEnd(_ handle: FileHandle) async -> Data {
    let handed = Handed(value: handle)
    return await onOwnThread { handed.value.readDataToEndOfFile() }
}
