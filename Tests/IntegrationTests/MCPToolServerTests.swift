import Foundation
import Testing
import WorkbenchCore
import WorkbenchTools

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo server built next to the test bundle: `.build/debug` for a plain `swift build`,
/// another scratch path (`--scratch-path .build-mcp`) otherwise.
let mcpDemoServerPath: String = {
    let fm = FileManager.default
    var starts = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
    starts += Bundle.allBundles.map(\.bundleURL)
    for start in starts {
        var dir = start.standardizedFileURL
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("MCPDemoServer").path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
    }
    return projectRoot.appendingPathComponent(".build/debug/MCPDemoServer").path
}()

func demoSpec(_ extra: [String] = [], name: String = "demo") -> MCPServerSpec {
    MCPServerSpec(name: name, command: [mcpDemoServerPath] + extra)
}

/// The limit for a start or a request whose limit is not what the test is about. Tests run all
/// at once on two cores: a loaded CI machine has held a test's task for 30 s and more before it
/// ran again, and a 30 s limit then lost the race to an answer that had long arrived.
let patient: Duration = .seconds(300)

/// Runs `body` against a fresh demo server and always stops it.
func withDemoServer<T>(_ body: (MCPToolServer) async throws -> T) async throws -> T {
    let server = try await MCPToolServer.start(demoSpec(), timeout: patient)
    do {
        let r = try await body(server)
        await server.stop()
        return r
    } catch {
        await server.stop()
        throw error
    }
}

func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

