import Foundation
import WorkbenchCore

/// Ready-made replies in the Z.AI wire format, so a test script reads as what the server says.
extension ScriptedTransport.Reply {
    /// A `text/event-stream` response: each payload as `data: …\n\n`, then `data: [DONE]` (unless
    /// `done` is false). By default one read per event; `readSize` cuts the bytes into reads of
    /// that size instead (splitting events and UTF-8 sequences anywhere), and `pause` waits
    /// between reads.
    public static func sse(
        _ payloads: [String], done: Bool = true, readSize: Int? = nil,
        pause: Duration? = nil
    ) -> Self {
        let events = payloads.map { "data: \($0)\n\n" } + (done ? ["data: [DONE]\n\n"] : [])
        var reads: [[UInt8]]
        if let readSize, readSize > 0 {
            let all = Array(events.joined().utf8)
            reads = stride(from: 0, to: all.count, by: readSize).map { Array(all[$0..<min($0 + readSize, all.count)]) }
        } else {
            reads = events.map { Array($0.utf8) }
        }
        var steps: [ScriptedTransport.BodyStep] = []
        for (i, r) in reads.enumerated() {
            if i > 0, let pause { steps.append(.pause(pause)) }
            steps.append(.bytes(r))
        }
        return .response(status: 200, headers: [.init("Content-Type", "text/event-stream")], body: steps)
    }

    /// A JSON body (a non-stream completion, or an error) with its status.
    public static func json(_ body: String, status: Int = 200, headers: [ScriptedTransport.Header] = []) -> Self {
        .response(
            status: status, headers: [.init("Content-Type", "application/json")] + headers,
            body: [.bytes(Array(body.utf8))])
    }

    /// An error status with Z.AI's error body, `{"error":{"code":…,"message":…}}`.
    public static func apiError(status: Int, code: String, message: String, headers: [ScriptedTransport.Header] = [])
        -> Self
    {
        json(#"{"error":{"code":"\#(code)","message":"\#(message)"}}"#, status: status, headers: headers)
    }

    /// This reply cut after `bytes` bytes of its body, where the connection resets.
    public func resetAfter(bytes limit: Int) -> Self {
        guard case .response(let status, let headers, let steps) = self else { return self }
        var left = limit
        var cut: [ScriptedTransport.BodyStep] = []
        for step in steps {
            guard case .bytes(let b) = step else {
                cut.append(step)
                continue
            }
            if b.count >= left {
                if left > 0 { cut.append(.bytes(Array(b.prefix(left)))) }
                break
            }
            cut.append(step)
            left -= b.count
        }
        return .response(status: status, headers: headers, body: cut + [.reset])
    }

    /// This reply with its body stalled after `bytes` bytes, until the reader is cancelled.
    public func hangAfter(bytes limit: Int) -> Self {
        guard case .response(let status, let headers, let steps) = resetAfter(bytes: limit) else { return self }
        return .response(status: status, headers: headers, body: steps.dropLast() + [.hang])
    }
}

/// Chunk and completion payloads as GLM sends them.
public enum WireFixtures {
    /// One streamed text chunk.
    public static func textChunk(_ text: String, id: String = "chatcmpl-scripted") -> String {
        #"{"id":"\#(id)","object":"chat.completion.chunk","created":1700000000,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"delta":{"role":"assistant","content":\#(jsonString(text))}}]}"#
    }

    /// The last chunk: a finish reason and the usage.
    public static func finishChunk(
        _ reason: String = "stop", promptTokens: Int = 7, completionTokens: Int = 3,
        id: String = "chatcmpl-scripted"
    ) -> String {
        #"{"id":"\#(id)","object":"chat.completion.chunk","created":1700000000,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"delta":{},"finish_reason":"\#(reason)"}],"usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"total_tokens":\#(promptTokens + completionTokens)}}"#
    }

    /// A chunk carrying one whole tool call (GLM sends each call whole, with its index).
    public static func toolCallChunk(index: Int, id: String, name: String, arguments: String) -> String {
        #"{"id":"chatcmpl-scripted","object":"chat.completion.chunk","created":1700000000,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":\#(index),"id":"\#(id)","type":"function","function":{"name":"\#(name)","arguments":\#(jsonString(arguments))}}]}}]}"#
    }

    /// The payloads of a streamed text reply: one chunk per piece, then the finish chunk.
    public static func textStream(_ pieces: [String], promptTokens: Int = 7, completionTokens: Int? = nil) -> [String] {
        pieces.map { textChunk($0) } + [
            finishChunk(promptTokens: promptTokens, completionTokens: completionTokens ?? pieces.count)
        ]
    }

    /// A whole non-stream completion.
    public static func completion(_ text: String, promptTokens: Int = 7, completionTokens: Int = 3) -> String {
        #"{"id":"chatcmpl-scripted","object":"chat.completion","created":1700000000,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"message":{"role":"assistant","content":\#(jsonString(text))},"finish_reason":"stop"}],"usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"total_tokens":\#(promptTokens + completionTokens)}}"#
    }

    /// `s` as a JSON string literal.
    public static func jsonString(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
