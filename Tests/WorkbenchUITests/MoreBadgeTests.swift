import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// Issue 11, defect 7: the "more below" badge used to be drawn over the last text row, hiding
/// words and leaving a fragment that looked like a count.
@Suite("The more-below badge")
struct MoreBadgeTests {
    @Test("scrolled up, the badge has a row of its own: every text row above it is whole")
    func ownRow() {
        var s = makeState()
        let reply = (1...40).map { "line\($0)" }.joined(separator: "\n\n")
        converse(&s, prompt: "count", reply: reply)
        s.conversationScroll = Scroll(top: 0, follow: false)
        let r = Rect(x: 0, y: 0, width: 40, height: 10)
        var g = Grid(width: 40, height: 10)
        ConversationView.render(s, in: r, into: &g)
        let rows = g.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let total = ConversationView.lineCount(s, width: 40)
        #expect(rows[9].hasPrefix("↓ \(total - 9) more lines · End follows"), "\(rows[9])")
        // The nine rows above are exactly the first nine lines of the conversation.
        var expected: [String] = []
        for turn in s.turns { expected += ConversationView.lines(for: turn, width: 40).map { $0.spans.map(\.text).joined() } }
        for i in 0..<9 {
            let want = expected[i].trimmingCharacters(in: .whitespaces)
            #expect(rows[i].hasPrefix(want), "row \(i): \(rows[i]) vs \(want)")
        }
    }

    @Test("following the reply, no badge and the last row is text")
    func following() {
        var s = makeState()
        converse(&s, prompt: "count", reply: (1...40).map { "line\($0)" }.joined(separator: "\n\n"))
        var g = Grid(width: 40, height: 10)
        ConversationView.render(s, in: Rect(x: 0, y: 0, width: 40, height: 10), into: &g)
        #expect(!g.text.contains("more line"))
    }
}