@Suite("MCPToolServer against the demo MCP server")
struct MCPToolServerTests {
    @Test("the demo binary was built")
    func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: mcpDemoServerPath), "\(mcpDemoServerPath)")
    }

    @Test("tools/list gives one function definition per tool, executed by the server")
    func listTools() async throws {
        try await withDemoServer { server in
            #expect(server.name == "demo")
            let tools = try await server.tools(timeout: patient)
            #expect(tools.map(\.name).sorted() == ["add", "echo", "fail", "slow"])
            for t in tools {
                #expect(t.executor == .mcp("demo"))
                #expect(t.spec.type == "function")
                #expect(t.spec.function?.description?.isEmpty == false)
                #expect(t.spec.function?.parameters?["type"] == .string("object"))
            }
            let add = try #require(tools.first { $0.name == "add" })
            #expect(add.spec.function?.parameters?["required"] == .array([.string("a"), .string("b")]))
            #expect(add.spec.function?.parameters?["properties"]?["a"]?["type"] == .string("number"))
            let echo = try #require(tools.first { $0.name == "echo" })
            #expect(echo.spec.function?.parameters?["required"] == .array([.string("text")]))
        }
    }

    @Test("add, echo (CJK round trip) and fail")
    func calls() async throws {
        try await withDemoServer { server in
            let sum = try await server.call(
                tool: "add", arguments: .object(["a": .number(2), "b": .number(3)]), timeout: patient)
            #expect(sum == MCPCallResult(text: "5", isError: false))
            let half = try await server.call(
                tool: "add", arguments: .object(["a": .number(0.25), "b": .number(0.25)]), timeout: patient)
            #expect(half.text == "0.5")

            let cjk = "你好，世界 — こんにちは 🌏 \"quoted\"\nsecond line"
            let echo = try await server.call(tool: "echo", arguments: .object(["text": .string(cjk)]), timeout: patient)
            #expect(echo == MCPCallResult(text: cjk, isError: false))

            let fail = try await server.call(tool: "fail", arguments: .object([:]), timeout: patient)
            #expect(fail == MCPCallResult(text: "demo failure", isError: true))
        }
    }

    @Test("calls may overlap on one connection")
    func concurrentCalls() async throws {
        try await withDemoServer { server in
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for i in 0..<8 {
                    group.addTask {
                        let r = try await server.call(
                            tool: "add", arguments: .object(["a": .number(Double(i)), "b": .number(100)]),
                            timeout: patient)
                        return (i, r.text)
                    }
                }
                for try await (i, text) in group { #expect(text == "\(i + 100)") }
            }
        }
    }

    @Test("a slow call past its timeout throws timeout, and the server still answers afterwards")
    func slowTimeout() async throws {
        try await withDemoServer { server in
            let started = ContinuousClock.now
            do {
                _ = try await server.call(
                    tool: "slow", arguments: .object(["ms": .number(600_000)]), timeout: .milliseconds(300))
                Issue.record("expected a timeout")
            } catch let error as MCPError {
                guard case .timeout(let s, let op, let after) = error else { Issue.record("wrong error: \(error)"); return }
                #expect(s == "demo" && op.contains("slow") && after == .milliseconds(300))
                #expect(error.description.contains("timed out"))
            }
            // Loose on purpose (a loaded machine stalls tests for tens of seconds), yet far below
            // the 600 s the call would take if its 300 ms limit were not applied.
            #expect(ContinuousClock.now - started < patient, "the 600 s call was given up at its 300 ms limit")
            let quick = try await server.call(
                tool: "slow", arguments: .object(["ms": .number(10)]), timeout: .seconds(120))
            #expect(quick.text == "done")
            let echo = try await server.call(
                tool: "echo", arguments: .object(["text": .string("still here")]), timeout: patient)
            #expect(echo.text == "still here")
        }
    }

    @Test("an unknown tool is an error, with or without a prior tools/list")
    func unknownTool() async throws {
        try await withDemoServer { server in
            // Without a listing the server's own answer (-32602 Unknown tool) is mapped.
            do {
                _ = try await server.call(tool: "nope", arguments: .object([:]), timeout: patient)
                Issue.record("expected an error")
            } catch let error as MCPError {
                guard case .toolNotFound(_, let tool, _) = error else { Issue.record("wrong error: \(error)"); return }
                #expect(tool == "nope")
            }
            _ = try await server.tools(timeout: patient)
            do {
                _ = try await server.call(tool: "nope", arguments: .object([:]), timeout: patient)
                Issue.record("expected an error")
            } catch let error as MCPError {
                #expect(error == .toolNotFound(server: "demo", tool: "nope", available: ["add", "echo", "fail", "slow"]))
                #expect(error.description.contains("no tool named 'nope'"))
            }
            // Arguments must be an object.
            await #expect(throws: MCPError.self) {
                try await server.call(tool: "echo", arguments: .string("x"), timeout: patient)
            }
        }
    }

    @Test("a command that does not exist gives a clear start error")
    func missingCommand() async throws {
        do {
            _ = try await MCPToolServer.start(MCPServerSpec(name: "ghost", command: ["/nonexistent/mcp-server-xyz"]))
            Issue.record("expected an error")
        } catch let error as MCPError {
            #expect(error == .executableNotFound(server: "ghost", executable: "/nonexistent/mcp-server-xyz", searchedPath: nil))
            #expect(error.description == "MCP server 'ghost': cannot start: '/nonexistent/mcp-server-xyz' does not exist")
        }
        do {
            _ = try await MCPToolServer.start(MCPServerSpec(name: "ghost", command: ["mcp-server-xyz-not-installed"], environment: ["PATH": "/usr/bin:/bin"]))
            Issue.record("expected an error")
        } catch let error as MCPError {
            #expect(error.description == "MCP server 'ghost': cannot start: 'mcp-server-xyz-not-installed' was not found on PATH (/usr/bin:/bin)")
        }
        await #expect(throws: MCPError.emptyCommand(server: "empty")) {
            try await MCPToolServer.start(MCPServerSpec(name: "empty", command: []))
        }
    }

    @Test("a server that exits before the handshake reports its status and stderr")
    func exitsBeforeHandshake() async throws {
        do {
            _ = try await MCPToolServer.start(demoSpec(["--exit-before-handshake"]), timeout: patient)
            Issue.record("expected an error")
        } catch let error as MCPError {
            guard case .serverExited(let s, let status, let handshake, let stderr) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(s == "demo" && status == .exited(3) && handshake)
            #expect(stderr.contains("refusing to start"))
            #expect(error.description.contains("exited with status 3 before completing the MCP handshake"))
            #expect(error.description.contains("refusing to start"))
        }
    }

    @Test("a server that never answers the handshake times out and is stopped")
    func handshakeTimeout() async throws {
        let started = ContinuousClock.now
        do {
            _ = try await MCPToolServer.start(demoSpec(["--no-handshake"]), timeout: .milliseconds(500))
            Issue.record("expected an error")
        } catch let error as MCPError {
            guard case .timeout(_, let op, _) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(op.contains("initialize"))
        }
        #expect(ContinuousClock.now - started < patient, "bounded by the handshake timeout, not hanging")
    }

    @Test("stop() ends the process, is idempotent, and later calls fail as stopped")
    func stop() async throws {
        let server = try await MCPToolServer.start(demoSpec(), timeout: patient)
        let pid = server.processID
        #expect(pid > 0 && isAlive(pid))
        await server.stop()
        #expect(!isAlive(pid))
        await server.stop()
        do {
            _ = try await server.call(tool: "echo", arguments: .object(["text": .string("x")]), timeout: patient)
            Issue.record("expected an error")
        } catch let error as MCPError {
            #expect(error == .stopped(server: "demo"))
        }
        // Concurrent stops all return once the process is gone.
        let other = try await MCPToolServer.start(demoSpec(), timeout: patient)
        let otherPID = other.processID
        async let a: Void = other.stop()
        async let b: Void = other.stop()
        _ = await (a, b)
        #expect(!isAlive(otherPID))
    }

    @Test("stop() escalates to SIGKILL after 1 s when SIGTERM is ignored")
    func stopEscalates() async throws {
        let server = try await MCPToolServer.start(demoSpec(["--ignore-sigterm"]), timeout: patient)
        let pid = server.processID
        #expect(
            try await server.call(tool: "echo", arguments: .object(["text": .string("up")]), timeout: patient).text
                == "up")
        let started = ContinuousClock.now
        await server.stop()
        let took = ContinuousClock.now - started
        #expect(!isAlive(pid))
        #expect(took >= .milliseconds(900) && took < patient, "stop took \(took)")
    }

    @Test("a server killed from outside fails the pending call with its exit")
    func killedFromOutside() async throws {
        let server = try await MCPToolServer.start(demoSpec(), timeout: patient)
        let pid = server.processID
        async let call = server.call(tool: "slow", arguments: .object(["ms": .number(600_000)]), timeout: patient)
        try await Task.sleep(for: .milliseconds(200))
        kill(pid, SIGKILL)
        do {
            _ = try await call
            Issue.record("expected an error")
        } catch let error as MCPError {
            guard case .serverExited(_, let status, let handshake, _) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(status == .signaled(SIGKILL) && !handshake)
            #expect(error.description.contains("SIGKILL"))
        }
        await #expect(throws: MCPError.self) {
            try await server.call(tool: "echo", arguments: .object(["text": .string("x")]), timeout: patient)
        }
        await server.stop()
    }

    @Test("environment from the spec reaches the server")
    func environment() async throws {
        // The server inherits glmwb's environment plus the spec's; a bad PATH must not matter
        // when argv[0] is a path.
        let spec = MCPServerSpec(name: "env", command: [mcpDemoServerPath], environment: ["PATH": "/nonexistent", "GLMWB_MCP_TEST": "1"])
        let server = try await MCPToolServer.start(spec, timeout: patient)
        let r = try await server.call(tool: "echo", arguments: .object(["text": .string("ok")]), timeout: patient)
        #expect(r.text == "ok")
        await server.stop()
    }
}
