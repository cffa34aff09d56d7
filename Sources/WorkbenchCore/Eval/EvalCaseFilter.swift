#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--filter GLOB` (repeatable): which cases to run, by name. Shell globs (`*`, `?`, `[abc]`) as
/// `fnmatch(3)` reads them, so `warranty*` and `*-refund` work as in a shell; a name matches when
/// any glob does, and no glob at all matches everything.
public struct EvalCaseFilter: Sendable, Equatable {
    public var globs: [String]

    public init(_ globs: [String] = []) { self.globs = globs }

    public func matches(_ name: String) -> Bool {
        globs.isEmpty || globs.contains { fnmatch($0, name, 0) == 0 }
    }
}
