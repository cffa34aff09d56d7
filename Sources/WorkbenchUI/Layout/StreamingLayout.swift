/// Lays out a reply that is still streaming without re-rendering all of it every frame.
///
/// The text is cut at the last line boundary where no Markdown state carries over (outside a
/// code fence, not inside a list or a quote); everything before the cut is rendered once and
/// kept, only the tail is rendered per frame. Work per frame is proportional to what arrived,
/// not to the whole reply. When the reply ends, the turn is laid out whole once more, so the
/// final screen never depends on where the cuts fell.
final class StreamingLayout: @unchecked Sendable {
    private var turnId = ""
    private var width = 0
    /// UTF-8 offset up to which `lines` covers the text.
    private var end = 0
    private var fenceOpen = false
    private var lines: [StyledLine] = []

    func lines(for text: String, turnId: String, width: Int) -> [StyledLine] {
        if turnId != self.turnId || width != self.width || text.utf8.count < end {
            self.turnId = turnId
            self.width = width
            end = 0
            fenceOpen = false
            lines = []
        }
        let utf8 = text.utf8
        var cut = end
        var fence = fenceOpen
        var i = utf8.index(utf8.startIndex, offsetBy: end)
        var lineStart = i
        while let nl = utf8[i...].firstIndex(of: 0x0A) {
            let line = utf8[lineStart..<nl]
            let trimmed = line.drop { $0 == 0x20 }
            if trimmed.starts(with: "```".utf8) || trimmed.starts(with: "~~~".utf8) { fence.toggle() }
            let next = utf8.index(after: nl)
            if !fence, Self.standsAlone(line), next < utf8.endIndex, Self.startsFresh(utf8[next...]) {
                cut = utf8.distance(from: utf8.startIndex, to: next)
                fenceOpen = false
            }
            i = next
            lineStart = next
        }
        if cut > end {
            let start = utf8.index(utf8.startIndex, offsetBy: end)
            let stop = utf8.index(utf8.startIndex, offsetBy: cut)
            let piece = String(text[start..<stop])
            lines += MarkdownRenderer.render(piece.hasSuffix("\n") ? String(piece.dropLast()) : piece, width: width)
            end = cut
        }
        let tail = String(text[utf8.index(utf8.startIndex, offsetBy: end)...])
        return tail.isEmpty ? lines : lines + MarkdownRenderer.render(tail, width: width)
    }

    /// A line after which nothing continues: not a list item, not indented, not a quote.
    private static func standsAlone(_ line: Substring.UTF8View.SubSequence) -> Bool {
        guard let first = line.first else { return true }
        switch first {
        case 0x20, 0x09, 0x3E, 0x2D, 0x2A, 0x2B, 0x7C: return false // space, tab, >, -, *, +, |
        case 0x30...0x39: return !line.contains(0x2E) // "1." starts an ordered list
        default: return true
        }
    }

    /// The next line begins a new block of its own (not a continuation or a setext underline).
    private static func startsFresh(_ rest: Substring.UTF8View.SubSequence) -> Bool {
        guard let first = rest.first else { return false }
        return first != 0x20 && first != 0x09 && first != 0x3D && first != 0x2D && first != 0x3E
    }
}
