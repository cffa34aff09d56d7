import Foundation

/// How the full-screen workbench keeps its resident memory that of what it shows (issue 15):
/// RSS after Ctrl-N is what a user watches, and glibc's defaults keep freed memory resident.
enum ProcessMemory {
    /// Caps glibc's malloc arenas at two before any other thread exists. By default every new
    /// thread gets an arena of its own (up to 8 per core); a reply's buffers are freed by another
    /// thread than the one that made them, so each arena kept pages of a long conversation's
    /// free chunks that `malloc_trim` could not return whole. Measured over four 100k-chunk
    /// replies then Ctrl-N: anonymous RSS 28 MiB with the default, 9 MiB with two arenas
    /// (5 MiB fresh). glibc fixes the cap when the second thread first allocates, so this must
    /// run first in the process; later it changes nothing and does no harm.
    static func capArenas() {
        _ = glibcMallopt(mArenaMax, 2)
    }

    /// Returns the heap's free pages to the system (`malloc_trim`).
    static func giveBack() {
        _ = glibcMallocTrim(0)
    }

    /// `M_ARENA_MAX` in glibc's malloc.h.
    private static let mArenaMax: Int32 = -8
}

/// glibc's `mallopt` (malloc.h), which Swift's Glibc module does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// glibc's `malloc_trim` (malloc.h), which Swift's Glibc module does not export: it returns the
/// heap's free pages to the system. A plain C function of a size_t returning int.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
