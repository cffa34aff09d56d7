import Foundation
import MCP
import WorkbenchCore

// The MCP SDK's `Value` and our `JSONValue` describe the same JSON; these map one onto the other.

extension JSONValue {
    /// The JSON an MCP `Value` stands for. Binary `data` values become the data-URL string they
    /// are on the wire.
    public init(mcp value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .data(let mimeType, let data): self = .string(data.dataURLEncoded(mimeType: mimeType))
        case .array(let a): self = .array(a.map(JSONValue.init(mcp:)))
        case .object(let o): self = .object(o.mapValues(JSONValue.init(mcp:)))
        }
    }
}

extension Value {
    /// The MCP value for a JSON value. Integral numbers that a Double holds exactly become `.int`,
    /// so `{"a": 2}` reaches the server as `2`, not `2.0`.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n):
            if n.rounded() == n, abs(n) <= 9_007_199_254_740_992 { self = .int(Int(n)) } else { self = .double(n) }
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(Value.init(json:)))
        case .object(let o): self = .object(o.mapValues(Value.init(json:)))
        }
    }
}

enum MCPContentText {
    /// One tool result as text for the model: text items as they are, everything else summarized
    /// (`[image/png, 1234 bytes]`), one item per line.
    static func render(_ content: [Tool.Content]) -> String {
        content.map(render).joined(separator: "\n")
    }

    static func render(_ item: Tool.Content) -> String {
        switch item {
        case .text(let text, _, _):
            return text
        case .image(let data, let mimeType, _, _), .audio(let data, let mimeType, _, _):
            return "[\(mimeType), \(decodedSize(base64: data)) bytes]"
        case .resource(let resource, _, _):
            if let text = resource.text { return text }
            let size = resource.blob.map { ", \(decodedSize(base64: $0)) bytes" } ?? ""
            return "[resource \(resource.uri), \(resource.mimeType ?? "application/octet-stream")\(size)]"
        case .resourceLink(let uri, let name, _, _, let mimeType, _):
            return "[resource link \(name): \(uri)\(mimeType.map { ", \($0)" } ?? "")]"
        }
    }

    /// Bytes a base64 text decodes to, without decoding it when it is well-formed.
    static func decodedSize(base64: String) -> Int {
        if let d = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) { return d.count }
        let chars = base64.utf8.filter { $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }.count
        return chars * 3 / 4
    }
}
