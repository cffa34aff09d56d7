import WorkbenchTestSupport

/// Random chunk payloads: keys in any order with random white space, strings of every kind of
/// character written raw or escaped (surrogate pairs, CJK, controls), numbers in every JSON form,
/// unknown fields, nulls — and, now and then, something the fast path must not take (an escape
/// it refuses, a nested unknown, a repeated key, a tool call). `ordinary` says whether this
/// payload stayed inside what the fast path reads, so a test can insist that it did read it.
struct RandomChunk {
    var rng: SplitMix64
    private(set) var ordinary = true

    init(rng: SplitMix64) { self.rng = rng }

    mutating func chunk() -> String {
        var members: [String] = []
        if chance(80) { members.append(member("id", idValue())) }
        if chance(50) { members.append(member("object", #""chat.completion.chunk""#)) }
        if chance(60) { members.append(member("created", number())) }
        if chance(70) { members.append(member("model", chance(90) ? string() : "null")) }
        if chance(95) { members.append(member("choices", choices())) }
        if chance(20) { members.append(member("usage", usage())) }
        if chance(15) { members.append(member(unknownKey(), scalar())) }
        if chance(3) { odd(&members, member(unknownKey(), pick([#"{"a":1}"#, "[1,2]", "[]", "{}"]))) }
        if chance(2) { odd(&members, member(pick(["web_search", "content_filter", "error"]), "[]")) }
        if chance(2), let m = members.first { odd(&members, m) }
        members.shuffle(using: &rng)
        return ws() + "{" + ws() + members.joined(separator: ws() + "," + ws()) + ws() + "}" + ws()
    }

    // MARK: Parts

    private mutating func choices() -> String {
        if chance(5) { return "null" }
        if chance(5) { return "[" + ws() + "]" }
        let count = chance(90) ? 1 : 2
        // Several choices (`n` > 1, which GLM does not serve) are the general decoder's.
        if count > 1 { ordinary = false }
        let list = (0..<count).map { _ in choice() }
        return "[" + ws() + list.joined(separator: ws() + "," + ws()) + ws() + "]"
    }

    private mutating func choice() -> String {
        var members: [String] = []
        if chance(80) {
            members.append(member("index", pick(["0", "0", "0", "1", "-1", "123", "null"])))
        } else if chance(10) {
            odd(&members, member("index", pick(["1.0", #""0""#, "1e0", "true"])))
        }
        if chance(90) {
            members.append(member("delta", delta()))
        } else if chance(30) {
            members.append(member("delta", "null"))
        }
        if chance(30) {
            members.append(member("finish_reason", pick([#""stop""#, #""length""#, #""tool_calls""#])))
        } else if chance(30) {
            members.append(member("finish_reason", "null"))
        }
        if chance(10) { members.append(member("logprobs", "null")) }
        if chance(5) { members.append(member(unknownKey(), scalar())) }
        if chance(2) { odd(&members, member("finish_reason", "1")) }
        members.shuffle(using: &rng)
        return "{" + ws() + members.joined(separator: ws() + "," + ws()) + ws() + "}"
    }

    private mutating func delta() -> String {
        var members: [String] = []
        if chance(50) { members.append(member("role", chance(90) ? #""assistant""# : "null")) }
        if chance(85) {
            members.append(member("content", string()))
        } else if chance(30) {
            members.append(member("content", "null"))
        }
        if chance(5) { members.append(member(unknownKey(), scalar())) }
        if chance(3) { odd(&members, member("reasoning_content", string())) }
        if chance(3) { odd(&members, member("tool_calls", #"[{"index":0,"function":{"name":"f","arguments":"{}"}}]"#)) }
        if chance(2) { odd(&members, member(#"con\u0074ent"#, string())) }
        members.shuffle(using: &rng)
        return "{" + ws() + members.joined(separator: ws() + "," + ws()) + ws() + "}"
    }

    private mutating func usage() -> String {
        if chance(10) { return "null" }
        let prompt = Int(rng.next() % 200_000)
        let completion = Int(rng.next() % 20_000)
        var members: [String] = []
        let hasPrompt = chance(90)
        if hasPrompt { members.append(member("prompt_tokens", String(prompt))) }
        if chance(90) { members.append(member("completion_tokens", String(completion))) }
        if chance(80) {
            let sum = (members.count == 2 ? prompt + completion : members.isEmpty ? 0 : -1)
            if sum >= 0 { members.append(member("total_tokens", String(sum))) }
        }
        if chance(30) {
            // Cached tokens are part of the prompt: never more than it (else the usage is refused).
            let cached = hasPrompt && chance(90) ? String(Int(rng.next() % UInt64(prompt + 1))) : "null"
            members.append(member("prompt_tokens_details", chance(90) ? #"{"cached_tokens":\#(cached)}"# : "null"))
        }
        if chance(20) {
            members.append(member("completion_tokens_details", #"{"reasoning_tokens":\#(completion / 2)}"#))
        }
        if chance(5) { members.append(member(unknownKey(), scalar())) }
        if chance(3) { odd(&members, member("total_tokens", "-5")) }
        members.shuffle(using: &rng)
        return "{" + ws() + members.joined(separator: ws() + "," + ws()) + ws() + "}"
    }

    private mutating func idValue() -> String {
        if chance(5) { return "null" }
        if chance(3) {
            ordinary = false
            return "8312345678901234567"
        }
        return string()
    }

    /// Scalars the fast path skips; numbers in every form JSON allows.
    private mutating func scalar() -> String {
        pick(["true", "false", "null", number(), string()])
    }

    private mutating func number() -> String {
        pick([
            "0", "-1", "1e3", "1.5E-2", "12345678901234567890", "-0", "0.0", "1E+2", "3.14159", "1700000000",
            "-9223372036854775808", "9223372036854775807", "2.5e-10", "-0.0e0", "123456789012345678901234567890.5",
            "1e400", "-1e-400", "0e0", "1E-0",
        ])
    }

    private mutating func unknownKey() -> String {
        pick(["system_fingerprint", "x", "provider", "meta info", "中文键", "obj", "created_at"])
    }

    /// A JSON string of random characters, each written raw or escaped.
    private mutating func string() -> String {
        var out = "\""
        for _ in 0..<Int(rng.next() % 13) {
            out += encode(pick(RandomChunk.alphabet))
        }
        if chance(2) {
            ordinary = false
            out += pick(["\u{01}", "\t", #"\ud800"#, #"\udc00"#, #"\x"#, #"\u12G4"#, #"\ud83dx"#])
        }
        return out + "\""
    }

    private static let alphabet: [Unicode.Scalar] =
        Array("aZ09 ~.,!?\"\\/你好世界中文字😀🎉👍🏽é\u{301}\u{2028}\u{FEFF}\u{7F}".unicodeScalars)
        + (0..<0x20).map { Unicode.Scalar(UInt8($0)) }

    private mutating func encode(_ u: Unicode.Scalar) -> String {
        let short: [Unicode.Scalar: String] = [
            "\"": #"\""#, "\\": #"\\"#, "\n": #"\n"#, "\r": #"\r"#, "\t": #"\t"#,
            "\u{8}": #"\b"#, "\u{C}": #"\f"#,
        ]
        let mustEscape = u.value < 0x20 || u == "\"" || u == "\\"
        if mustEscape, let s = short[u], chance(70) { return s }
        if !mustEscape && chance(80) { return u == "/" && chance(50) ? #"\/"# : String(u) }
        let upper = chance(50)
        func hex(_ v: UInt32) -> String {
            let h = String(v, radix: 16, uppercase: upper)
            return #"\u"# + String(repeating: "0", count: 4 - h.count) + h
        }
        guard u.value > 0xFFFF else { return hex(u.value) }
        let v = u.value - 0x10000
        return hex(0xD800 + (v >> 10)) + hex(0xDC00 + (v & 0x3FF))
    }

    // MARK: Helpers

    private mutating func member(_ key: String, _ value: String) -> String {
        "\"" + key + "\"" + ws() + ":" + ws() + value
    }

    /// Adds a member the fast path must leave to the general decoder.
    private mutating func odd(_ members: inout [String], _ m: String) {
        ordinary = false
        members.append(m)
    }

    private mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    private mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }

    private mutating func ws() -> String { chance(15) ? pick([" ", "\n", "\t", "\r\n", "  "]) : "" }
}
