import Foundation

/// How the full-screen workbench keeps its resident memory that of what it shows (issue 15):
/// RSS after Ctrl-N is what a user watches, and glibc's defaults keep freed memory resident.
enum ProcessMemory {
    /// Sets glibc's malloc up before any other thread exists, for a process that lives through
    /// many long replies:
    /// - Two arenas at most. By default every new thread gets an arena of its own (up to 8 per
    ///   core); a reply's buffers are freed by another thread than the one that made them, so
    ///   each arena kept pages of a long conversation's free chunks that `malloc_trim` could not
    ///   return whole. Measured over four 100k-chunk replies then Ctrl-N: anonymous RSS 28 MiB
    ///   with the default, 9 MiB with two arenas (5 MiB fresh). glibc fixes the cap when the
    ///   second thread first allocates, so this must run first in the process.
    /// - Blocks of 1 MiB and more in mappings of their own. glibc's threshold for that starts at
    ///   128 KiB but rises to the largest such block freed (up to 32 MiB), so after the first
    ///   reply every request- and reply-sized buffer of a long conversation came from the heap,
    ///   and the small objects left between them after Ctrl-N kept its pages resident. Measured
    ///   after twelve 100k-chunk replies then Ctrl-N: RSS 55-66 MiB with the default, 53 MiB
    ///   with the fixed threshold (46 fresh), and the same CPU per reply.
    static func tuneAllocator() {
        _ = glibcMallopt(mArenaMax, 2)
        _ = glibcMallopt(mMmapThreshold, 1 << 20)
    }

    /// Returns the heap's free pages to the system (`malloc_trim`).
    static func giveBack() {
        _ = glibcMallocTrim(0)
    }

    /// `M_ARENA_MAX` and `M_MMAP_THRESHOLD` in glibc's malloc.h.
    private static let mArenaMax: Int32 = -8
    private static let mMmapThreshold: Int32 = -3
}

/// glibc's `mallopt` (malloc.h), which Swift's Glibc module does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// glibc's `malloc_trim` (malloc.h), which Swift's Glibc module does not export: it returns the
/// heap's free pages to the system. A plain C function of a size_t returning int.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
