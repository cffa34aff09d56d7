import Testing
import WorkbenchUI

@testable import TerminalNcurses

@Suite("ColorPairCache")
struct ColorPairCacheTests {
    @Test("256 colours: indices kept, pairs numbered from 1 in order of first use, reused after")
    func colors256() {
        var c = ColorPairCache(colorCount: 256, maxPairs: 65536)
        let a = c.pair(fg: .index(196), bg: .default)
        #expect(a.pair == 1 && a.isNew && a.entry == .init(fg: 196, bg: -1))
        let b = c.pair(fg: .index(33), bg: .index(236))
        #expect(b.pair == 2 && b.isNew && b.entry == .init(fg: 33, bg: 236))
        let again = c.pair(fg: .index(196), bg: .default)
        #expect(again.pair == 1 && !again.isNew)
        #expect(c.count == 2)
    }

    @Test("default on default is pair 0 and allocates nothing")
    func defaultPair() {
        var c = ColorPairCache(colorCount: 256, maxPairs: 65536)
        let p = c.pair(fg: .default, bg: .default)
        #expect(p.pair == 0 && !p.isNew)
        #expect(c.count == 0)
    }

    @Test("8 colours: 256-colour indices degrade to basic8", arguments: [
        (TermColor.index(196), Int32(1)), (.index(46), 2), (.index(21), 4), (.index(9), 1), (.index(15), 7),
        (.index(3), 3), (.index(236), 0), (.index(252), 7), (.default, -1),
    ])
    func colors8(_ color: TermColor, _ expected: Int32) {
        let c = ColorPairCache(colorCount: 8, maxPairs: 64)
        #expect(c.resolve(color, isBackground: false) == expected)
    }

    @Test("16 colours keep the bright ones")
    func colors16() {
        let c = ColorPairCache(colorCount: 16, maxPairs: 256)
        #expect(c.resolve(.index(9), isBackground: false) == 9)
        #expect(c.resolve(.index(196), isBackground: false) == 1)
    }

    @Test("no colours (NO_COLOR): always pair 0")
    func noColor() {
        var c = ColorPairCache(colorCount: 0, maxPairs: 65536)
        #expect(c.resolve(.index(196), isBackground: false) == nil)
        let p = c.pair(fg: .index(196), bg: .index(21))
        #expect(p.pair == 0 && !p.isNew)
        #expect(c.count == 0)
    }

    @Test("without default-colour support, default is white on black")
    func noDefaultColors() {
        var c = ColorPairCache(colorCount: 8, maxPairs: 64, defaultColors: false)
        let p = c.pair(fg: .index(1), bg: .default)
        #expect(p.entry == .init(fg: 1, bg: 0) && p.pair == 1)
        #expect(c.pair(fg: .default, bg: .default).entry == .init(fg: 7, bg: 0))
    }

    @Test("running out of pairs falls back to the default pair; removeAll starts over")
    func exhausted() {
        var c = ColorPairCache(colorCount: 256, maxPairs: 3)
        #expect(c.pair(fg: .index(1), bg: .default).pair == 1)
        #expect(c.pair(fg: .index(2), bg: .default).pair == 2)
        #expect(c.pair(fg: .index(3), bg: .default).pair == 0)
        c.removeAll()
        let p = c.pair(fg: .index(3), bg: .default)
        #expect(p.pair == 1 && p.isNew && p.entry == .init(fg: 3, bg: -1))
    }
}
