// A small MCP server on stdio for trying out and testing glmwb's MCP support.
//
//   MCPDemoServer                          serve the tools below until stdin closes
//   MCPDemoServer --exit-before-handshake  write a line to stderr and exit 3 (tests start errors)
//   MCPDemoServer --no-handshake           never answer (tests the handshake timeout)
//   MCPDemoServer --ignore-sigterm         serve, but ignore SIGTERM (tests stop()'s SIGKILL)
//
// Tools: add(a, b) → the sum as text; echo(text) → the text; fail() → isError with
// "demo failure"; slow(ms) → "done" after sleeping ms milliseconds.

import Foundation
import MCP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments.dropFirst()

if arguments.contains("--exit-before-handshake") {
    FileHandle.standardError.write(Data("MCPDemoServer: refusing to start (--exit-before-handshake)\n".utf8))
    exit(3)
}
if arguments.contains("--ignore-sigterm") {
    // Makes stop() escalate to SIGKILL (tests the escalation).
    signal(SIGTERM, SIG_IGN)
}
if arguments.contains("--no-handshake") {
    FileHandle.standardError.write(Data("MCPDemoServer: not answering (--no-handshake)\n".utf8))
    while true { sleep(60) }
}

/// A JSON Schema object with the given properties, all required.
func schema(_ properties: [String: Value]) -> Value {
    .object([
        "type": "object",
        "properties": .object(properties),
        "required": .array(properties.keys.sorted().map { .string($0) }),
        "additionalProperties": false,
    ])
}

let tools: [Tool] = [
    Tool(
        name: "add", description: "Adds two numbers and returns the sum as text.",
        inputSchema: schema([
            "a": .object(["type": "number", "description": "First addend"]),
            "b": .object(["type": "number", "description": "Second addend"]),
        ])),
    Tool(
        name: "echo", description: "Returns the given text unchanged.",
        inputSchema: schema(["text": .object(["type": "string", "description": "Text to return"])])),
    Tool(
        name: "fail", description: "Always fails with the error result \"demo failure\".",
        inputSchema: .object(["type": "object", "properties": .object([:]), "required": .array([])])),
    Tool(
        name: "slow", description: "Waits the given number of milliseconds, then returns \"done\".",
        inputSchema: schema([
            "ms": .object(["type": "integer", "minimum": 0, "description": "Milliseconds to wait"])
        ])),
]

func number(_ v: Value?) -> Double? {
    switch v {
    case .int(let i)?: return Double(i)
    case .double(let d)?: return d
    case .string(let s)?: return Double(s)
    default: return nil
    }
}

/// `3` for 3.0, `0.5` for 0.5: integral sums print without a fraction.
func format(_ d: Double) -> String {
    if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
    return String(d)
}

func text(_ s: String, isError: Bool = false) -> CallTool.Result {
    .init(content: [.text(text: s, annotations: nil, _meta: nil)], isError: isError)
}

let server = Server(
    name: "MCPDemoServer", version: "1.0.0",
    capabilities: .init(tools: .init(listChanged: false)))

await server.withMethodHandler(ListTools.self) { _ in
    .init(tools: tools)
}

await server.withMethodHandler(CallTool.self) { params in
    let args = params.arguments ?? [:]
    switch params.name {
    case "add":
        guard let a = number(args["a"]), let b = number(args["b"]) else {
            return text("add needs numbers a and b", isError: true)
        }
        return text(format(a + b))
    case "echo":
        guard case .string(let s)? = args["text"] else { return text("echo needs a string text", isError: true) }
        return text(s)
    case "fail":
        return text("demo failure", isError: true)
    case "slow":
        let ms = max(0, number(args["ms"]) ?? 0)
        try await Task.sleep(for: .milliseconds(Int64(ms)))
        return text("done")
    default:
        throw MCPError.invalidParams("Unknown tool: \(params.name)")
    }
}

try await server.start(transport: StdioTransport())
await server.waitUntilCompleted()
