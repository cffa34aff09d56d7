import Foundation

/// Encodes the requests of one conversation, each message once.
///
/// Every request of a conversation carries its whole history, and `JSONEncoder` wrote all of it
/// again for every reply: by the twelfth 100,000-chunk reply that was 17 MB, most of what made
/// that reply cost more than the first (issue 15). When a request is the last one with messages
/// added (the same other fields, the same messages before them), its body is the last body with
/// the new messages' encoding written in before the `]` that closes `messages`. The bytes are
/// exactly `WireJSON.encode(request)`'s — `JSONEncoder` writes an array as its elements'
/// encodings joined by commas — and `RequestBodyEncoderTests` holds the two against each other.
///
/// The last body is kept as the text the run and the log keep anyway (one string, shared), so
/// this costs no memory of its own.
struct RequestBodyEncoder: Sendable {
    private struct Last: Sendable {
        var messages: [ChatMessage]
        /// The request's encoding with no messages: the other fields, which must not change.
        var shell: Data
        var json: String
        /// The UTF-8 offset of the `]` that closes `messages` in `json`.
        var messagesEnd: Int
    }
    private var last: Last?

    /// The request's body as `WireJSON.encode(request)` writes it, and the same bytes as text.
    mutating func encode(_ request: ChatRequest) throws -> (body: Data, json: String) {
        var bare = request
        bare.messages = []
        let shell = try WireJSON.encode(bare)
        if let last, last.shell == shell, request.messages.count > last.messages.count,
            request.messages[..<last.messages.count] == last.messages[...]
        {
            // The new messages, encoded as an array, without its brackets.
            let added = try WireJSON.encode(Array(request.messages[last.messages.count...])).dropFirst().dropLast()
            let utf8 = last.json.utf8
            let cut = last.json[..<utf8.index(utf8.startIndex, offsetBy: last.messagesEnd)]
            var json = String()
            json.reserveCapacity(utf8.count + added.count + 1)
            json.append(contentsOf: cut)
            if !last.messages.isEmpty { json.append(",") }
            json.append(String(decoding: added, as: UTF8.self))
            let end = json.utf8.count
            json.append(contentsOf: last.json[cut.endIndex...])
            self.last = Last(messages: request.messages, shell: shell, json: json, messagesEnd: end)
            return (Self.bytes(json), json)
        }
        let body = try WireJSON.encode(request)
        let json = String(decoding: body, as: UTF8.self)
        // The messages were written in at the shell's insertion point, so they end where the
        // shell's `]` has moved to.
        if let at = Self.messagesInsertion(shell) {
            self.last = Last(
                messages: request.messages, shell: shell, json: json, messagesEnd: at + body.count - shell.count)
        } else {
            self.last = nil
        }
        return (body, json)
    }

    /// A string's UTF-8 bytes as `Data`, in one copy.
    private static func bytes(_ text: String) -> Data {
        text.utf8.withContiguousStorageIfAvailable { Data(buffer: $0) } ?? Data(text.utf8)
    }

    /// Where the elements of the top-level `"messages":[]` go (just after its `[`), found by
    /// walking the JSON's structure so that no string or nested key can be mistaken for it; nil
    /// when it is not there as expected (then nothing is spliced).
    static func messagesInsertion(_ json: Data) -> Int? {
        let key = Array("\"messages\":[]".utf8)
        return json.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            let b = raw.bindMemory(to: UInt8.self)
            var depth = 0
            var i = 0
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "\""):
                    if depth == 1, b.count - i >= key.count, zip(b[i..<i + key.count], key).allSatisfy({ $0 == $1 }) {
                        return i + key.count - 1
                    }
                    // Past the string, escapes included.
                    i += 1
                    while i < b.count, b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                i += 1
            }
            return nil
        }
    }
}
