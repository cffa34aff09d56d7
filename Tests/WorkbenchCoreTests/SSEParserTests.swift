import Testing
@testable import WorkbenchCore

/// The recorded tool-call stream from zai-api.md §4 (two parallel calls, usage on the last chunk).
let recordedToolStream = """
data: {"id":"t1","created":1758884780,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"delta":{"role":"assistant","content":"I'll add and multiply. 你好"}}]}

data: {"id":"t1","created":1758884780,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"finish_reason":"tool_calls","delta":{"tool_calls":[{"id":"call_-8303649628005950554","index":0,"type":"function","function":{"name":"add","arguments":"{\\"a\\": 2, \\"b\\": 3}"}}]}}]}

data: {"id":"t1","created":1758884780,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"finish_reason":"tool_calls","delta":{"tool_calls":[{"id":"call_88cb","index":1,"type":"function","function":{"name":"multiply","arguments":"{\\"a\\": 2, \\"b\\": 3}"}}]}}]}

data: {"id":"t1","created":1758884780,"model":"glm-4-32b-0414-128k","choices":[{"index":0,"finish_reason":"tool_calls","delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":282,"completion_tokens":178,"total_tokens":460,"prompt_tokens_details":{"cached_tokens":43}}}

data: [DONE]


"""

func parseAll(_ parts: [[UInt8]], finish: Bool = true) -> [SSEEvent] {
    var p = SSEParser()
    var out: [SSEEvent] = []
    for part in parts { p.feed(part) { out.append($0) } }
    if finish { p.finish { out.append($0) } }
    return out
}

@Suite("SSE parser")
struct SSEParserTests {
    let bytes = Array(recordedToolStream.utf8)

    @Test("the recorded stream gives five events")
    func whole() {
        let events = parseAll([bytes])
        #expect(events.count == 5)
        #expect(events.last?.data == "[DONE]")
        #expect(events[1].data.contains("call_-8303649628005950554"))
    }

    @Test("every two-way split of the recorded stream gives the same events")
    func everySplit() {
        let expected = parseAll([bytes])
        for i in 0...bytes.count {
            let got = parseAll([Array(bytes[..<i]), Array(bytes[i...])])
            #expect(got == expected, "split at \(i)")
        }
    }

    @Test("one byte at a time, including inside the CJK characters")
    func byteByByte() {
        #expect(parseAll(bytes.map { [$0] }) == parseAll([bytes]))
    }

    @Test("CR, LF and CRLF line endings, with a CR at the end of one read and LF at the start of the next",
          arguments: ["\n", "\r", "\r\n"])
    func lineEndings(_ eol: String) {
        let text = "data: a\(eol)\(eol)data: b\(eol)\(eol)"
        let b = Array(text.utf8)
        let expected = [SSEEvent(data: "a"), SSEEvent(data: "b")]
        #expect(parseAll([b]) == expected)
        for i in 0...b.count { #expect(parseAll([Array(b[..<i]), Array(b[i...])]) == expected, "split at \(i)") }
    }

    @Test("a UTF-8 character split across reads is decoded whole")
    func utf8Split() {
        let b = Array("data: 世界\n\n".utf8)
        // 世 is three bytes starting at offset 6; cut after its first byte.
        let got = parseAll([Array(b[..<7]), Array(b[7...])])
        #expect(got == [SSEEvent(data: "世界")])
    }

    @Test("comments are ignored, multi-line data joins with newlines, event and id are kept")
    func fields() {
        let text = ": keep-alive\nevent: error\nid: 7\ndata: line1\ndata:line2\nretry: 10\n\n"
        #expect(parseAll([Array(text.utf8)]) == [SSEEvent(type: "error", data: "line1\nline2", id: "7")])
    }

    @Test("a field without a colon and an empty data line")
    func oddFields() {
        #expect(parseAll([Array("data\n\n".utf8)]) == [SSEEvent(data: "")])
        #expect(parseAll([Array("event: x\n\n".utf8)]).isEmpty, "no data, no event")
    }

    @Test("EOF without a closing blank line still delivers complete lines; a partial line is counted")
    func eof() {
        var p = SSEParser()
        var out: [SSEEvent] = []
        p.feed(Array("data: {\"a\":1}\ndata: par".utf8)) { out.append($0) }
        #expect(out.isEmpty)
        p.finish { out.append($0) }
        #expect(out == [SSEEvent(data: "{\"a\":1}")])
        #expect(p.unterminatedTailBytes == 9)
    }

    @Test("a UTF-8 byte-order mark at the start is skipped")
    func bom() {
        #expect(parseAll([[0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)]) == [SSEEvent(data: "x")])
    }

    @Test("a data line whole in one read is a range of that read; one split across reads, bytes of its own")
    func payloadsShareTheRead() {
        let read = Array("data: {\"a\":1}\n\ndata: second\n\ndata: spl".utf8)
        var parser = SSEParser()
        var events: [SSEEvent] = []
        parser.feed(read) { events.append($0) }
        parser.feed(Array("it\n\n".utf8)) { events.append($0) }
        #expect(events.map(\.data) == ["{\"a\":1}", "second", "split"])
        read.withUnsafeBufferPointer { r in
            let start = r.baseAddress!
            let inRead = { (p: RawPayload) in
                p.withBytes { b in b.baseAddress.map { $0 >= start && $0 + b.count <= start + r.count } ?? false }
            }
            #expect(inRead(events[0].payload) && inRead(events[1].payload), "copied instead of shared")
            #expect(!inRead(events[2].payload), "a line put together from two reads cannot lie in either")
        }
    }

    @Test("a read that is mostly not payloads does not stay alive for the few payload bytes in it")
    func sparseReadsAreNotKept() {
        func parsed(_ reads: [[UInt8]]) -> [(SSEEvent, inRead: Bool)] {
            var parser = SSEParser()
            var out: [(SSEEvent, Bool)] = []
            for read in reads {
                var events: [SSEEvent] = []
                parser.feed(read) { events.append($0) }
                SSEEvent.compactSparse(&events, read: read)
                out += events.map { ($0, $0.payload.lies(in: read)) }
            }
            return out
        }
        let padding = Array(String(repeating: ": keep-alive padding\n", count: 3000).utf8)
        let sparse = parsed([padding + Array("data: tiny\n\n".utf8)])
        #expect(sparse.map(\.0.data) == ["tiny"])
        #expect(!sparse[0].inRead, "a 60 KB read kept alive for 4 bytes")
        let dense = parsed([Array(String(repeating: "data: {\"token\":\"abc\"}\n\n", count: 400).utf8)])
        #expect(dense.count == 400 && dense.allSatisfy(\.inRead), "a read of payloads is shared, not copied")
        // A data line ended in one read and dispatched in the next: it lies in neither.
        let split = parsed([Array("data: first\n".utf8), Array("\ndata: the second, longer payload\n\n".utf8)])
        #expect(split.map(\.0.data) == ["first", "the second, longer payload"])
        #expect(!split[0].inRead && split[1].inRead)
        #expect(split[0].0.payload.compacted() == split[0].0.payload)
    }
}
