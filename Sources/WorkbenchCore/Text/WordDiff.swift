/// A word-by-word diff of two texts (Myers, from the standard library's `difference(from:)`):
/// what compare highlights between its two modes and what the evaluation view shows between
/// an expected answer and an output, or two variants' outputs.
public enum WordDiff {
    public enum Op: Sendable, Equatable {
        case same(String), removed(String), added(String)
    }

    /// Words with their trailing whitespace, so joining the pieces gives the text back.
    public static func words(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var inSpace = false
        for ch in s {
            if ch.isWhitespace {
                inSpace = true
                cur.append(ch)
                continue
            }
            if inSpace {
                out.append(cur)
                cur = ""
                inSpace = false
            }
            cur.append(ch)
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// The operations that turn `a` into `b`, in reading order; a removal comes before the
    /// insertion that replaces it.
    public static func diff(from a: String, to b: String) -> [Op] {
        let wa = words(a)
        let wb = words(b)
        let changes = wb.difference(from: wa)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for c in changes {
            switch c {
            case .remove(let o, _, _): removed.insert(o)
            case .insert(let o, _, _): inserted.insert(o)
            }
        }
        var out: [Op] = []
        var i = 0
        var j = 0
        while i < wa.count || j < wb.count {
            if i < wa.count, removed.contains(i) {
                out.append(.removed(wa[i]))
                i += 1
            } else if j < wb.count, inserted.contains(j) {
                out.append(.added(wb[j]))
                j += 1
            } else if i < wa.count, j < wb.count {
                out.append(.same(wb[j]))
                i += 1
                j += 1
            } else if i < wa.count {
                out.append(.removed(wa[i]))
                i += 1
            } else {
                out.append(.added(wb[j]))
                j += 1
            }
        }
        return out
    }
}
