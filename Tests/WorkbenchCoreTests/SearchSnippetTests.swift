import Foundation
import Testing
@testable import WorkbenchCore

/// `logs search` shows where each run matched: a one-line window around the match, marked, in
/// the field it was found in.
@Suite("Search snippets")
struct SearchSnippetTests {
    func snip(_ text: String, _ query: String, context: Int = 10) -> String? {
        SearchSnippet.snippet(text, terms: SearchSnippet.terms(query), context: context).map { $0.before + "«" + $0.text + "»" + $0.after }
    }

    @Test("a window of characters either side, cut ends marked with …")
    func window() {
        #expect(snip("the quick brown fox jumps over the lazy dog", "fox") == "…ick brown «fox» jumps ove…")
        #expect(snip("fox at the start", "fox") == "«fox» at the st…")
        #expect(snip("short fox", "fox", context: 40) == "short «fox»")
        #expect(snip("a fox", "fox", context: 0) == "…«fox»")
    }

    @Test("words match as prefixes of words, ignoring case and accents, as the index does; the earliest of the terms wins")
    func matching() {
        #expect(snip("Unfoxed? No: Foxes!", "fox") == "…oxed? No: «Fox»es!")
        #expect(snip("un café crème", "creme") == "un café «crème»")
        #expect(snip("beta then alpha", "alpha beta") == "«beta» then alph…")
        #expect(snip("nothing here", "zebra") == nil)
        #expect(snip("价格是多少 请问", "请问") == "价格是多少 «请问»")
    }

    @Test("line breaks flatten to ⏎, tabs to spaces, control characters become visible: one harmless line")
    func oneLine() throws {
        let s = try #require(snip("line one\r\nline\ttwo \u{1B}]52;c;AAAA\u{07} evil\u{9B}2J", "evil", context: 30))
        #expect(s == "…ine one⏎line two ␛]52;c;AAAA␇ «evil»\(TerminalText.visible("\u{9B}"))2J")
        #expect(!s.unicodeScalars.contains { TerminalText.isControl($0) || $0 == "\n" })
    }

    @Test("the log's hits name the fields that matched: prompt, reply, system prompt")
    func fields() async throws {
        var s = makeStart(prompt: "where is my parcel")
        s.request.messages.insert(.system("You track parcels for ACME."), at: 0)
        let log = try RunLog(dataDir: tempDir())
        log.begin(s)
        log.finish(makeResult(s, content: "Your parcel is in Lyon."))
        let other = makeStart(prompt: "unrelated")
        log.begin(other)
        log.finish(makeResult(other, content: "nothing"))
        try await log.flush()
        let hits = try log.searchHits("parcel", context: 8)
        #expect(hits.count == 1)
        #expect(hits.first?.matches.map(\.field) == [.prompt, .reply, .system])
        #expect(hits.first?.matches.map(\.marked) == ["…e is my «parcel»", "Your «parcel» is in L…", "…u track «parcel»s for AC…"])
        #expect(try log.searchHits("acme").first?.matches.map(\.field) == [.system])
        #expect(try log.search("parcel").map(\.id) == [s.runId], "search itself is unchanged")
    }

    @Test("a huge reply is searched without trouble and the snippet stays small")
    func huge() {
        let text = String(repeating: "ba ", count: 300_000) + "needle" + String(repeating: " ba", count: 300_000)
        let s = snip(text, "needle", context: 20)
        let expected = 50  // 20 either side, the 6-letter match, two marks and two ellipses
        #expect(s?.count == expected)
    }
}
