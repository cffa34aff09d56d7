/// How many bytes two byte strings share at their start, and then at their end: what the log
/// stores only once, between consecutive stream payloads (`EventBlocks`) and between a
/// conversation's consecutive requests (`RunRequests`).
///
/// Compared eight bytes at a time: byte by byte, this comparison was a third of the log
/// writer's CPU on a 100,000-chunk stream (issue 15), and a long conversation's requests share
/// megabytes.
enum SharedBytes {
    /// The shared head, then the shared tail of what is left: the two never overlap in either.
    static func lengths(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> (head: Int, tail: Int) {
        let limit = min(a.count, b.count)
        guard limit > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return (0, 0) }
        var head = 0
        while head + 8 <= limit {
            let x = word(pa + head) ^ word(pb + head)
            if x != 0 { break }
            head += 8
        }
        while head < limit && pa[head] == pb[head] { head += 1 }
        let room = limit - head
        let ea = pa + a.count, eb = pb + b.count
        var tail = 0
        while tail + 8 <= room {
            let x = word(ea - tail - 8) ^ word(eb - tail - 8)
            if x != 0 {
                // The highest differing byte is the one nearest the end.
                tail += x.leadingZeroBitCount / 8
                return (head, tail)
            }
            tail += 8
        }
        while tail < room && ea[-1 - tail] == eb[-1 - tail] { tail += 1 }
        return (head, tail)
    }

    /// Eight bytes as a number whose lowest byte is the one at the lowest address.
    @inline(__always)
    private static func word(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }
}
