import Foundation
import Testing

/// `scripts/format_lint.py`, the formatting check `make test` runs first, in throwaway git
/// repositories: it fails on a real violation in the change, and passes where CI runs it (a
/// fresh clone of main, where nothing differs) and on formatting debt the change did not touch.
@Suite("make test's format check (scripts/format_lint.py)")
struct FormatLintScriptTests {
    static let bad = "struct Bad {\n  let value   =   1\n}\n"
    static let good = "struct Good {\n    let value = 1\n}\n"

    @discardableResult
    func sh(_ script: String, in dir: String) async throws -> (status: Int32, output: String) {
        try await command(["sh", "-c", script], in: dir, env: Self.gitEnv)
    }

    /// A fixed identity and no user git config; the test's own FORMAT_LINT_WHOLE_FILES is ignored.
    static let gitEnv: [String: String?] = [
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": "/dev/null", "FORMAT_LINT_WHOLE_FILES": nil,
    ]

    func lint(_ dir: String) async throws -> (status: Int32, output: String) {
        try await sh("python3 '\(projectRoot.path)/scripts/format_lint.py'", in: dir)
    }

    /// A repository with the project's .swift-format and one commit holding `files`.
    func repo(_ files: [String: String]) async throws -> String {
        let dir = tempDataDir() + "/repo"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: projectRoot.path + "/.swift-format", toPath: dir + "/.swift-format")
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try #require(try await sh("git init -q -b main . && git add -A && git commit -q -m first", in: dir).status == 0)
        return dir
    }

    @Test("no remote: a badly formatted file in the last commit fails the check, naming the file and line")
    func lastCommitBad() async throws {
        let dir = try await repo(["Good.swift": Self.good])
        try Self.bad.write(toFile: dir + "/Bad.swift", atomically: true, encoding: .utf8)
        try await sh("git add Bad.swift && git commit -q -m bad", in: dir)
        let r = try await lint(dir)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("Bad.swift:2:"), "\(r.output)")
        #expect(!r.output.contains("Good.swift:"))
    }

    @Test("no remote: only the last commit is judged (older debt and uncommitted edits are not)")
    func lastCommitOnly() async throws {
        let dir = try await repo(["Bad.swift": Self.bad])
        try Self.good.write(toFile: dir + "/Good.swift", atomically: true, encoding: .utf8)
        try await sh("git add Good.swift && git commit -q -m good", in: dir)
        try (Self.bad + "let  other=2\n").write(toFile: dir + "/Bad.swift", atomically: true, encoding: .utf8)
        let r = try await lint(dir)
        #expect(r.status == 0, "\(r.output)")
    }

    @Test("a fresh clone of main (what CI runs): nothing differs, so it passes even over formatting debt")
    func freshClone() async throws {
        let origin = try await repo(["Bad.swift": Self.bad])
        let clone = tempDataDir() + "/clone"
        try await #require(try sh("git clone -q '\(origin)' '\(clone)'", in: origin).status == 0)
        let r = try await lint(clone)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("no Swift lines changed"), "\(r.output)")
    }

    @Test(
        "against origin/main: a bad line the change adds fails; the file's old debt, a good edit and other files do not"
    )
    func changeAgainstMain() async throws {
        let origin = try await repo(["Bad.swift": Self.bad, "Other.swift": Self.bad])
        let clone = tempDataDir() + "/clone"
        try await #require(try sh("git clone -q '\(origin)' '\(clone)'", in: origin).status == 0)

        // A well-formatted line added to a file full of debt: clean.
        try (Self.bad + "\nlet fine = 2\n").write(toFile: clone + "/Bad.swift", atomically: true, encoding: .utf8)
        try await sh("git commit -qam fine", in: clone)
        #expect(try await lint(clone).status == 0)

        // An uncommitted bad line: only that line is reported.
        try (Self.bad + "\nlet fine = 2\nlet  worse=3\n").write(
            toFile: clone + "/Bad.swift", atomically: true, encoding: .utf8)
        let r = try await lint(clone)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("Bad.swift:6:"), "\(r.output)")
        #expect(!r.output.contains("Bad.swift:2:"), "old debt is not the change's: \(r.output)")
        #expect(!r.output.contains("Other.swift"))

        // FORMAT_LINT_WHOLE_FILES=1 checks the touched file whole, debt included.
        let whole = try await sh(
            "FORMAT_LINT_WHOLE_FILES=1 python3 '\(projectRoot.path)/scripts/format_lint.py'", in: clone)
        #expect(whole.status == 1)
        #expect(whole.output.contains("Bad.swift:2:"), "\(whole.output)")
    }

    @Test("against origin/main: a new untracked Swift file is checked whole")
    func untrackedFile() async throws {
        let origin = try await repo(["Good.swift": Self.good])
        let clone = tempDataDir() + "/clone"
        try await #require(try sh("git clone -q '\(origin)' '\(clone)'", in: origin).status == 0)
        try Self.bad.write(toFile: clone + "/New.swift", atomically: true, encoding: .utf8)
        let r = try await lint(clone)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("New.swift:2:"), "\(r.output)")
    }
}
