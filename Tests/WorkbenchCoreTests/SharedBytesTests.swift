import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// The log stores what consecutive payloads and consecutive requests do not share
/// (`SharedBytes`): the word-at-a-time count must agree with a byte-by-byte one everywhere.
@Suite("Shared bytes")
struct SharedBytesTests {
    @Test("heads and tails agree with a byte-by-byte count, across word and page boundaries and overlaps")
    func againstReference() {
        var rng = SplitMix64(seed: 15)
        func reference(_ new: [UInt8], _ old: [UInt8]) -> (Int, Int) {
            let limit = min(new.count, old.count)
            var head = 0
            while head < limit && new[head] == old[head] { head += 1 }
            var tail = 0
            while tail < limit - head && new[new.count - 1 - tail] == old[old.count - 1 - tail] { tail += 1 }
            return (head, tail)
        }
        for round in 0..<600 {
            // Short strings (within a word or two) half the time, long ones the other half.
            let base = (0..<Int(rng.next() % (round % 2 == 0 ? 24 : 12_000))).map { _ in UInt8(rng.next() % 3) }
            var new = base
            switch rng.next() % 4 {
            case 0:
                new.insert(
                    contentsOf: (0..<Int(rng.next() % 9000)).map { _ in UInt8(rng.next() % 3) },
                    at: Int(rng.next() % UInt64(base.count + 1)))
            case 1: if !new.isEmpty { new.removeSubrange(Int(rng.next() % UInt64(new.count))..<new.count) }
            case 2: if !new.isEmpty { new[Int(rng.next() % UInt64(new.count))] = 9 }
            default: break
            }
            let got = new.withUnsafeBufferPointer { n in
                base.withUnsafeBufferPointer { SharedBytes.lengths(n, $0) }
            }
            let want = reference(new, base)
            #expect(got.head == want.0 && got.tail == want.1)
            #expect(got.head + got.tail <= min(new.count, base.count))
        }
    }
}
